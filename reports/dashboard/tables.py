"""The dashboard's tables and charts, built from the comparisons once per request:
the page prints them and the download views write the same rows to CSV or XLSX.

Every cell keeps its raw value (for downloads: numbers stay numbers, missing stays
empty) beside its printed text ("Missing", never 0).
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from crimestats import comparisons
from cspportal.lib import formats
from cspportal.lib.formats import is_missing
from cspportal.lib.periods import (
    annual_window,
    figure_months_label,
    financial_year_of,
    index_to_date,
    month_index,
    month_label,
    point_label,
)
from reports import charts, tables
from reports.dashboard import analysis, narrative
from reports.dashboard.selectors import SECTIONS, DashboardData, MeasureInfo
from reports.tables import (
    MISSING,
    Cell,
    Table,
    assessment_cell,
    change_cell,
    pct_cell,
    significance_cell,
    value_cell,
)


def _average(row: dict, unit: str) -> Cell:
    """The 3-year average, to the precision of the figures it averages: a count's
    average is a whole number, as the counts are (13,748, not 4,516.7)."""
    if is_missing(row["average"]):
        return Cell(f"Not available ({row['years_in_average']} of 3 years)", None, numeric=True)
    average = float(row["average"])
    if unit != "count":
        return value_cell(average, unit)
    whole = math.floor(average + 0.5)
    cell = value_cell(whole, unit)
    cell.raw = float(whole)
    return cell


def _current(row: dict, measure: MeasureInfo, period) -> Cell:
    """The period's figure; when there is nothing to compare it with, its own figure
    all the same, with the months it covers and that it is not compared."""
    if not is_missing(row["current"]) or is_missing(row.get("current_alone")):
        return value_cell(row["current"], measure.unit)
    cell = value_cell(row["current_alone"], measure.unit)
    window = narrative.comparison_period(measure, period)
    covers = figure_months_label(window, narrative.covered_months(row, measure.frequency))
    cell.note = f"{covers}: nothing to compare with"
    return cell


def _pct(row: dict) -> Cell:
    return pct_cell(
        row["pct_change"],
        bool(row.get("small_base")),
        not_calculated="Not calculated" if not is_missing(row["previous"]) else "",
    )


def _assessment(row: dict) -> Cell:
    return assessment_cell(row["assessment"], row["change"])


def _significance(row: dict) -> Cell:
    return significance_cell(row["significant"])


def comparison_table(data: DashboardData, section: str, url_for) -> Table | None:
    """The headline table of one section: one row per measure."""
    measures = [m for m in data.measures if m.section == section]
    if not measures:
        return None
    rows_by_code = data.rows_by_code
    period, labels = data.period, data.labels
    rows = []
    on_years = False
    for m in measures:
        row = rows_by_code[m.code]
        name = Cell(m.name, m.name, header=True, url=url_for(m))
        if narrative.on_whole_years(row):
            on_years = True
            # The download keeps the source beside the name: a cell note is not in it.
            name.note = narrative.ONS_SOURCE
            name.raw = f"{m.name} (source: {narrative.ONS_SOURCE})"
        rows.append(
            [
                name,
                value_cell(row["previous"], m.unit),
                _current(row, m, data.period),
                change_cell(row["change"], m.unit),
                _pct(row),
                _assessment(row),
                _significance(row),
                _average(row, m.unit),
                pct_cell(row["pct_vs_average"], small_base=False),
            ]
        )
    title = next(label for code, label, _ in SECTIONS if code == section)
    notes = []
    if any(m.frequency == "annual" for m in measures):
        window = annual_window(period)
        notes.append(f"Annual measures compare {window.label} with {window.previous_year().label}.")
    if any(m.frequency == "quarterly" for m in measures):
        notes.append("Quarterly measures count only the quarters wholly inside the period.")
    if on_years:
        notes.append(
            f"Measures marked '{narrative.ONS_SOURCE}' are compared on "
            f"{narrative.source_phrase(period)} (the ONS Community Safety Partnership "
            "tables), as they have no complete monthly figures for those two years."
        )
    return Table(
        id=f"headline-{section}",
        caption=f"{title}: {labels.comparison}",
        headers=[
            "Measure",
            labels.previous,
            labels.current,
            "Change",
            "% change",
            "Better or worse",
            formats.SIGNIFICANCE_HEADER,
            "Average of the previous 3 years",
            "Against the 3-year average",
        ],
        rows=rows,
        numeric={1, 2, 3, 4, 7, 8},
        notes=notes,
    )


def area_table(
    data: DashboardData, url_for, measures: list[MeasureInfo] | None = None
) -> Table | None:
    """Each measure that has area figures, by area, with rates per 1,000 people."""
    measures = measures if measures is not None else data.measures
    codes = {m.code for m in measures}
    records = [r for r in data.area_records if r["measure"] in codes]
    with_data = {
        r["measure"]
        for r in records
        if not (is_missing(r["current"]) and is_missing(r["previous"]))
    }
    if not with_data:
        return None
    areas = {a.id: a for a in data.areas}
    rows = []
    by_code = {m.code: m for m in measures}
    for row in records:
        if row["measure"] not in with_data:
            continue
        m = by_code[row["measure"]]
        area = areas[row["area"]]
        rate = (
            comparisons.rate_per_1000(row["current"], area.population)
            if m.unit == "count"
            else None
        )
        rows.append(
            [
                Cell(m.short_name, m.name, url=url_for(m)),
                Cell(area.name, area.name, header=True),
                value_cell(row["previous"], m.unit),
                value_cell(row["current"], m.unit),
                change_cell(row["change"], m.unit),
                _pct(row),
                _assessment(row),
                _significance(row),
                Cell(formats.rate(rate), round(rate, 2), numeric=True)
                if rate is not None
                else Cell("", None, numeric=True),
            ]
        )
    return Table(
        id="areas",
        caption=f"By area: {data.labels.comparison}",
        headers=[
            "Measure",
            "Area",
            data.labels.previous,
            data.labels.current,
            "Change",
            "% change",
            "Better or worse",
            formats.SIGNIFICANCE_HEADER,
            "Rate per 1,000 people",
        ],
        rows=rows,
        numeric={2, 3, 4, 5, 8},
        notes=["Rates use each area's recorded population."],
    )


def month_ranges(months: list[int]) -> str:
    """Month indexes as ranges: "June 2017 to August 2017, January 2018"."""
    if not months:
        return ""
    months = sorted(set(months))
    runs, start, last = [], months[0], months[0]
    for m in months[1:]:
        if m == last + 1:
            last = m
            continue
        runs.append((start, last))
        start = last = m
    runs.append((start, last))
    return ", ".join(
        month_label(index_to_date(a))
        if a == b
        else f"{month_label(index_to_date(a))} to {month_label(index_to_date(b))}"
        for a, b in runs
    )


NO_FIGURES_EITHER_YEAR = "No figures for either year"


def no_figures_line(data: DashboardData) -> str:
    """The measures with no figure in either period compared, named once:
    "No figures for either year: MARAC cases discussed and Residents surveyed." (empty
    when there are none). The completeness table leaves them out rather than repeat
    the same words row after row."""
    area_names = {a.id: a.name for a in data.areas}
    names, by_area = [], []
    for m, row in zip(data.measures, data.records, strict=True):
        if not _no_figures_either_year(row):
            continue
        window = narrative.comparison_period(m, data.period)
        compared = {month_index(day) for w in (window, window.previous_year()) for day in w.months}
        areas = sorted(
            area_names.get(a, "")
            for a, figures in data.area_figures_of(m.code).items()
            if compared & set(figures)
        )
        if areas:
            # A district's own survey: figures that exist, for some areas only.
            by_area.append(f"{m.short_name} ({narrative.join_names(areas)})")
        else:
            names.append(m.short_name)
    lines = []
    if names:
        lines.append(f"{NO_FIGURES_EITHER_YEAR}: {narrative.join_names(names)}.")
    if by_area:
        lines.append(
            "On record for some areas only, so given by area under Partnership measures "
            f"rather than for the whole partnership: {narrative.join_names(by_area)}."
        )
    return " ".join(lines)


def _no_figures_either_year(row: dict) -> bool:
    return (
        not narrative.on_whole_years(row)
        and row["used"] == 0
        and row["expected"] > 0
        and is_missing(row["previous"])
        and is_missing(row["current"])
        and is_missing(row.get("current_alone"))
    )


def completeness_table(data: DashboardData) -> Table:
    """Every missing figure in the two periods compared, by measure and area. A
    measure with no figures in either year is not a row: ``no_figures_line`` names
    those once."""
    rows = []
    areas = {a.id: a.name for a in data.areas}
    by_area: dict[str, list[dict]] = {}
    for row in data.area_records:
        by_area.setdefault(row["measure"], []).append(row)
    for m, row in zip(data.measures, data.records, strict=True):
        missing = row["missing_current"] + row["missing_previous"]
        if narrative.on_whole_years(row):
            rows.append(
                [
                    Cell(m.short_name, m.name, header=True),
                    Cell("Whole partnership"),
                    Cell(month_ranges(missing)),
                    Cell(f"Compared on {narrative.ONS_SOURCE} for the whole years instead"),
                ]
            )
        elif _no_figures_either_year(row):
            continue
        elif row["used"] == 0 and row["expected"] > 0:
            effect = (
                "Not compared: its figure is shown on its own"
                if not is_missing(row.get("current_alone"))
                else "Not compared"
            )
            rows.append(
                [
                    Cell(m.short_name, m.name, header=True),
                    Cell("Whole partnership"),
                    Cell(month_ranges(missing) or "No figures in the period"),
                    Cell(effect),
                ]
            )
        elif missing:
            rows.append(
                [
                    Cell(m.short_name, m.name, header=True),
                    Cell("Whole partnership"),
                    Cell(month_ranges(missing)),
                    Cell("Left out of both years"),
                ]
            )
        area_rows = by_area.get(m.code, [])
        has_area_data = any(
            r["used"] > 0
            or r["missing_current"] != []
            and len(r["missing_current"]) < r["expected"]
            for r in area_rows
        )
        if not has_area_data:
            continue
        for area_row in area_rows:
            area_missing = area_row["missing_current"] + area_row["missing_previous"]
            if area_missing:
                rows.append(
                    [
                        Cell(m.short_name, m.name, header=True),
                        Cell(areas.get(area_row["area"], "")),
                        Cell(month_ranges(area_missing)),
                        Cell("Left out of both years for this area"),
                    ]
                )
    return Table(
        id="completeness",
        caption=f"Missing figures: {data.labels.comparison}",
        headers=["Measure", "Where", "Missing", "Effect on the comparison"],
        rows=rows,
        notes=[narrative.MISSING_NOTE],
    )


def trend_chart(
    data: DashboardData, measure: MeasureInfo, chart_id: str | None = None
) -> charts.Chart | None:
    """The measure's financial years drawn over each other (three earlier years and
    the current one)."""
    series = data.series[data.series["measure"] == measure.code]
    if series.empty or series["value"].notna().sum() == 0:
        return None
    last_fy = financial_year_of(data.period.end)
    overlay = analysis.financial_year_overlay(series, last_fy - 3, last_fy)
    if measure.frequency == "annual":
        return None
    # Month of the financial year the period ends in (0 = April); a quarter counts
    # once its third month is in.
    last_position = (data.period.end.month - 4) % 12
    if measure.frequency == "quarterly":
        last_position -= 2
    return charts.financial_year_trend(
        chart_id=chart_id or f"trend-{measure.code}",
        last_position=last_position,
        title=measure.short_name,
        overlay=overlay,
        unit=measure.unit,
        quarterly=measure.frequency == "quarterly",
    )


def area_chart(data: DashboardData, measure: MeasureInfo) -> charts.Chart | None:
    frame = data.area_comparison[data.area_comparison["measure"] == measure.code]
    if frame.empty or (frame["current"].isna() & frame["previous"].isna()).all():
        return None
    names = {a.id: a.name for a in data.areas}
    labels = data.labels
    return charts.area_comparison(
        chart_id=f"areas-{measure.code}",
        title=f"{measure.short_name} by area, {labels.current} against {labels.previous}",
        areas=[names[a] for a in frame["area"]],
        current=frame["current"].tolist(),
        previous=frame["previous"].tolist(),
        current_label=labels.current,
        previous_label=labels.previous,
        unit=measure.unit,
    )


def chart_table(chart: charts.Chart) -> Table:
    """A chart's data as a page table (the same rows the chart draws)."""
    return tables.chart_table(
        chart, id=f"chart-{chart.id}", caption=f"Data for the chart: {chart.title}"
    )


