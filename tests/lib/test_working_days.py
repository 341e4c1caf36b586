from datetime import date

import pytest

from cspportal.lib.working_days import (
    add_working_days,
    bank_holiday,
    is_working_day,
    working_days_between,
)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # A Monday plus one: the Tuesday; the start day never counts.
        (date(2026, 3, 2), 1, date(2026, 3, 3)),
        # Friday plus one: over the weekend to Monday.
        (date(2026, 3, 6), 1, date(2026, 3, 9)),
        # Christmas 2026: Friday 25th, Boxing Day on the Saturday observed on Monday 28th.
        (date(2026, 12, 24), 1, date(2026, 12, 29)),
        # Easter 2026: Good Friday 3 April and Easter Monday 6 April.
        (date(2026, 4, 2), 1, date(2026, 4, 7)),
        # 20 working days from 1 April 2026, counted by hand over Easter: 1 May.
        (date(2026, 4, 1), 20, date(2026, 5, 1)),
        # 2020: the early May bank holiday moved to Friday 8 May for VE Day.
        (date(2020, 5, 7), 1, date(2020, 5, 11)),
        # 2023: the coronation's extra bank holiday, Monday 8 May.
        (date(2023, 5, 5), 1, date(2023, 5, 9)),
        # 2022: the state funeral, Monday 19 September.
        (date(2022, 9, 16), 1, date(2022, 9, 20)),
        (date(2026, 3, 4), 0, date(2026, 3, 4)),
        # Counting back: 5 working days before Tuesday 29 December 2026.
        (date(2026, 12, 29), -5, date(2026, 12, 18)),
    ],
)
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days) == expected


def test_working_days_between_is_the_inverse():
    assert working_days_between(date(2026, 4, 1), date(2026, 5, 1)) == 20
    assert working_days_between(date(2026, 5, 1), date(2026, 4, 1)) == -20
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 28)) == 0
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 29)) == 1


def test_bank_holidays_are_england_and_wales():
    assert bank_holiday(date(2026, 12, 28)) == "Boxing Day (observed)"
    assert bank_holiday(date(2026, 8, 31)) == "Late Summer Bank Holiday"
    # St Andrew's Day is Scotland's, 2 January is Scotland's: working days here.
    assert bank_holiday(date(2026, 11, 30)) is None
    assert is_working_day(date(2026, 11, 30))
    assert is_working_day(date(2026, 1, 2))
    assert not is_working_day(date(2026, 3, 7))  # a Saturday
