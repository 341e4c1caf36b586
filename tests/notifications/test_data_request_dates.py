"""When a quarter's figures are due and who is late: working days, bank holidays,
the statuses of the returns outstanding page."""

from datetime import date

import pytest

from crimestats.data_requests import (
    RequestStatus,
    request_dates,
    request_quarter,
    returns_outstanding,
)
from crimestats.models import DataRequestSchedule, DataReturn
from cspportal.lib.periods import PeriodType


def test_the_request_is_for_the_latest_quarter_that_has_ended():
    assert request_quarter(date(2026, 9, 30)).start == date(2026, 4, 1)
    assert request_quarter(date(2026, 10, 1)).start == date(2026, 7, 1)
    assert request_quarter(date(2026, 10, 1)).end == date(2026, 9, 30)
    assert request_quarter(date(2027, 1, 1)).start == date(2026, 10, 1)


def test_figures_are_due_twenty_working_days_after_the_quarter_and_reminded_five_before():
    # October 2026 has no bank holiday: 1-2, 5-9, 12-16, 19-23 and 26-28 October are
    # the 20 working days; five working days back from Wednesday 28 October is the 21st.
    dates = request_dates(request_quarter(date(2026, 10, 1)), DataRequestSchedule())
    assert dates.due == date(2026, 10, 28)
    assert dates.reminder == date(2026, 10, 21)
    assert dates.key == "2026-07"


def test_new_years_day_does_not_count_as_a_working_day():
    # Friday 1 January 2027 is a bank holiday: the 20 working days are 4 to 29 January.
    dates = request_dates(request_quarter(date(2027, 1, 5)), DataRequestSchedule())
    assert dates.due == date(2027, 1, 29)
    assert dates.reminder == date(2027, 1, 22)


def test_a_reminder_never_goes_before_the_quarter_has_ended():
    schedule = DataRequestSchedule(due_working_days=3, reminder_working_days=10)
    dates = request_dates(request_quarter(date(2026, 10, 1)), schedule)
    assert dates.due == date(2026, 10, 5)
    assert dates.reminder == date(2026, 10, 1)


def _return(cast, organisation, period_type, start, end, status):
    return DataReturn.objects.create(
        partnership=cast.partnership,
        organisation=organisation,
        period_type=period_type,
        period_start=start,
        period_end=end,
        status=status,
    )


@pytest.mark.django_db
def test_the_outstanding_list_says_who_is_late_on_a_draft_or_not_started(cast, suppliers):
    for month, end in ((7, 31), (8, 31), (9, 30)):
        _return(
            cast,
            cast.council,
            PeriodType.MONTH,
            date(2026, month, 1),
            date(2026, month, end),
            DataReturn.Status.SUBMITTED if month != 9 else DataReturn.Status.DRAFT,
        )
    outstanding = returns_outstanding(cast.partnership, date(2026, 10, 28))
    assert [(r.organisation.name, r.status, r.status_label) for r in outstanding.requests] == [
        ("Testshire Council", RequestStatus.DRAFT, "On a draft"),
        ("Testshire Police", RequestStatus.NOT_STARTED, "Not started"),
    ]
    late = returns_outstanding(cast.partnership, date(2026, 10, 29))
    assert [r.status_label for r in late.requests] == ["Late: on a draft", "Late: not started"]
    assert late.late_count == 2
    DataReturn.objects.filter(period_start=date(2026, 9, 1)).update(
        status=DataReturn.Status.APPROVED
    )
    done = returns_outstanding(cast.partnership, date(2026, 10, 29))
    assert [r.status_label for r in done.requests] == ["Submitted", "Late: not started"]
    assert (done.submitted_count, done.late_count) == (1, 1)


@pytest.mark.django_db
def test_a_submitted_quarterly_return_meets_the_request(cast, suppliers):
    _return(
        cast,
        cast.police,
        PeriodType.QUARTER,
        date(2026, 7, 1),
        date(2026, 9, 30),
        DataReturn.Status.SUBMITTED,
    )
    outstanding = returns_outstanding(cast.partnership, date(2026, 11, 2))
    assert [(r.organisation.name, r.status_label) for r in outstanding.requests] == [
        ("Testshire Council", "Late: not started"),
        ("Testshire Police", "Submitted"),
    ]
