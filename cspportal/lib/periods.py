"""Financial years, quarters, months and the comparison periods built from them, as
plain values (no database, no request), and every label pages, downloads and PDFs
print for them.

A financial year is named by the calendar year it starts in: ``2017`` is 2017/18,
1 April 2017 to 31 March 2018. Quarters are those of the financial year: Q1 April to
June, Q2 July to September, Q3 October to December, Q4 January to March.

Every comparison period here is a run of whole calendar months, so moving one back
by a year is exact even across leap years (February 2016 ends on the 29th, February
2015 on the 28th).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.db import models


def financial_year_label(start_year: int) -> str:
    """``2017`` -> ``"2017/18"``."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def financial_year_of(day: date) -> int:
    """The financial year a day falls in: 31 March 2018 is in 2017/18, 1 April in 2018/19."""
    return day.year if day.month >= 4 else day.year - 1


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    """The last day of the day's month (29 February in a leap year)."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after (or before) the day's month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> int:
    """How many months from ``first``'s month to ``last``'s (0 when the same month)."""
    return (last.year - first.year) * 12 + last.month - first.month


def month_starts(start: date, end: date) -> list[date]:
    """The first day of every month from ``start``'s month to ``end``'s, inclusive."""
    return [add_months(start, i) for i in range(months_between(start, end) + 1)]


def month_index(day: date) -> int:
    """A month as one integer (``year * 12 + month - 1``), so that joins and year
    shifts are integer arithmetic: a year earlier is ``index - 12``."""
    return day.year * 12 + day.month - 1


def index_to_date(index: int) -> date:
    """The first day of the month ``month_index`` gave."""
    return date(int(index) // 12, int(index) % 12 + 1, 1)


def quarter_of(day: date) -> tuple[int, int]:
    """(financial year, quarter 1-4) of a day: 31 March 2018 is (2017, 4)."""
    return financial_year_of(day), (day.month - 4) % 12 // 3 + 1


class PeriodType(models.TextChoices):
    """The span one stored figure covers.

    A financial year and a year ending are both twelve months, but they are told
    apart: officers enter figures for financial years (April to March), while the
    ONS publishes years ending in any month ("year ending December 2024" is January
    to December 2024). A year ending March covers the same months as a financial
    year, and is still labelled as the ONS names it."""

    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    FINANCIAL_YEAR = "financial_year", "Financial year"
    YEAR_ENDING = "year_ending", "Year ending"


TWELVE_MONTH_TYPES = (PeriodType.FINANCIAL_YEAR, PeriodType.YEAR_ENDING)


def figure_period_label(period_type: str, start: date) -> str:
    """What one stored figure covers, from its type and first day:
    ``"January 2018"``, ``"Q3 2017/18 (October to December 2017)"``, ``"2017/18"``,
    ``"Year ending December 2024"``."""
    if period_type == PeriodType.QUARTER:
        year, number = quarter_of(start)
        end = add_months(start, 2)
        return f"{quarter_label(year, number)} ({start:%B} to {end:%B %Y})"
    if period_type == PeriodType.FINANCIAL_YEAR:
        return financial_year_label(financial_year_of(start))
    if period_type == PeriodType.YEAR_ENDING:
        return f"Year ending {month_label(add_months(start, 11))}"
    if period_type == PeriodType.MONTH:
        return month_label(start)
    raise ValueError(f"Unknown period type {period_type!r}")


def quarter_label(start_year: int, number: int) -> str:
    """``(2017, 3)`` -> ``"Q3 2017/18"``."""
    return f"Q{number} {financial_year_label(start_year)}"


def point_label(start: date, frequency: str) -> str:
    """The short name of one figure's period, by how often the measure is counted:
    ``"Jan 2018"`` (monthly), ``"Q4 2017/18"`` (quarterly), ``"2017/18"`` (annual)."""
    if frequency == "quarterly":
        return quarter_label(*quarter_of(start))
    if frequency == "annual":
        return financial_year_label(financial_year_of(start))
    return f"{start:%b %Y}"


def month_label(day: date) -> str:
    """``"January 2018"``."""
    return f"{day:%B %Y}"


class PeriodKind(StrEnum):
    FYTD = "fytd"
    QUARTER = "quarter"
    ROLLING = "rolling"
    FINANCIAL_YEAR = "financial_year"
    YEAR_ENDING = "year_ending"
    MONTHS = "months"


PERIOD_KIND_LABELS = {
    PeriodKind.FYTD: "Financial year to date",
    PeriodKind.QUARTER: "Quarter",
    PeriodKind.ROLLING: "Rolling 12 months",
    PeriodKind.FINANCIAL_YEAR: "Financial year",
    PeriodKind.YEAR_ENDING: "Year ending",
}


@dataclass(frozen=True, order=True)
class Period:
    """A run of whole months, with the kind of period it is (which decides its label
    and what it is compared with)."""

    start: date
    end: date
    kind: PeriodKind = PeriodKind.MONTHS

    def __post_init__(self) -> None:
        if self.start.day != 1 or self.end != month_end(self.end):
            raise ValueError("A period runs from the first of a month to the last day of one.")
        if self.end < self.start:
            raise ValueError("A period cannot end before it starts.")

    @property
    def month_count(self) -> int:
        return months_between(self.start, self.end) + 1

    @property
    def months(self) -> list[date]:
        return month_starts(self.start, self.end)

    @property
    def financial_year(self) -> int:
        """The financial year the period ends in."""
        return financial_year_of(self.end)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def shifted(self, years: int) -> Period:
        """The same months ``years`` later (negative: earlier)."""
        start = add_months(self.start, 12 * years)
        end = month_end(add_months(self.end, 12 * years))
        return Period(start, end, self.kind)

    def previous_year(self) -> Period:
        """What this period is compared with: the same months a year earlier (for a
        rolling 12 months or a year ending, that is the previous 12 months)."""
        return self.shifted(-1)

    def earlier_years(self, count: int = 3) -> list[Period]:
        """The same months in each of the ``count`` years before, nearest first."""
        return [self.shifted(-n) for n in range(1, count + 1)]

    @property
    def month_range_label(self) -> str:
        """``"April 2017 to January 2018"`` (one month: ``"January 2018"``)."""
        if self.start == month_start(self.end):
            return month_label(self.start)
        return f"{month_label(self.start)} to {month_label(self.end)}"

    @property
    def label(self) -> str:
        """How the period is printed next to every figure."""
        fy = financial_year_label(self.financial_year)
        if self.kind == PeriodKind.FYTD:
            if self.start == month_start(self.end):
                return f"{self.start:%B} {fy}"
            return f"{self.start:%B} to {self.end:%B} {fy}"
        if self.kind == PeriodKind.QUARTER:
            _, quarter = quarter_of(self.start)
            return f"Q{quarter} {fy} ({self.start:%B} to {self.end:%B %Y})"
        if self.kind == PeriodKind.FINANCIAL_YEAR:
            return fy
        if self.kind == PeriodKind.ROLLING:
            return f"the 12 months to {month_label(self.end)}"
        if self.kind == PeriodKind.YEAR_ENDING:
            return f"the year ending {month_label(self.end)}"
        return self.month_range_label

    @property
    def short_label(self) -> str:
        """A label for table headings and chart legends: ``"Apr-Jan 2017/18"``."""
        fy = financial_year_label(self.financial_year)
        if self.kind == PeriodKind.FYTD:
            return f"{self.start:%b}-{self.end:%b} {fy}"
        if self.kind == PeriodKind.QUARTER:
            return quarter_label(*quarter_of(self.start))
        if self.kind == PeriodKind.FINANCIAL_YEAR:
            return fy
        return f"YE {self.end:%b %Y}"

    def comparison_label(self, other: Period | None = None) -> str:
        """``"April to January 2017/18 compared with April to January 2016/17"``."""
        other = other or self.previous_year()
        return f"{self.label} compared with {other.label}"

    def same_period_phrase(self, other: Period | None = None) -> str:
        """How a sentence names what the period is compared with: "the same period in
        2016/17", or "the year ending January 2017"."""
        other = other or self.previous_year()
        if self.kind in (PeriodKind.FYTD, PeriodKind.QUARTER):
            return f"the same period in {financial_year_label(other.financial_year)}"
        if self.kind in (PeriodKind.ROLLING, PeriodKind.YEAR_ENDING):
            return f"the previous 12 months ({other.month_range_label})"
        return other.label


