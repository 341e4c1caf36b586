"""The data return's spreadsheet template (CSV or XLSX): one row per measure, area and
period. The download's columns and rows are declared in ``crimestats.exports``; this
module is the importer that reads a filled-in copy back.

The importer follows the protocol of ``batches`` like every other format:
``context_for`` reads the return, its measures, the partnership's areas and the
stored figures once; ``parse`` checks every row with the rules of the browser form
(pure: no database writes); ``store`` saves the figures through the return's one
write path, ``services.data_return_save``, with the return's version recorded at
the preview, so a return saved by someone else in between is refused
(``EditConflict``) and nothing is stored.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from crimestats.exports import RETURN_HEADERS, WHOLE_PARTNERSHIP_LABEL
from crimestats.forms import parse_figure, where_label, written_by_register
from crimestats.importers.base import (
    WORKBOOK_READ_ERRORS,
    ImportRefused,
    ParsedImport,
    RowError,
    SourceFile,
    StoreOutcome,
    encoding_problem,
    expand_sources,
    first_line,
    workbook_error,
    workbook_refusal,
)
from crimestats.models import DataReturn, ImportBatch, Measure, Observation
from crimestats.selectors import (
    partnership_areas,
    reporting_years,
    return_measures,
    return_observations,
)
from crimestats.services import ObservationInput, data_return_save
from cspportal.lib.periods import figure_period_label, financial_year_of
from partnerships.models import Area, Partnership

FORMAT = ImportBatch.Format.TEMPLATE
REQUIRED = ["measure_code", "area", "period_start", "value"]
MAX_REASON = 200
MAX_NOTE = 500

Stored = dict[tuple[int, int | None], Observation]


# The importer.


@dataclass(frozen=True)
class TemplateContext:
    """What reading a filled-in template needs, read once: the return (with the
    version the preview is built from), its measures, the partnership's areas and
    the figures stored for the return's period."""

    data_return: DataReturn
    version: int
    measures: list[Measure]
    areas: list[Area]
    observations: Stored
    first_year: int
    last_year: int