def months_label(first: date | None, latest: date | None) -> str:
    if first is None or latest is None:
        return "No figures yet"
    return f"{month_label(first)} to {month_label(latest)}"


def long_trend_chart(measure: MeasureInfo, history: pd.DataFrame) -> charts.Chart | None:
    """Every figure on record up to the end of the period, as one line."""
    if history.empty or history["value"].notna().sum() == 0:
        return None
    return charts.long_trend(
        chart_id=f"history-{measure.code}",
        title=f"{measure.short_name}, all figures on record",
        labels=[point_label(index_to_date(m), measure.frequency) for m in history["month"]],
        values=history["value"].tolist(),
        unit=measure.unit,
    )


RATE_SOURCES = {
    analysis.RATE_PUBLISHED: "ONS",
    analysis.RATE_WITHHELD: "ONS (not published)",
    analysis.RATE_COMPUTED: "Computed",
    analysis.RATE_NONE: "",
}


def _peer_rate_cell(row: dict) -> Cell:
    """The rate as ONS publishes it, the one worked out, or why ONS publishes none."""
    if row["rate_source"] == analysis.RATE_WITHHELD:
        return Cell(f"Not published by ONS: {row['rate_note']}", None)
    if is_missing(row["rate"]):
        return Cell(MISSING, None, numeric=True)
    return Cell(formats.rate(row["rate"]), round(row["rate"], 2), numeric=True)