def fytd(latest: date) -> Period:
    """The financial year to date: 1 April to the end of ``latest``'s month."""
    start = date(financial_year_of(latest), 4, 1)
    return Period(start, month_end(latest), PeriodKind.FYTD)


def financial_year(start_year: int) -> Period:
    return Period(date(start_year, 4, 1), date(start_year + 1, 3, 31), PeriodKind.FINANCIAL_YEAR)


def quarter(start_year: int, number: int) -> Period:
    if number not in (1, 2, 3, 4):
        raise ValueError("A quarter is numbered 1 to 4.")
    start = add_months(date(start_year, 4, 1), 3 * (number - 1))
    return Period(start, month_end(add_months(start, 2)), PeriodKind.QUARTER)


def rolling_12_months(latest: date) -> Period:
    """The 12 months ending with ``latest``'s month."""
    return Period(add_months(latest, -11), month_end(latest), PeriodKind.ROLLING)


def year_ending(latest: date) -> Period:
    """ONS style: the year ending December 2024 is January to December 2024."""
    return Period(add_months(latest, -11), month_end(latest), PeriodKind.YEAR_ENDING)


def latest_complete_quarter(latest: date) -> Period:
    """The last quarter that ends in or before ``latest``'s month."""
    fy, number = quarter_of(latest)
    candidate = quarter(fy, number)
    if candidate.end <= month_end(latest):
        return candidate
    return _previous_quarter(fy, number)


def _previous_quarter(fy: int, number: int) -> Period:
    return quarter(fy, number - 1) if number > 1 else quarter(fy - 1, 4)


