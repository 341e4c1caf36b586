"""The next step of an application and its due date, in working days."""

from datetime import date

from casereviews.timescales import Stage, Timescales, next_step
from cspportal.lib.working_days import add_working_days

RULES = Timescales(threshold_days=10, review_days=25, outcome_days=5)


def _step(today: date, **fields):
    values = {
        "received_on": date(2023, 12, 15),
        "decided_on": None,
        "threshold_met": None,
        "reviewed_on": None,
        "outcome_sent_on": None,
        **fields,
    }
    return next_step(timescales=RULES, today=today, **values)


def test_a_new_application_waits_for_its_threshold_decision_over_christmas():
    # Friday 15 December 2023 + 10 working days: 18-22 Dec (5), 27, 28, 29 Dec (8),
    # 2, 3 January (10); 25 and 26 December and 1 January are bank holidays.
    step = _step(date(2024, 1, 3))
    assert step.stage == Stage.DECIDE
    assert step.due == date(2024, 1, 3)
    assert step.overdue_by == 0
    assert not step.is_overdue


def test_it_counts_the_working_days_it_is_late():
    # Due Wednesday 3 January; on Monday 8 January it is late by 4, 5 and 8 January.
    step = _step(date(2024, 1, 8))
    assert step.overdue_by == 3
    assert step.is_overdue


def test_a_met_threshold_waits_for_the_review():
    step = _step(date(2024, 1, 10), threshold_met=True, decided_on=date(2024, 1, 8))
    assert step.stage == Stage.REVIEW
    assert step.due == add_working_days(date(2024, 1, 8), 25)
    # 8 January 2024 (a Monday) + 25 working days, no bank holiday between: 12 February.
    assert step.due == date(2024, 2, 12)


def test_a_threshold_not_met_waits_for_the_outcome_letter():
    step = _step(date(2024, 1, 10), threshold_met=False, decided_on=date(2024, 1, 8))
    assert step.stage == Stage.OUTCOME
    assert step.due == date(2024, 1, 15)


def test_a_review_waits_for_its_outcome_and_then_closes():
    held = {"threshold_met": True, "decided_on": date(2024, 1, 8)}
    step = _step(date(2024, 2, 1), reviewed_on=date(2024, 1, 31), **held)
    assert (step.stage, step.due) == (Stage.OUTCOME, date(2024, 2, 7))
    closed = _step(
        date(2024, 6, 1), reviewed_on=date(2024, 1, 31), outcome_sent_on=date(2024, 2, 5), **held
    )
    assert (closed.stage, closed.due, closed.overdue_by) == (Stage.CLOSED, None, 0)
    assert closed.label == "Closed: outcome sent"