def context_for(
    *,
    partnership: Partnership | None,
    data_return: DataReturn | None = None,
    batch: ImportBatch | None = None,
    **_kwargs: object,
) -> TemplateContext:
    """At the preview the view passes the return; at the confirmation ``batches``
    passes the batch, which names the return it was previewed for."""
    if data_return is None:
        if batch is None:
            raise ValueError("A template import belongs to a data return.")
        data_return = DataReturn.objects.select_related("partnership").get(
            pk=batch.summary["data_return"], partnership=partnership
        )
    if partnership is None or data_return.partnership_id != partnership.pk:
        raise ValueError("The data return belongs to another partnership.")
    measures = return_measures(data_return)
    first_year, last_year = reporting_years()
    return TemplateContext(
        data_return=data_return,
        version=data_return.version,
        measures=measures,
        areas=partnership_areas(partnership),
        observations=return_observations(data_return, measures),
        first_year=first_year,
        last_year=last_year,
    )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_table(source: SourceFile) -> list[list[str]]:
    if source.name.lower().endswith(".xlsx"):
        refusal = workbook_refusal(source)
        if refusal is not None:
            raise ImportRefused([refusal])
        try:
            workbook = load_workbook(io.BytesIO(source.data), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            finally:
                workbook.close()
        except WORKBOOK_READ_ERRORS as exc:
            raise ImportRefused([workbook_error(source, str(exc))]) from None
    return list(csv.reader(io.StringIO(source.data.decode("utf-8-sig"), newline="")))


class _Rows:
    """Collects the errors of one file. Each message is the sentence the upload page
    prints, naming the row and the figure; the column is kept beside it."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.errors: list[RowError] = []

    def error(self, row: int | None, column: str, message: str) -> None:
        self.errors.append(RowError(self.file_name, row, column, message))


def parse(sources: list[SourceFile], context: TemplateContext) -> ParsedImport:
    """Read a filled-in template. Every bad row gives an error naming the row, the
    measure and area, and the column; ``rows`` (a list of ``ObservationInput``) is
    only stored when there are no errors."""
    files = expand_sources(sources, suffixes=(".csv", ".xlsx"))
    parsed = ParsedImport(format=FORMAT, files=files)
    data_return = context.data_return
    parsed.summary = {"data_return": data_return.pk, "version": context.version}
    if len(files) != 1:
        parsed.errors.append(
            RowError("(upload)", None, "", "Upload one filled-in template at a time")
        )
        return parsed
    source = files[0]
    found = _Rows(source.name)
    if not source.name.lower().endswith(".xlsx"):
        header_line = next(csv.reader([first_line(source.data)]), [])
        problem = encoding_problem(source, [h.strip() for h in header_line])
        if problem is not None:
            found.error(problem.row, problem.column, f"Row {problem.row}: {problem.message}")
            parsed.errors = found.errors
            return parsed
    try:
        table = _read_table(source)
    except ImportRefused as refused:
        parsed.errors = refused.errors
        return parsed
    except (UnicodeDecodeError, csv.Error) as exc:
        found.error(None, "", f"The file could not be read as CSV ({exc})")
        parsed.errors = found.errors
        return parsed
    if not table:
        found.error(None, "", "The file is empty")
        parsed.errors = found.errors
        return parsed
    header = [h.strip().lower() for h in table[0]]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        found.error(
            1, "", f"The first row must hold the column names; missing: {', '.join(missing)}"
        )
        parsed.errors = found.errors
        return parsed
    column = {name: header.index(name) for name in RETURN_HEADERS if name in header}
    inputs, preview = _read_rows(table, column, context, parsed, found)
    parsed.errors = found.errors
    parsed.rows_rejected = len({e.row for e in found.errors if e.row is not None})
    if not inputs and not parsed.errors:
        parsed.errors.append(
            RowError(source.name, None, "", "The file has no figures: fill in the value column")
        )
    parsed.rows = inputs
    parsed.summary["preview"] = preview
    return parsed


def _read_rows(
    table: list[list[str]],
    column: dict[str, int],
    context: TemplateContext,
    parsed: ParsedImport,
    found: _Rows,
) -> tuple[list[ObservationInput], list[dict[str, str]]]:
    data_return = context.data_return
    by_code = {m.code: m for m in context.measures}
    by_area = {a.name.lower(): a for a in context.areas}
    expected = figure_period_label(data_return.period_type, data_return.period_start)
    inputs: list[ObservationInput] = []
    preview: list[dict[str, str]] = []
    seen: dict[tuple[int, int | None], int] = {}

    for number, row in enumerate(table[1:], start=2):
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in column.items()}
        if not any(cells.values()):
            continue
        parsed.rows_read += 1
        code = cells.get("measure_code", "")
        measure = by_code.get(code)
        if measure is None:
            found.error(
                number,
                "measure_code",
                f"Row {number}: the measure “{code}” is not part of this return",
            )
            continue
        area_text = cells.get("area", "")
        area: Area | None
        if area_text.lower() == WHOLE_PARTNERSHIP_LABEL.lower():
            area = None
        elif area_text.lower() in by_area:
            area = by_area[area_text.lower()]
        else:
            found.error(
                number,
                "area",
                f"Row {number} ({measure.name}): the area “{area_text}” is not one of the "
                "partnership's areas",
            )
            continue
        subject = f"Row {number} ({measure.name}, {where_label(area)})"
        if written_by_register(context.observations.get((measure.pk, area.pk if area else None))):
            found.error(
                number,
                "value",
                f"{subject}: this figure is counted from the ASB case review register; "
                "change the register, not the figure",
            )
            continue
        try:
            start = date.fromisoformat(cells.get("period_start", ""))
        except ValueError:
            found.error(
                number,
                "period_start",
                f"{subject}: the period start must be a date like 2017-04-01",
            )
            continue
        if not context.first_year <= financial_year_of(start) <= context.last_year:
            found.error(
                number,
                "period_start",
                f"{subject}: the period starting {start:%d %B %Y} is outside the partnership's "
                f"years (April {context.first_year} to March {context.last_year + 1})",
            )
            continue
        if start != data_return.period_start:
            found.error(
                number,
                "period_start",
                f"{subject}: the period starting {start:%d %B %Y} is not this return's "
                f"period ({expected})",
            )
            continue
        value, error = parse_figure(cells.get("value", ""), measure, where_label(area))
        if error:
            found.error(number, "value", f"Row {number}: {error}")
            continue
        reason = cells.get("not_supplied_reason", "")
        note = cells.get("note", "")
        if len(reason) > MAX_REASON or len(note) > MAX_NOTE:
            found.error(
                number,
                "not_supplied_reason" if len(reason) > MAX_REASON else "note",
                f"{subject}: the reason is limited to {MAX_REASON} and the note to "
                f"{MAX_NOTE} characters",
            )
            continue
        if value is None and not reason:
            # An empty row: nothing to store.
            continue
        if value is not None and reason:
            found.error(
                number,
                "not_supplied_reason",
                f"{subject}: either give a value or a reason it was not supplied, not both",
            )
            continue
        key = (measure.pk, area.pk if area else None)
        if key in seen:
            found.error(number, "", f"{subject}: the same figure is already on row {seen[key]}")
            continue
        seen[key] = number
        item = ObservationInput(
            measure_id=measure.pk,
            area_id=area.pk if area else None,
            period_type=data_return.period_type,
            period_start=data_return.period_start,
            period_end=data_return.period_end,
            value=value,
            not_supplied_reason=reason if value is None else "",
            note=note,
        )
        inputs.append(item)
        preview.append(_preview_row(item, measure, area, context.observations.get(key)))
    return inputs, preview


def _shown(value: Decimal | None, reason: str) -> str:
    if value is None:
        return f"Not supplied ({reason})" if reason else "Not supplied"
    return f"{value:,}" if value == int(value) else f"{value:,.2f}"


def _preview_row(
    item: ObservationInput, measure: Measure, area: Area | None, stored: Observation | None
) -> dict[str, str]:
    """One line of the preview: the figure now, the file's figure, and whether it is
    new, changed or unchanged."""
    new = _shown(item.value, item.not_supplied_reason)
    if stored is None:
        current, change = "None", "New"
    else:
        current = _shown(stored.value, stored.not_supplied_reason)
        same = (
            stored.value == item.value
            and stored.note == item.note
            and stored.not_supplied_reason == item.not_supplied_reason
        )
        change = "Unchanged" if same else "Changed"
    return {
        "measure": measure.name,
        "where": area.name if area else WHOLE_PARTNERSHIP_LABEL,
        "current": current,
        "new": new + (f" (note: {item.note})" if item.note else ""),
        "change": change,
    }


def planned_inputs(
    parsed: ParsedImport, context: TemplateContext, partnership: Partnership
) -> dict[int, list[ObservationInput]]:
    return {partnership.pk: parsed.rows}


def store(
    parsed: ParsedImport,
    *,
    context: TemplateContext,
    user: object,
    batch: ImportBatch,
    reason: str = "",
    **_kwargs: object,
) -> StoreOutcome:
    """Save the file's figures into the return, as the browser grid saves them.
    ``reason`` is the correction reason an approved return needs. Raises
    ``EditConflict`` when the return was saved after the preview, ``ReturnLocked`` or
    ``ApprovedFigureConflict`` when approved figures would change without a reason."""
    result = data_return_save(
        data_return=context.data_return,
        inputs=parsed.rows,
        user=user,
        version=batch.summary["version"],
        correction_reason=reason,
        source=Observation.Source.TEMPLATE,
        import_batch=batch,
    )
    return StoreOutcome(
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        rows_stored=result.created + result.updated,
    )
