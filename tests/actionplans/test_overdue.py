"""Overdue is worked out from the due date and the status, on the day in London."""

from datetime import date

import pytest
import time_machine

from tests.factories import ActionFactory


@pytest.mark.parametrize(
    ("due", "moment", "overdue"),
    [
        # Winter: London is on UTC, so 23:30 UTC is still the due day.
        (date(2025, 1, 31), "2025-01-31T23:30:00+00:00", False),
        (date(2025, 1, 31), "2025-02-01T00:00:00+00:00", True),
        # Summer: 23:30 UTC on 30 June is already 1 July in London (BST, UTC+1).
        (date(2024, 6, 30), "2024-06-30T23:30:00+00:00", True),
        (date(2024, 6, 30), "2024-06-30T22:30:00+00:00", False),
    ],
)
def test_an_action_is_overdue_from_the_day_after_its_due_date_in_london(db, due, moment, overdue):
    action = ActionFactory(due_date=due, status="on_track")
    with time_machine.travel(moment, tick=False):
        assert action.is_overdue is overdue


@pytest.mark.parametrize(
    ("status", "overdue"),
    [
        ("not_started", True),
        ("on_track", True),
        ("at_risk", True),
        ("off_track", True),
        ("complete", False),
        ("cancelled", False),
    ],
)
def test_complete_and_cancelled_actions_are_never_overdue(db, status, overdue):
    action = ActionFactory(due_date=date(2024, 2, 29), status=status)
    with time_machine.travel("2024-03-01T09:00:00+00:00", tick=False):
        assert action.is_overdue is overdue


def test_an_action_with_no_due_date_is_never_overdue(db):
    action = ActionFactory(due_date=None, status="off_track")
    with time_machine.travel("2030-01-01T09:00:00+00:00", tick=False):
        assert action.is_overdue is False


def test_is_overdue_on_judges_any_day(db):
    action = ActionFactory(due_date=date(2019, 3, 31), status="on_track")
    assert action.is_overdue_on(date(2019, 3, 31)) is False
    assert action.is_overdue_on(date(2019, 4, 1)) is True
