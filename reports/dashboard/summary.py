"""The dashboard's first screen: the headline measures at a glance.

For each headline measure, a card: its figure for the period and a year earlier, the
change in a few words ("Up 20.4%, worse, and unlikely to be chance") and a small
like-for-like trend: the same months in the period and in each of the three years
before, the years behind the 3-year average. Which measures are headlines:

- all crime, first, for context, when the partnership reports it;
- then the measures its action plans set targets for, named by the priority each
  target serves;
- where no targets are set, all crime and anti-social behaviour incidents.

Pure functions of the dashboard's data (``DashboardData``) and the targets: no
database, no request. The template draws each trend as a few SVG bars from the
geometry here, so the summary needs no JavaScript and nothing the CSP forbids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cspportal.lib import formats
from cspportal.lib.formats import is_missing
from cspportal.lib.periods import Period
from reports.dashboard import analysis, narrative
from reports.dashboard.selectors import DashboardData, MeasureInfo
from reports.tables import Cell, Table, direction_arrow, value_cell

ALL_CRIME = "all-crime"
FALLBACK = (ALL_CRIME, "asb-incidents")
MOST = 6  # the cards that fit the first screen at 1280 x 800
# The trend's drawing box (SVG user units): bars grow up from the baseline.
TREND_WIDTH, TREND_HEIGHT, BAR_GAP = 96, 40, 4


@dataclass(frozen=True)
class Bar:
    """One year of a trend: its label, value as printed, and the bar's box."""

    label: str
    text: str
    x: float
    y: float
    width: float
    height: float
    current: bool


@dataclass(frozen=True)
class Trend:
    bars: list[Bar]
    values: list[float | None]  # oldest first, None where a year is not complete
    description: str  # the bars in words, the SVG's accessible name


@dataclass(frozen=True)
class Card:
    measure: MeasureInfo
    url: str
    priority: str
    value: str
    period_label: str
    previous: str
    previous_label: str
    change: str
    assessment: str  # better, worse, no_real_change, changed, not_compared
    arrow: str
    note: str  # why there is no comparison, when there is none
    how_sure: str  # the method and p-value, one click away
    trend: Trend | None


def headline_measures(
    measures: list[MeasureInfo], targets: list[tuple[str, str]]
) -> list[tuple[MeasureInfo, str]]:
    """The headline measures, each with the priority it serves ("" for none), in the
    order the cards show them; at most ``MOST``."""
    by_code = {m.code: m for m in measures}
    chosen: dict[str, str] = {}
    if targets and ALL_CRIME in by_code:
        chosen[ALL_CRIME] = next((p for code, p in targets if code == ALL_CRIME), "")
    for code, priority in targets:
        if code in by_code:
            chosen.setdefault(code, priority)
    if not targets:
        chosen = {code: "" for code in FALLBACK if code in by_code}
    return [(by_code[code], priority) for code, priority in list(chosen.items())[:MOST]]


def _years(period: Period) -> list[Period]:
    """The period and the three years before it, oldest first."""
    years = [period]
    for _ in range(analysis.EARLIER_YEARS):
        years.insert(0, years[0].previous_year())
    return years


def trend(values: list[float | None], labels: list[str], unit: str) -> Trend | None:
    """Bars for the same months in each year, scaled from zero to the largest; a year
    with a missing figure has no bar and says so. None when fewer than two years have
    a figure (nothing to see a trend in)."""
    known = [v for v in values if v is not None]
    if len(known) < 2 or max(known) <= 0:
        return None
    top = max(known)
    width = (TREND_WIDTH - BAR_GAP * (len(values) - 1)) / len(values)
    bars, words = [], []
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        text = formats.value(value, unit) if value is not None else formats.NOT_SUPPLIED
        height = 0.0 if value is None else max(value, 0) / top * TREND_HEIGHT
        bars.append(
            Bar(
                label=label,
                text=text,
                x=round(i * (width + BAR_GAP), 2),
                y=round(TREND_HEIGHT - height, 2),
                width=round(width, 2),
                height=round(height, 2),
                current=i == len(values) - 1,
            )
        )
        words.append(f"{label}: {text}")
    return Trend(bars, values, "The same months in each year. " + "; ".join(words) + ".")


def card(data: DashboardData, measure: MeasureInfo, priority: str, row: dict, url: str) -> Card:
    """One headline measure's card."""
    window = narrative.comparison_period(measure, data.period)
    years = _years(window)
    labels = [p.short_label for p in years]
    if window is data.period:
        current_label, previous_label = data.labels.current, data.labels.previous
    else:
        current_label, previous_label = labels[-1], labels[-2]
    note = ""
    value = row["current"]
    if is_missing(value) and not is_missing(row.get("current_alone")):
        value = row["current_alone"]
    if is_missing(row["current"]) or is_missing(row["previous"]):
        side = (
            window.label if is_missing(row.get("current_alone")) else window.previous_year().label
        )
        note = f"No figure for {side}, so no comparison."
    values: list[float | None] = []
    if row.get("basis") == analysis.Basis.MONTHS.value and row.get("compared"):
        values = analysis.same_months_by_year(
            data.figures_of(measure.code), row["compared"], measure.aggregation
        )
    return Card(
        measure=measure,
        url=url,
        priority=priority,
        value=formats.value(value, measure.unit, missing=formats.NOT_SUPPLIED),
        period_label=current_label,
        previous=formats.value(row["previous"], measure.unit, missing=formats.NOT_SUPPLIED),
        previous_label=previous_label,
        change=narrative.change_words(measure, row),
        assessment=str(row["assessment"]),
        arrow=direction_arrow(row["change"]),
        note=note,
        how_sure=narrative.test_words(row),
        trend=trend(values, labels, measure.unit) if values else None,
    )


def cards(
    data: DashboardData,
    targets: list[tuple[str, str]],
    url_for: Callable[[MeasureInfo], str],
) -> list[Card]:
    """The headline cards of the dashboard's first screen."""
    rows = data.rows_by_code
    return [
        card(data, measure, priority, rows[measure.code], url_for(measure))
        for measure, priority in headline_measures(data.measures, targets)
    ]


def trend_table(found: list[Card]) -> Table | None:
    """The numbers behind the cards' trends, as a table (every chart has one). The
    columns are the first card's years; a measure compared on other years (an annual
    measure's last complete financial years) names its own."""
    drawn = [(c, c.trend) for c in found if c.trend is not None]
    if not drawn:
        return None
    labels = [bar.label for bar in drawn[0][1].bars]
    rows = []
    for c, drawing in drawn:
        name = Cell(c.measure.short_name, c.measure.short_name, header=True)
        own = [bar.label for bar in drawing.bars]
        if own != labels:
            name.note = f"{own[0]} to {own[-1]}"
        rows.append([name, *(value_cell(v, c.measure.unit) for v in drawing.values)])
    return Table(
        id="headline-trends",
        caption="Headline measures: the same months in the period and the three years before",
        headers=["Measure", *labels],
        rows=rows,
        numeric=set(range(1, len(labels) + 1)),
    )
