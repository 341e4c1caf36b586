"""Quarterly data requests: when a quarter ends, each organisation that supplies a
partnership's monthly or quarterly measures owes its figures for that quarter, by a
due date so many working days after the quarter ends (docs/notifications.md).

A request is met when the organisation has submitted (or had approved) a quarterly
return for the quarter, or a monthly return for each of its three months. The
request in play is always the latest quarter that has ended: the next one's figures
cannot be due before it ends.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from crimestats.models import DataRequestSchedule, DataReturn, Measure, PartnershipMeasure
from cspportal.lib.periods import Period, PeriodType, latest_complete_quarter, month_start
from cspportal.lib.working_days import add_working_days
from partnerships.models import Organisation, Partnership

# Measures counted once a year are asked for with the financial year, not each quarter.
REQUESTED_FREQUENCIES = (Measure.Frequency.MONTHLY, Measure.Frequency.QUARTERLY)
DONE = (DataReturn.Status.SUBMITTED, DataReturn.Status.APPROVED)


class RequestStatus(StrEnum):
    SUBMITTED = "submitted"
    DRAFT = "draft"
    NOT_STARTED = "not_started"

    @property
    def label(self) -> str:
        return {"submitted": "Submitted", "draft": "On a draft", "not_started": "Not started"}[
            self.value
        ]


@dataclass(frozen=True)
class RequestDates:
    """The quarter asked for, the day its figures are due and the day suppliers who
    have not submitted are reminded."""

    quarter: Period
    due: date
    reminder: date

    @property
    def key(self) -> str:
        """The quarter in reason keys, by its first month: ``2026-07`` is July to
        September 2026 (the keys sort, and read the same in every financial year)."""
        return f"{self.quarter.start:%Y-%m}"


def request_quarter(as_of: date) -> Period:
    """The latest quarter that ended before ``as_of``."""
    return latest_complete_quarter(month_start(as_of) - timedelta(days=1))


def request_dates(quarter: Period, schedule: DataRequestSchedule) -> RequestDates:
    """The quarter's due date, ``due_working_days`` working days after it ends, and
    its reminder day, ``reminder_working_days`` working days before that (never
    before the quarter has ended)."""
    due = add_working_days(quarter.end, schedule.due_working_days)
    reminder = max(
        add_working_days(due, -schedule.reminder_working_days), quarter.end + timedelta(days=1)
    )
    return RequestDates(quarter=quarter, due=due, reminder=reminder)


@dataclass(frozen=True)
class SupplierRequest:
    """One organisation's figures for one partnership and quarter."""

    partnership: Partnership
    organisation: Organisation
    dates: RequestDates
    status: RequestStatus
    data_return: DataReturn | None
    as_of: date

    @property
    def is_late(self) -> bool:
        return self.status != RequestStatus.SUBMITTED and self.as_of > self.dates.due

    @property
    def status_label(self) -> str:
        if self.is_late:
            return f"Late: {self.status.label.lower()}"
        return self.status.label


def schedules_for(partnerships: Iterable[Partnership]) -> dict[int, DataRequestSchedule]:
    """Each partnership's schedule by its id (unsaved defaults where it has none). One
    query."""
    ids = [p.pk for p in partnerships]
    found = {s.partnership_id: s for s in DataRequestSchedule.objects.filter(partnership__in=ids)}
    return {pk: found.get(pk) or DataRequestSchedule(partnership_id=pk) for pk in ids}


def _status(returns: list[DataReturn]) -> tuple[RequestStatus, DataReturn | None]:
    quarterly = [r for r in returns if r.period_type == PeriodType.QUARTER]
    monthly_done = {
        r.period_start for r in returns if r.period_type == PeriodType.MONTH and r.status in DONE
    }
    if any(r.status in DONE for r in quarterly) or len(monthly_done) == 3:
        return RequestStatus.SUBMITTED, (quarterly[0] if quarterly else None)
    if returns:
        return RequestStatus.DRAFT, (quarterly[0] if quarterly else returns[0])
    return RequestStatus.NOT_STARTED, None


def supplier_requests(
    partnerships: list[Partnership],
    as_of: date,
    schedules: dict[int, DataRequestSchedule] | None = None,
) -> list[SupplierRequest]:
    """Every supplier's request for the latest ended quarter, for each partnership,
    by partnership and organisation name. Three queries (two with ``schedules``),
    whatever the number of partnerships and organisations."""
    if not partnerships:
        return []
    quarter = request_quarter(as_of)
    schedules = schedules if schedules is not None else schedules_for(partnerships)
    by_pk = {p.pk: p for p in partnerships}
    suppliers: dict[int, dict[int, Organisation]] = defaultdict(dict)
    for pm in (
        PartnershipMeasure.objects.filter(
            partnership__in=list(by_pk),
            supplier__isnull=False,
            measure__frequency__in=REQUESTED_FREQUENCIES,
        )
        .select_related("supplier")
        .order_by()
    ):
        assert pm.supplier is not None
        suppliers[pm.partnership_id][pm.supplier.pk] = pm.supplier
    returns: dict[tuple[int, int | None], list[DataReturn]] = defaultdict(list)
    for data_return in DataReturn.objects.filter(
        partnership__in=list(by_pk),
        period_type__in=(PeriodType.QUARTER, PeriodType.MONTH),
        period_start__gte=quarter.start,
        period_start__lte=quarter.end,
    ).order_by("period_start"):
        returns[(data_return.partnership_id, data_return.organisation_id)].append(data_return)
    requests = []
    for partnership in sorted(partnerships, key=lambda p: p.name):
        dates = request_dates(quarter, schedules[partnership.pk])
        for organisation in sorted(suppliers[partnership.pk].values(), key=lambda o: o.name):
            status, found = _status(returns[(partnership.pk, organisation.pk)])
            requests.append(SupplierRequest(partnership, organisation, dates, status, found, as_of))
    return requests


@dataclass(frozen=True)
class ReturnsOutstanding:
    """The officer's panel: the quarter asked for, its dates and each supplier."""

    dates: RequestDates
    requests: list[SupplierRequest]

    @property
    def submitted_count(self) -> int:
        return sum(r.status == RequestStatus.SUBMITTED for r in self.requests)

    @property
    def late_count(self) -> int:
        return sum(r.is_late for r in self.requests)


def returns_outstanding(partnership: Partnership, as_of: date) -> ReturnsOutstanding:
    """The latest ended quarter's requests of one partnership. Three queries."""
    schedules = schedules_for([partnership])
    dates = request_dates(request_quarter(as_of), schedules[partnership.pk])
    return ReturnsOutstanding(
        dates=dates, requests=supplier_requests([partnership], as_of, schedules)
    )


def schedule_for(partnership: Partnership) -> DataRequestSchedule:
    """The partnership's schedule, unsaved with the defaults when it has none."""
    return schedules_for([partnership])[partnership.pk]
