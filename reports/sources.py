"""What a report reads from the other apps, in the report's own small types.

Each ``read_*`` function asks one app (the dashboard comparisons, the action plan,
the meetings tracker, the figures) and translates its answer. When that app cannot
answer (no data yet, no plan, an error) the function raises ``SourceUnavailable``
with a sentence for the reader, and the report prints that sentence in the
section instead of failing.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial

from actionplans.selectors import RagCounts, plan_progress
from crimestats.models import Measure, Observation
from cspportal.lib import periods
from cspportal.lib.periods import fytd
from meetings.selectors import outstanding_resolutions
from reports import charts
from reports.dashboard import analysis, narrative, selectors
from reports.dashboard.selectors import dashboard_data, data_range

logger = logging.getLogger(__name__)


class SourceUnavailable(Exception):
    """A section's data cannot be read; the message is printed in the report."""


@dataclass
class MonthValue:
    month: date
    value: float | None


@dataclass
class AreaComparison:
    area: str
    previous: float | None
    current: float | None
    pct: float | None
    small_base: bool = False


@dataclass
class MeasureComparison:
    """One measure, this period against the same period a year earlier."""

    code: str
    name: str
    group: str
    kind: str
    unit: str
    previous: float | None
    current: float | None
    change: float | None
    pct: float | None
    assessment: str  # a crimestats.comparisons.Assessment value
    significant: bool | None
    small_base: bool
    headline: str
    missing_note: str = ""
    by_area: list[AreaComparison] = field(default_factory=list)
    months: list[MonthValue] = field(default_factory=list)
    months_previous: list[MonthValue] = field(default_factory=list)
    three_year_average: float | None = None
    is_headline: bool = False

    @property
    def direction(self) -> str:
        """The assessment in words: better, worse, no real change, changed, or empty
        when the two periods were not compared."""
        return ASSESSMENT_WORDS.get(self.assessment, "")


def headline_measures(measures: list[MeasureComparison]) -> list[MeasureComparison]:
    """The partnership's headline measures (all of them when none is marked)."""
    chosen = [m for m in measures if m.is_headline]
    return chosen or measures


@dataclass
class CrimeFigures:
    comparison_label: str
    crimes: list[MeasureComparison]
    incidents: list[MeasureComparison]
    notes: list[str] = field(default_factory=list)
    significance_method: str = ""
    # The columns' labels when they name the months compared ("May to June 2024"),
    # because some of the period's months were not supplied; empty otherwise.
    current_label: str = ""
    previous_label: str = ""
    # The dashboard's own charts (``reports.charts``) by key, each built on demand by
    # calling it (building all of them would cost half a second).
    figures: dict = field(default_factory=dict)

    @property
    def all_measures(self) -> list[MeasureComparison]:
        return self.crimes + self.incidents


@dataclass
class TrendPoint:
    label: str
    value: float | None
    # The month index (``periods.month_index``) of the figure's first month, so that
    # figures of different measures for the same period can be lined up.
    month: int | None = None


@dataclass
class PartnershipMeasureTrend:
    code: str
    name: str
    group: str
    unit: str
    points: list[TrendPoint]
    latest_label: str
    latest: float | None
    previous: float | None
    headline: str
    source: str = ""
    # The window the previous figure covers ("October 2015 to September 2016").
    previous_label: str = ""
    # The area, for a measure on record only for some areas (a district's survey).
    area: str = ""


@dataclass
class ActionException:
    action: str
    lead: str
    due: date | None
    rag: str
    status: str
    reason: str
    latest_update: str


@dataclass
class PlanProgress:
    plan_name: str
    as_of: date
    by_priority: list[RagCounts]
    exceptions: list[ActionException]
    totals: RagCounts


@dataclass
class ResolutionStatus:
    meeting: str
    meeting_date: date | None
    number: str
    text: str
    owner: str
    status: str
    report_back: str
    overdue: bool
    latest_response: str


@dataclass
class FundingLine:
    label: str
    period: str
    amount: Decimal | None
    note: str = ""


