"""Financial years, quarters and months as plain values (no Django, no database).

A financial year is named by the calendar year it starts in: ``2017`` is 2017/18,
1 April 2017 to 31 March 2018.
"""

from datetime import date


def financial_year_label(start_year: int) -> str:
    """``2017`` -> ``"2017/18"``."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def financial_year_of(day: date) -> int:
    """The financial year a day falls in: 31 March 2018 is in 2017/18, 1 April in 2018/19."""
    return day.year if day.month >= 4 else day.year - 1
