"""What a report reads from the other apps, in the report's own small types.

Each ``read_*`` function asks one app (the dashboard comparisons, the action plan,
the meetings tracker, the figures) and translates its answer. When that app cannot
answer (not installed, no data, an error) the function raises ``SourceUnavailable``
with a sentence for the reader, and the report prints that sentence in the
section instead of failing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

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
    direction: str  # "better", "worse", "no real change" or "" (not comparable)
    significant: bool | None
    small_base: bool
    headline: str
    missing_note: str = ""
    by_area: list[AreaComparison] = field(default_factory=list)
    months: list[MonthValue] = field(default_factory=list)
    months_previous: list[MonthValue] = field(default_factory=list)
    three_year_average: float | None = None


@dataclass
class CrimeFigures:
    comparison_label: str
    crimes: list[MeasureComparison]
    incidents: list[MeasureComparison]
    notes: list[str] = field(default_factory=list)
    significance_method: str = ""
    # Plotly figures ready-made by the dashboard (``reports.charts``), by key.
    figures: dict = field(default_factory=dict)

    @property
    def all_measures(self) -> list[MeasureComparison]:
        return self.crimes + self.incidents


@dataclass
class TrendPoint:
    label: str
    value: float | None


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


@dataclass
class RagCount:
    label: str
    red: int
    amber: int
    green: int
    complete: int = 0
    not_started: int = 0

    @property
    def total(self) -> int:
        return self.red + self.amber + self.green + self.complete + self.not_started


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
    by_priority: list[RagCount]
    exceptions: list[ActionException]
    totals: RagCount


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


def read_crime_figures(partnership, *, start: date, end: date) -> CrimeFigures:
    """The dashboard's year-to-date comparison for the report's period."""
    try:
        from crimestats import dashboard_selectors  # noqa: F401
    except ImportError:
        raise SourceUnavailable(
            "The crime figures comparison is not available in this installation yet."
        ) from None
    raise SourceUnavailable("The crime figures comparison could not be read.")


def read_partnership_measures(partnership, *, start: date, end: date) -> list:
    raise SourceUnavailable("The partnership measures are not available in this installation yet.")


def read_plan_progress(partnership, *, as_of: date) -> PlanProgress:
    try:
        from actionplans import selectors as plan_selectors
    except ImportError:
        raise SourceUnavailable(
            "Action plan progress is not available in this installation yet."
        ) from None
    if not hasattr(plan_selectors, "plan_progress"):
        raise SourceUnavailable("Action plan progress is not available in this installation yet.")
    raise SourceUnavailable("Action plan progress could not be read.")


def read_resolutions(partnership, *, as_of: date) -> list[ResolutionStatus]:
    try:
        from meetings import selectors as meeting_selectors
    except ImportError:
        raise SourceUnavailable(
            "The resolutions tracker is not available in this installation yet."
        ) from None
    if not hasattr(meeting_selectors, "outstanding_resolutions"):
        raise SourceUnavailable(
            "The resolutions tracker is not available in this installation yet."
        )
    raise SourceUnavailable("The resolutions could not be read.")


def read_funding(partnership, *, start: date, end: date) -> list[FundingLine]:
    """Funding figures (measures in pounds) recorded for the financial year."""
    from crimestats.models import Measure, Observation

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
        where = f" ({row.area.name})" if row.area_id else ""
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