def read_dashboard(
    partnership, *, start: date, end: date
) -> tuple[CrimeFigures, list[PartnershipMeasureTrend]]:
    """The dashboard's comparison for the financial year to date ending ``end``: the
    crime and incident measures, and the partnership measures with their trends.
    Read once for both sections."""
    period = fytd(end)
    found = data_range(partnership)
    data = dashboard_data(partnership, period) if found.latest_month else None
    if data is None or not data.measures:
        raise SourceUnavailable(
            f"{partnership.name} has no figures yet, so there is nothing to compare."
        )
    rows = data.rows_by_code
    area_names = {a.id: a.name for a in data.areas}
    area_rows: dict[str, list[dict]] = {}
    for area_row in data.area_records:
        area_rows.setdefault(area_row["measure"], []).append(area_row)
    series = data.series
    months_now = [periods.month_index(m) for m in period.months]
    first_fy, last_fy = data.trend_first_fy, periods.financial_year_of(period.end)

    crimes: list[MeasureComparison] = []
    incidents: list[MeasureComparison] = []
    trends: list[PartnershipMeasureTrend] = []
    figures: dict = {}
    for info in data.measures:
        row = rows.get(info.code)
        if row is None:
            continue
        measure_series = series[series["measure"] == info.code]
        by_month = dict(
            zip(measure_series["month"].astype(int), measure_series["value"], strict=True)
        )
        if info.kind in ("partnership", "survey"):
            if info.unit == "gbp":
                continue
            if measure_series["value"].notna().sum() == 0:
                trends += _area_trends(data, info, months_now[-1])
                continue
            points = [
                TrendPoint(
                    periods.point_label(periods.index_to_date(m), info.frequency), _num(v), m
                )
                for m, v in sorted(by_month.items())
                if m <= months_now[-1]
            ]
            latest = narrative.latest_figure(
                info,
                {m: v for m, v in by_month.items() if m <= months_now[-1]},
                info.aggregation,
            )
            figures[f"trend-{info.code}"] = partial(
                charts.long_trend,
                chart_id=f"trend-{info.code}",
                title=info.short_name,
                labels=[p.label for p in points],
                values=[p.value for p in points],
                unit=info.unit,
            )
            trends.append(
                PartnershipMeasureTrend(
                    code=info.code,
                    name=info.short_name,
                    group=info.group,
                    unit=info.unit,
                    points=points,
                    latest_label=latest.label if latest else "",
                    latest=latest.value if latest else None,
                    previous=latest.previous if latest else None,
                    previous_label=latest.previous_label if latest else "",
                    headline=data.sentence(info, row),
                )
            )
            continue
        alone = _num(row.get("current_alone"))
        if _num(row["current"]) is None and _num(row["previous"]) is None and alone is None:
            continue
        comparison = MeasureComparison(
            code=info.code,
            name=info.short_name,
            group=info.group,
            kind=info.kind,
            unit=info.unit,
            previous=_num(row["previous"]),
            # With nothing to compare it with, the period's own figure all the same.
            current=_num(row["current"]) if _num(row["current"]) is not None else alone,
            change=_num(row["change"]),
            pct=_num(row["pct_change"]),
            assessment=row["assessment"],
            significant=None if _num(row["p_value"]) is None else bool(row["significant"]),
            small_base=bool(row["small_base"]),
            headline=data.sentence(info, row),
            missing_note=narrative.missing_clause(row, info.frequency),
            three_year_average=_num(row.get("average")),
            is_headline=info.is_headline,
            by_area=[
                AreaComparison(
                    area=area_names.get(a["area"], str(a["area"])),
                    previous=_num(a["previous"]),
                    current=_num(a["current"]),
                    pct=_num(a["pct_change"]),
                    small_base=bool(a["small_base"]),
                )
                for a in sorted(
                    area_rows.get(info.code, []), key=lambda a: area_names.get(a["area"], "")
                )
            ],
            months=[MonthValue(periods.index_to_date(m), _num(by_month.get(m))) for m in months_now]
            if info.frequency == "monthly"
            else [],
            months_previous=[
                MonthValue(periods.index_to_date(m - 12), _num(by_month.get(m - 12)))
                for m in months_now
            ]
            if info.frequency == "monthly"
            else [],
        )
        if info.frequency == "monthly" and not measure_series.empty:
            figures[info.code] = partial(
                _fy_trend,
                charts,
                analysis,
                measure_series,
                info,
                first_fy,
                last_fy,
                last_position=(period.end.month - 4) % 12,
            )
        (incidents if info.kind == "incident" else crimes).append(comparison)
    notes = narrative.comparison_notes(data)
    notes += narrative.no_location_lines(selectors.no_location_counts(partnership, period))
    labels = data.labels
    crime = CrimeFigures(
        comparison_label=labels.comparison,
        current_label="" if labels.current == period.short_label else labels.current,
        previous_label="" if labels.current == period.short_label else labels.previous,
        crimes=crimes,
        incidents=incidents,
        notes=notes[1:] + data.notes,
        significance_method=notes[0] if notes else "",
        figures=figures,
    )
    return crime, trends


