"""Working days in England and Wales: Monday to Friday, except bank holidays.

Statutory and local timescales (an ASB case review's threshold decision, a partner's
quarterly figures) are set in working days. The bank holidays come from the
``holidays`` package, whose maintainers follow each year's proclamations (an extra
holiday for a coronation or a jubilee, a holiday moved for VE Day): no list is kept
here. England and Wales share one set of bank holidays; Scotland and Northern Ireland
have their own and are not served by Community Safety Partnerships.

Pure functions of dates, with no model and no settings.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

import holidays

# The ``holidays`` subdivision for England, whose bank holidays Wales shares.
SUBDIVISION = "ENG"


@functools.cache
def _bank_holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("GB", subdiv=SUBDIVISION, years=year))


def bank_holiday(day: date) -> str | None:
    """The bank holiday's name ("Boxing Day (observed)"), or None on any other day."""
    return _bank_holidays(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and bank_holiday(day) is None


def add_working_days(start: date, days: int) -> date:
    """The day ``days`` working days after ``start``: the day a timescale of that many
    working days ends when it starts on ``start`` (``start`` itself never counts, as
    in "within 20 working days of receipt"). Zero gives ``start``; a negative count
    counts back, for a reminder so many working days before a due date."""
    step = 1 if days >= 0 else -1
    day, left = start, abs(days)
    while left:
        day += timedelta(days=step)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days after ``start`` up to and including ``end``: the inverse
    of ``add_working_days`` for a working ``end``. Negative when ``end`` is before
    ``start``."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