def _peer_pct_change_cell(row: dict) -> Cell:
    """ONS's % change on the year before, for a figure from the ONS tables."""
    if not is_missing(row["published_pct_change"]):
        change = row["published_pct_change"]
        return Cell(formats.pct_change(change), round(change, 1), numeric=True)
    if row["pct_change_note"]:
        return Cell(f"Not published by ONS: {row['pct_change_note']}", None)
    return Cell("", None, numeric=True)


def peer_table(peers: pd.DataFrame, measure: MeasureInfo, group, window) -> Table:
    """The peer group ranked by rate per 1,000 people, with the group average, each
    partnership's distance from it, where its rate comes from and ONS's % change."""
    rows = []
    for row in peers.to_dict("records"):
        name = row["name"] + (" (this partnership)" if row["is_self"] else "")
        ranked = not is_missing(row["rate"])
        rows.append(
            [
                Cell(name, row["name"], header=True),
                Cell(
                    # No-break spaces: "1 of 4" never splits over two lines.
                    f"{int(row['rank'])}\u00a0of\u00a0{row['ranked']}" if ranked else "Not ranked",
                    int(row["rank"]) if ranked else None,
                ),
                value_cell(row["value"], measure.unit),
                value_cell(row["population"], "count"),
                _peer_rate_cell(row),
                Cell(RATE_SOURCES[row["rate_source"]]),
                _peer_pct_change_cell(row),
                Cell(formats.signed_rate(row["distance"]), round(row["distance"], 2), numeric=True)
                if ranked
                else Cell("", None, numeric=True),
                Cell(
                    formats.pct_change(row["distance_pct"]),
                    round(row["distance_pct"], 1),
                    numeric=True,
                )
                if ranked and not is_missing(row["distance_pct"])
                else Cell("", None, numeric=True),
            ]
        )
    average = peers["group_average"].iloc[0] if len(peers) else float("nan")
    ranked_count = int(peers["ranked"].iloc[0]) if len(peers) else 0
    direction = "highest" if measure.polarity == "up_good" else "lowest"
    notes = [
        f"{ranked_count} of {len(peers)} partnerships ranked. Rank 1 is the {direction} rate "
        "per 1,000 people. The group average "
        + (f"is {formats.rate(average)} per 1,000: " if not is_missing(average) else "")
        + "the mean rate of every partnership in the group with a rate, this one included.",
        "Source of rate: 'ONS' is the rate ONS publishes for the same figure and year "
        "ending (from unrounded population estimates); 'Computed' is the figure divided "
        "by the population, times 1,000, for a figure ONS does not publish (one the "
        "partnership entered). A rate ONS does not publish is not shown, ranked or "
        "counted in the group average.",
        "ONS % change is the change on the year before as ONS publishes it, for figures "
        "from the ONS tables.",
        "A partnership's figure is its annual figure for the year, or the sum of its "
        "monthly (or quarterly) figures when none is missing; otherwise it is not ranked.",
    ]
    return Table(
        id="peers",
        caption=f"{measure.short_name} in the peer group '{group.name}', {window.label}",
        headers=[
            "Partnership",
            "Rank",
            "Figure",
            "Population",
            "Rate per 1,000 people",
            "Source of rate",
            "ONS % change on the year before",
            "Distance from the group average",
            "Distance from the group average (%)",
        ],
        rows=rows,
        numeric={2, 3, 4, 6, 7, 8},
        notes=notes,
    )


def peer_chart(peers: pd.DataFrame, measure: MeasureInfo, own: str, window) -> charts.Chart | None:
    ranked = peers[peers["rate"].notna()]
    if ranked.empty:
        return None
    return charts.peer_rates(
        chart_id=f"peers-{measure.code}",
        title=f"{measure.short_name} per 1,000 people, {window.label}",
        names=ranked["name"].tolist(),
        rates=ranked["rate"].tolist(),
        average=float(ranked["group_average"].iloc[0]),
        own=own,
    )