def _area_trends(data, info, last_month: int) -> list[PartnershipMeasureTrend]:
    """A partnership measure on record only for some areas (a survey of one
    district): its latest figure in each of those areas, named by area."""
    names = {a.id: a.name for a in data.areas}
    trends = []
    for area, by_month in sorted(
        data.area_figures_of(info.code).items(), key=lambda item: names.get(item[0], "")
    ):
        figures = {m: v for m, v in by_month.items() if m <= last_month}
        latest = narrative.latest_figure(info, figures, info.aggregation)
        if latest is None:
            continue
        points = [
            TrendPoint(periods.point_label(periods.index_to_date(m), info.frequency), v, m)
            for m, v in sorted(figures.items())
        ]
        trends.append(
            PartnershipMeasureTrend(
                code=info.code,
                name=f"{info.short_name} ({names.get(area, '')})",
                group=info.group,
                unit=info.unit,
                points=points,
                latest_label=latest.label,
                latest=latest.value,
                previous=latest.previous,
                previous_label=latest.previous_label,
                headline=narrative.latest_sentence(info, latest, area=names.get(area, "")),
                area=names.get(area, ""),
            )
        )
    return trends


def _fy_trend(
    charts, analysis, measure_series, info, first_fy: int, last_fy: int, *, last_position: int
):
    """The months of each financial year drawn over each other; the current year's
    months after ``last_position`` (0 = April) have not happened yet, so the table
    leaves them blank rather than calling them missing."""
    overlay = analysis.financial_year_overlay(measure_series, first_fy, last_fy)
    return charts.financial_year_trend(
        chart_id=f"trend-{info.code}",
        title=f"{info.short_name} by month",
        overlay=overlay,
        unit=info.unit,
        last_position=last_position,
    )


ASSESSMENT_WORDS = {
    "better": "better",
    "worse": "worse",
    "no_real_change": "no real change",
    "changed": "changed",
}


def _num(value) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def read_plan_progress(partnership, *, as_of: date) -> PlanProgress:
    """The RAG summary and exceptions of the plan that covers ``as_of``."""
    progress = plan_progress(partnership, as_of)
    if progress is None:
        raise SourceUnavailable(
            f"{partnership.name} has no action plan (other than a draft) covering "
            f"{as_of.day} {as_of:%B %Y}."
        )

    exceptions = []
    for row in progress.exceptions:
        action = row.action
        lead = action.lead_organisation.name if action.lead_organisation_id else ""
        if getattr(action, "owner_name", ""):
            lead = f"{lead} ({action.owner_name})" if lead else action.owner_name
        latest = row.latest_update
        exceptions.append(
            ActionException(
                action=action.title,
                lead=lead,
                due=action.due_date,
                rag=action.get_rag_status_display() if action.rag_status else "Not rated",
                status=action.get_status_display(),
                reason="; ".join(row.reasons),
                latest_update=latest.narrative if latest else "No update yet",
            )
        )
    return PlanProgress(
        plan_name=progress.plan.title,
        as_of=progress.as_of,
        by_priority=progress.by_priority,
        exceptions=exceptions,
        totals=progress.totals,
    )


def read_resolutions(partnership, *, as_of: date) -> list[ResolutionStatus]:
    """Resolutions of meetings held before ``as_of`` (the committee date) that are
    still open or in progress, with their latest response."""
    rows = []
    for tracked in outstanding_resolutions(partnership, as_of):
        resolution = tracked.resolution
        meeting = tracked.meeting
        if meeting.date >= as_of:
            continue  # decided at (or after) the meeting the report goes to
        if resolution.report_back_meeting_id:
            report_back = str(resolution.report_back_meeting)
        elif tracked.due_date:
            report_back = f"{tracked.due_date.day} {tracked.due_date:%B %Y}"
        else:
            report_back = "Not set"
        response = tracked.latest_response
        rows.append(
            ResolutionStatus(
                meeting=str(meeting),
                meeting_date=meeting.date,
                number=str(resolution.number),
                text=resolution.text,
                owner=resolution.owner.name if resolution.owner else "Not assigned",
                status=tracked.status_label,
                report_back=report_back,
                overdue=tracked.is_overdue,
                latest_response=(
                    f"{response.responded_on.day} {response.responded_on:%B %Y}: {response.text}"
                    if response
                    else "No response yet"
                ),
            )
        )
    return rows


def read_funding(partnership, *, start: date, end: date) -> list[FundingLine]:
    """Funding figures (measures in pounds) recorded for the financial year."""
    rows = list(
        Observation.objects.filter(
            partnership=partnership,
            measure__unit=Measure.Unit.GBP,
            period_start__gte=start,
            period_start__lte=end,
        )
        .select_related("measure", "area")
        .order_by("measure__display_order", "period_start")
    )
    lines = []
    for row in rows:
        where = f" ({row.area.name})" if row.area else ""
        lines.append(
            FundingLine(
                label=f"{row.measure.name}{where}",
                period=_period_text(row.period_start, row.period_end),
                amount=row.value,
                note=row.note or row.not_supplied_reason,
            )
        )
    return lines


def _period_text(start: date, end: date) -> str:
    if start.year == end.year and start.month == end.month:
        return f"{start:%B %Y}"
    return f"{start:%B %Y} to {end:%B %Y}"