def latest_complete_financial_year(latest: date) -> Period:
    """The last financial year that ends in or before ``latest``'s month."""
    fy = financial_year_of(latest)
    if month_end(latest) >= date(fy + 1, 3, 31):
        return financial_year(fy)
    return financial_year(fy - 1)


def period_for(kind: PeriodKind | str, latest: date) -> Period:
    """The period of a kind that a dashboard shows for data up to ``latest``'s month."""
    kind = PeriodKind(kind)
    if kind == PeriodKind.FYTD:
        # A year to date that runs to March is the whole financial year, and is
        # labelled so ("2017/18", not "April to March 2017/18").
        if latest.month == 3:
            return financial_year(latest.year - 1)
        return fytd(latest)
    if kind == PeriodKind.QUARTER:
        return latest_complete_quarter(latest)
    if kind == PeriodKind.ROLLING:
        return rolling_12_months(latest)
    if kind == PeriodKind.FINANCIAL_YEAR:
        return latest_complete_financial_year(latest)
    if kind == PeriodKind.YEAR_ENDING:
        return year_ending(latest)
    raise ValueError(f"Unknown period kind {kind!r}.")


def subperiods(period: Period, frequency: str) -> list[tuple[date, date]]:
    """The (start, end) of each monthly, quarterly or annual figure that lies wholly
    inside the period. A quarterly figure counts only when all three of its months are
    inside; annual figures are financial years."""
    if frequency == "monthly":
        return [(m, month_end(m)) for m in period.months]
    if frequency == "quarterly":
        spans = []
        for m in period.months:
            if (m.month - 4) % 3 == 0:
                end = month_end(add_months(m, 2))
                if end <= period.end:
                    spans.append((m, end))
        return spans
    if frequency == "annual":
        return [
            (m, date(m.year + 1, 3, 31))
            for m in period.months
            if m.month == 4 and date(m.year + 1, 3, 31) <= period.end
        ]
    raise ValueError(f"Unknown frequency {frequency!r}.")


def annual_window(period: Period) -> Period:
    """The financial year an annual measure is compared on for a period: the period
    itself when it is a financial year, else the last financial year ending in it or
    before it."""
    return latest_complete_financial_year(period.end)


# --- labels for the months actually compared -----------------------------------------


def month_run_label(first: date, last: date) -> str:
    """One run of months: ``"May 2024"``, ``"May to June 2024"``, ``"November 2023 to
    February 2024"``."""
    if first == last:
        return month_label(first)
    if first.year == last.year:
        return f"{first:%B} to {month_label(last)}"
    return f"{month_label(first)} to {month_label(last)}"


def months_label(months: Sequence[date]) -> str:
    """Months (first days, any order) as runs: ``"April to May 2024 and July 2024"``;
    empty for none."""
    indexes = sorted({month_index(m) for m in months})
    runs: list[tuple[int, int]] = []
    for index in indexes:
        if runs and index == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    names = [month_run_label(index_to_date(a), index_to_date(b)) for a, b in runs]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _whole_months(period: Period, months: Sequence[date]) -> list[date]:
    inside = {month_start(m) for m in months if period.contains(m)}
    return sorted(inside)


def figure_months_label(period: Period, months: Sequence[date]) -> str:
    """The period named with the months a figure for it actually covers: the plain
    label when every month is there, else the label with those months in brackets,
    ``"Q1 2023/24 (May to June 2023)"``, ``"2023/24 (May 2023 to March 2024)"``."""
    covered = _whole_months(period, months)
    if len(covered) == period.month_count or not covered:
        return period.label
    if period.kind == PeriodKind.QUARTER:
        _, number = quarter_of(period.start)
        return f"Q{number} {financial_year_label(period.financial_year)} ({months_label(covered)})"
    return f"{period.label} ({months_label(covered)})"


@dataclass(frozen=True)
class ComparedLabels:
    """How a comparison is named when some of the period's months are not compared:
    ``comparison`` for captions, chart titles, download headers and the PDF,
    ``current`` and ``previous`` for the two columns."""

    comparison: str
    current: str
    previous: str


def compared_labels(period: Period, compared: Sequence[date] | None = None) -> ComparedLabels:
    """The labels of a comparison of ``period`` with the year before on the months
    ``compared`` (months of ``period``; the same months a year earlier are the other
    side). When every month is compared (or ``compared`` is None or empty) they are the
    period's own labels; otherwise they name the months: "May to June 2024 compared
    with May to June 2023; April 2024 not supplied", columns "May to June 2024" and
    "May to June 2023"."""
    previous = period.previous_year()
    used = _whole_months(period, compared or [])
    if not used or len(used) == period.month_count:
        return ComparedLabels(period.comparison_label(), period.short_label, previous.short_label)
    earlier = [add_months(m, -12) for m in used]
    left_out = [m for m in period.months if m not in set(used)]
    current, before = months_label(used), months_label(earlier)
    return ComparedLabels(
        f"{current} compared with {before}; {months_label(left_out)} not supplied",
        current,
        before,
    )
