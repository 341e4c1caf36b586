"""The one table model of the dashboards, the report preview and the PDF.

A ``Table`` is rows of ``Cell``s. Every cell keeps its printed text beside its raw
value (a download writes numbers as numbers and a missing figure as an empty cell).
The dashboards print a table through ``Table.html``; the report preview and the PDF
through ``templates/reports/partials/table.html``; both read the same fields.

The cell builders below are the one wording of a figure, a change, a percentage
change on a small base, better or worse, and significance, so a fact reads the same
on a page and in a committee paper. Each page passes its ``Wording`` for a value
that is not there: the dashboards print "Missing", a committee report "Not supplied".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape as html_escape

from django.utils.safestring import SafeString, mark_safe

from crimestats.comparisons import SMALL_BASE as SMALL_BASE_COUNT
from crimestats.comparisons import Assessment
from cspportal.lib import formats
from cspportal.lib.formats import Number, Wording, is_missing
from reports import charts


def escape(text: object) -> str:
    """Text escaped for HTML, as Django's ``escape`` does it but without its lazy-text
    wrapper: a dashboard escapes a few thousand cells a request."""
    return html_escape(str(text))


MISSING = "Missing"
# The dashboards' words: "Missing" for a figure nobody supplied, nothing for a change
# that cannot be worked out.
DASHBOARD = Wording(missing=MISSING, not_worked_out="")

ASSESSMENT_TEXT = {
    Assessment.BETTER: "Better",
    Assessment.WORSE: "Worse",
    Assessment.NO_REAL_CHANGE: "No real change",
    Assessment.CHANGED: "Changed (neither better nor worse)",
    Assessment.NOT_COMPARED: "Not compared",
}

SMALL_BASE_NOTE = (
    f"Small base: the earlier count is under {SMALL_BASE_COUNT}, so the percentage change "
    "is marked and should be read with the counts."
)


@dataclass
class Cell:
    """One cell: ``text`` as printed, ``raw`` as downloaded (None: the text itself, or
    an empty cell for a missing figure)."""

    text: str
    raw: object = None
    numeric: bool = False
    # A row header (<th scope="row">); in the PDF the first cell of a row always is.
    header: bool = False
    url: str = ""
    # Better or worse: the Assessment value and the arrow for the direction of change.
    assessment: str = ""
    arrow: str = ""
    # A short mark after the text ("small base") and a line of note under it.
    tag: str = ""
    note: str = ""
    # Any further class the cell's markup carries (a RAG status).
    css: str = ""

    @property
    def printed(self) -> str:
        """The cell as plain printed text, its marks included: "▲ Worse",
        "+22.6% (small base)" (the report's tables, where no tag is drawn)."""
        arrow = f"{self.arrow} " if self.arrow else ""
        tag = f" ({self.tag})" if self.tag else ""
        return f"{arrow}{self.text}{tag}"


@dataclass
class Table:
    """A table of figures with its caption, column headers and notes. ``numeric``
    names the columns set flush right; left unset, a column is numeric when any of
    its cells is."""

    caption: str
    headers: list[str]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    id: str = ""
    numeric: set[int] | None = None

    @property
    def numeric_columns(self) -> list[bool]:
        if self.numeric is not None:
            return [index in self.numeric for index in range(len(self.headers))]
        return [
            any(index < len(row) and row[index].numeric for row in self.rows)
            for index in range(len(self.headers))
        ]

    @property
    def columns(self) -> list[tuple[str, bool]]:
        """Each header with whether its column holds numbers: a number column's header
        is set flush right, over its figures."""
        return list(zip(self.headers, self.numeric_columns, strict=True))

    @property
    def html(self) -> SafeString:
        """The table's markup on a dashboard page. Built in Python rather than by
        template loops: a dashboard prints a thousand cells, and Django's template
        engine costs about 50 microseconds a cell."""
        head = "".join(
            f'<th scope="col" class="govuk-table__header'
            f'{" govuk-table__header--numeric" if numeric else ""}">{escape(header)}</th>'
            for header, numeric in self.columns
        )
        if self.rows:
            body = "".join(
                '<tr class="govuk-table__row">' + "".join(_cell_html(c) for c in row) + "</tr>"
                for row in self.rows
            )
        else:
            body = (
                '<tr class="govuk-table__row"><td class="govuk-table__cell" '
                f'colspan="{len(self.headers)}">Nothing to show.</td></tr>'
            )
        return mark_safe(  # noqa: S308 (every piece of text above is escaped)
            # A wide table scrolls in its own box, which takes keyboard focus (WCAG
            # 2.1.1 and 1.4.10: scrollable without a mouse, the page never sideways).
            f'<div class="app-table-wrapper" tabindex="0" role="region" '
            f'aria-label="{escape(self.caption)}"><table class="govuk-table app-dashboard-table" '
            f'id="table-{escape(self.id)}"><caption class="govuk-table__caption '
            f'govuk-table__caption--s">{escape(self.caption)}</caption>'
            f'<thead class="govuk-table__head"><tr class="govuk-table__row">{head}</tr></thead>'
            f'<tbody class="govuk-table__body">{body}</tbody></table></div>'
        )

    def download_rows(self) -> list[list]:
        return [
            [c.raw if c.raw is not None else ("" if c.text == MISSING else c.text) for c in row]
            for row in self.rows
        ]


def _cell_html(cell: Cell) -> str:
    if cell.url:
        inner = f'<a class="govuk-link" href="{escape(cell.url)}">{escape(cell.text)}</a>'
    elif cell.assessment:
        arrow = (
            f'<span class="app-assessment__arrow" aria-hidden="true">{cell.arrow}</span> '
            if cell.arrow
            else ""
        )
        inner = (
            f'<span class="app-assessment app-assessment--{cell.assessment}">'
            f"{arrow}{escape(cell.text)}</span>"
        )
    elif cell.text == MISSING:
        inner = '<span class="app-missing">Missing</span>'
    else:
        inner = escape(cell.text)
    if cell.tag:
        inner += (
            ' <strong class="govuk-tag govuk-tag--yellow app-tag-small">'
            f"{escape(cell.tag)}</strong>"
        )
    if cell.note:
        inner += f' <span class="app-cell-note">{escape(cell.note)}</span>'
    css = f" {escape(cell.css)}" if cell.css else ""
    if cell.header:
        return f'<th scope="row" class="govuk-table__header{css}">{inner}</th>'
    numeric = " govuk-table__cell--numeric" if cell.numeric else ""
    return f'<td class="govuk-table__cell{numeric}{css}">{inner}</td>'


# --- the cells of a comparison ----------------------------------------------------


def _rounded(value: Number | None, places: int) -> float | None:
    if value is None or is_missing(value):
        return None
    return round(float(value), places)


def value_cell(value: Number | None, unit: str, wording: Wording = DASHBOARD) -> Cell:
    """A figure in its unit: 1,234, 67.0%, £10,000."""
    return Cell(wording.value(value, unit), _rounded(value, 2), numeric=True)


def change_cell(value: Number | None, unit: str, wording: Wording = DASHBOARD) -> Cell:
    """A change with its sign: +1,234, -2.5 points."""
    return Cell(wording.change(value, unit), _rounded(value, 2), numeric=True)


def pct_cell(
    pct: Number | None,
    small_base: bool,
    wording: Wording = DASHBOARD,
    *,
    not_calculated: str = "",
) -> Cell:
    """A percentage change, tagged "small base" when the earlier count is under the
    ONS threshold. ``not_calculated`` is printed when there is no percentage although
    both figures are there (an earlier 0)."""
    if is_missing(pct):
        return Cell(not_calculated or wording.pct_change(None), None, numeric=True)
    return Cell(
        wording.pct_change(pct),
        _rounded(pct, 1),
        numeric=True,
        tag=formats.SMALL_BASE if small_base else "",
    )


def direction_arrow(change: Number | None) -> str:
    """▲ up, ▼ down, ▶ no change; nothing when the change is not known."""
    if change is None or is_missing(change):
        return ""
    return "▲" if change > 0 else ("▼" if change < 0 else "▶")


def assessment_cell(assessment: str, change: Number | None) -> Cell:
    """Better or worse, in words and an arrow (never colour alone)."""
    text = ASSESSMENT_TEXT[Assessment(assessment)]
    return Cell(text, text, assessment=assessment, arrow=direction_arrow(change))


def significance_cell(significant: bool | None) -> Cell:
    """Unlikely to be chance / Could be chance / Not tested. The p-value is on the
    measure's page, with the method, not in the table."""
    text = formats.significance(significant)
    return Cell(text, text)


def chart_table(
    chart: charts.Chart, *, id: str, caption: str, wording: Wording = DASHBOARD
) -> Table:
    """The numbers a chart draws, as a table: the same rows, a month after the period
    left blank (not yet there, not missing)."""
    rows = []
    for label, *values in chart.table.rows:
        cells = [Cell(str(label), str(label), header=True)]
        for value in values:
            if isinstance(value, str) and value == charts.NOT_YET:
                cells.append(Cell("", None, numeric=True))
            else:
                cells.append(value_cell(value, chart.unit, wording))
        rows.append(cells)
    return Table(
        id=id,
        caption=caption,
        headers=list(chart.table.headers),
        rows=rows,
        numeric=set(range(1, len(chart.table.headers))),
    )
