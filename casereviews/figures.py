"""The four statutory figures of section 104 of the Anti-social Behaviour, Crime and
Policing Act 2014, counted from the register's dates.

Each counts an event in the period it happened: an application when it was received,
a "threshold not met" when it was decided, a review (with or without recommendations)
when it was held. So the figures of four quarters add up to the year's, and a year's
figures never change because of what happened to its applications after it ended,
except through a correction of the register itself.

Pure: plain rows in, counts out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RegisterDates:
    """What the figures need of one application."""

    received_on: date
    threshold_met: bool | None
    decided_on: date | None
    reviewed_on: date | None
    recommendations: bool


@dataclass(frozen=True)
class StatutoryFigures:
    applications: int
    thresholds_met: int
    thresholds_not_met: int
    reviews: int
    reviews_with_recommendations: int


# The label of each of the four published figures, in the order the Act lists them.
FIGURE_LABELS = [
    ("applications", "Applications for an ASB case review"),
    ("thresholds_not_met", "Times the threshold was not met"),
    ("reviews", "Case reviews carried out"),
    ("reviews_with_recommendations", "Case reviews that led to recommendations"),
]


def count(rows: Iterable[RegisterDates], start: date, end: date) -> StatutoryFigures:
    """The figures for the days ``start`` to ``end``, both included."""

    def inside(day: date | None) -> bool:
        return day is not None and start <= day <= end

    applications = met = not_met = reviews = with_recommendations = 0
    for row in rows:
        if inside(row.received_on):
            applications += 1
        if inside(row.decided_on):
            if row.threshold_met is True:
                met += 1
            elif row.threshold_met is False:
                not_met += 1
        if inside(row.reviewed_on):
            reviews += 1
            if row.recommendations:
                with_recommendations += 1
    return StatutoryFigures(applications, met, not_met, reviews, with_recommendations)


def event_days(row: RegisterDates) -> list[date]:
    """Every day of the row that one of the figures counts."""
    return [d for d in (row.received_on, row.decided_on, row.reviewed_on) if d is not None]
