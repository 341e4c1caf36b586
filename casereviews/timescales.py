"""What an ASB case review application waits for next, and by when.

Pure: plain dates and numbers in, a ``NextStep`` out, with working days from
``cspportal.lib.working_days``. The register page and its filter both read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cspportal.lib.working_days import add_working_days, working_days_between

# Local timescales when a partnership has set none: working days to decide the
# threshold after receipt, to hold the review after the decision, and to send the
# outcome after the review (or after a "threshold not met" decision).
DEFAULT_THRESHOLD_DAYS = 10
DEFAULT_REVIEW_DAYS = 25
DEFAULT_OUTCOME_DAYS = 5


class Stage(StrEnum):
    DECIDE = "decide"
    REVIEW = "review"
    OUTCOME = "outcome"
    CLOSED = "closed"


STAGE_LABELS = {
    Stage.DECIDE: "Decide whether the threshold is met",
    Stage.REVIEW: "Hold the case review",
    Stage.OUTCOME: "Send the outcome to the applicant",
    Stage.CLOSED: "Closed: outcome sent",
}


@dataclass(frozen=True)
class Timescales:
    threshold_days: int = DEFAULT_THRESHOLD_DAYS
    review_days: int = DEFAULT_REVIEW_DAYS
    outcome_days: int = DEFAULT_OUTCOME_DAYS


@dataclass(frozen=True)
class NextStep:
    """The step an application waits for, the day it is due (None once closed) and
    how many working days late it is on the day asked about (0 when on time)."""

    stage: Stage
    due: date | None
    overdue_by: int

    @property
    def label(self) -> str:
        return STAGE_LABELS[self.stage]

    @property
    def is_closed(self) -> bool:
        return self.stage == Stage.CLOSED

    @property
    def is_overdue(self) -> bool:
        return self.overdue_by > 0


def next_step(
    *,
    received_on: date,
    decided_on: date | None,
    threshold_met: bool | None,
    reviewed_on: date | None,
    outcome_sent_on: date | None,
    timescales: Timescales,
    today: date,
) -> NextStep:
    """The next step of one application. ``threshold_met`` None means not decided yet
    (or decided without a date, which still waits for its decision date)."""
    if outcome_sent_on is not None:
        return NextStep(Stage.CLOSED, None, 0)
    if threshold_met is None or decided_on is None:
        stage, due = Stage.DECIDE, add_working_days(received_on, timescales.threshold_days)
    elif not threshold_met:
        stage, due = Stage.OUTCOME, add_working_days(decided_on, timescales.outcome_days)
    elif reviewed_on is None:
        stage, due = Stage.REVIEW, add_working_days(decided_on, timescales.review_days)
    else:
        stage, due = Stage.OUTCOME, add_working_days(reviewed_on, timescales.outcome_days)
    late = working_days_between(due, today) if today > due else 0
    return NextStep(stage, due, late)
