"""How every number and date reads, on pages, in downloads and in PDFs.

One home for the formats, so a figure prints the same wherever it appears:

- counts: 1,234 (one decimal place when not whole: 12.5);
- percentages: 67.0% or 78.5%;
- money: £10,000 (pence only when there are any: £10,000.50);
- rates per 1,000 people: 12.34;
- changes always carry a sign: +1,234, -6.0%, +£1,000, -2.5 points (percentage points), +1.20;
- dates: 11 January 2024; times: 6.30pm, 12 noon.

A fall is written with the ASCII hyphen-minus ("-6.0%"), everywhere: it is what the
dashboards have always printed and what a spreadsheet reads back as a number. A
missing value is never 0: each formatter returns ``missing`` (empty unless the caller
says otherwise) for None or NaN.

Pure functions of plain values: no model, no settings, no request.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

Number = int | float | Decimal

MINUS = "-"
# What a table prints for a figure nobody supplied, and for a change it cannot work out.
NOT_SUPPLIED = "Not supplied"
NO_CHANGE = "-"


def is_missing(value: object) -> bool:
    """None, NaN or pandas' NA: a value that is not there (never read as 0)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, Decimal):
        return value.is_nan()
    # pandas.NA refuses bool(); it is the one value that is not equal to itself
    # without being a float.
    try:
        return bool(value != value)
    except TypeError:
        return True


def _sign(number: float) -> str:
    return "+" if number > 0 else MINUS if number < 0 else ""


def _grouped(number: float, places: int) -> str:
    """``number`` with thousands separators and ``places`` decimals, or none when the
    rounded number is whole; a negative that rounds to zero prints as 0."""
    rounded = round(number, places)
    if rounded == 0:
        return "0"
    if rounded == int(rounded):
        return f"{int(rounded):,}"
    return f"{rounded:,.{places}f}"


def count(number: Number | None, *, missing: str = "") -> str:
    """1,234; 12.5 (one decimal place when the count is not whole)."""
    if is_missing(number):
        return missing
    return _grouped(float(number), 1)  # type: ignore[arg-type]


def pct(number: Number | None, *, missing: str = "") -> str:
    """67.0%; 78.5% (a percentage measure's value, not a change: always one decimal
    place, so a column of them lines up)."""
    if is_missing(number):
        return missing
    rounded = round(float(number), 1) + 0.0  # type: ignore[arg-type]
    return f"{rounded:,.1f}%"


def money(number: Number | None, *, missing: str = "") -> str:
    """£10,000; £10,000.50 (pence only when there are any); -£250."""
    if is_missing(number):
        return missing
    amount = round(float(number), 2)  # type: ignore[arg-type]
    sign = MINUS if amount < 0 else ""
    text = f"{abs(amount):,.0f}" if amount == int(amount) else f"{abs(amount):,.2f}"
    return f"{sign}£{text}"


def rate(number: Number | None, *, missing: str = "") -> str:
    """12.34: a rate per 1,000 people, always two decimal places."""
    if is_missing(number):
        return missing
    amount = round(float(number), 2)  # type: ignore[arg-type]
    return f"{amount + 0.0:,.2f}"  # + 0.0 turns -0.0 into 0.0


def value(number: Number | None, unit: str, *, missing: str = "") -> str:
    """A value in its measure's unit: count, percentage, gbp or rate."""
    if unit == "percentage":
        return pct(number, missing=missing)
    if unit == "gbp":
        return money(number, missing=missing)
    if unit == "rate":
        return rate(number, missing=missing)
    return count(number, missing=missing)


def pct_change(number: Number | None, *, missing: str = "") -> str:
    """+20.4%; -6.0%; 0.0% (one decimal place; no sign when it rounds to nothing)."""
    if is_missing(number):
        return missing
    rounded = round(float(number), 1)  # type: ignore[arg-type]
    return f"{_sign(rounded)}{abs(rounded):.1f}%"


def signed_rate(number: Number | None, *, missing: str = "") -> str:
    """+12.34; -7.82; 0.00: a rate's distance from another."""
    if is_missing(number):
        return missing
    rounded = round(float(number), 2)  # type: ignore[arg-type]
    return f"{_sign(rounded)}{abs(rounded):,.2f}"


def change(number: Number | None, unit: str, *, missing: str = "") -> str:
    """The difference between two values of a measure: +1,234; -2.5 points; +£1,000;
    0 (or 0.0 points, £0) when nothing changed."""
    if is_missing(number):
        return missing
    amount = float(number)  # type: ignore[arg-type]
    if unit == "rate":
        return signed_rate(amount)
    text = value(abs(amount), unit)
    if unit == "percentage":
        text = text[:-1] + " points"
    # The sign follows the printed figure: a change that rounds to 0 has none.
    rounds_to_nothing = text.lstrip("£").split(" ")[0].strip("0.,") == ""
    return ("" if rounds_to_nothing else _sign(amount)) + text


def uk_date(day: date | None, *, missing: str = "") -> str:
    """11 January 2024 (a datetime should be turned into UK time first)."""
    if day is None:
        return missing
    return f"{day.day} {day:%B %Y}"


def uk_time(moment: time | None, *, missing: str = "") -> str:
    """6.30pm, 6pm, 12 noon, 12 midnight: the GOV.UK style for times."""
    if moment is None:
        return missing
    if moment.hour == 12 and moment.minute == 0:
        return "12 noon"
    if moment.hour == 0 and moment.minute == 0:
        return "12 midnight"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}.{moment.minute:02d}{suffix}"


def uk_clock(moment: time) -> str:
    """2:05pm: the time of day printed after a date ("11 January 2024 at 2:05pm")."""
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment:%M}{'am' if moment.hour < 12 else 'pm'}"


def duration(seconds: float) -> str:
    """How long something has taken, to the second under a minute and to the minute
    after: "1 second", "45 seconds", "2 minutes 5 seconds", "1 hour 3 minutes"."""

    def unit(number: int, name: str) -> str:
        return f"{number} {name}" if number == 1 else f"{number} {name}s"

    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return unit(hours, "hour") + (f" {unit(minutes, 'minute')}" if minutes else "")
    if minutes:
        return unit(minutes, "minute") + (f" {unit(secs, 'second')}" if secs else "")
    return unit(secs, "second")


@dataclass(frozen=True)
class Wording:
    """The formats above with one page's words for a value that is not there:
    ``missing`` for a figure, ``not_worked_out`` for a change or a date."""

    missing: str = ""
    not_worked_out: str = ""

    def count(self, number: Number | None) -> str:
        return count(number, missing=self.missing)

    def money(self, number: Number | None) -> str:
        return money(number, missing=self.missing)

    def value(self, number: Number | None, unit: str) -> str:
        return value(number, unit, missing=self.missing)

    def pct_change(self, number: Number | None) -> str:
        return pct_change(number, missing=self.not_worked_out)

    def pct_change_on_base(self, number: Number | None, small_base: bool) -> str:
        return pct_change_on_base(number, small_base, missing=self.not_worked_out)

    def change(self, number: Number | None, unit: str) -> str:
        return change(number, unit, missing=self.not_worked_out)

    def uk_date(self, day: date | None) -> str:
        return uk_date(day, missing=self.not_worked_out)


# A committee report prints "Not supplied" for a missing figure and "-" for a change
# or date it cannot give.
REPORT = Wording(missing=NOT_SUPPLIED, not_worked_out=NO_CHANGE)


# Significance and small bases: the one wording of the dashboard tables, the
# narrative and the PDF. A councillor reads the test's verdict in plain words; the
# method and the p-value are one click away (the measure's page).
SIGNIFICANT = "Unlikely to be chance"
NOT_SIGNIFICANT = "Could be chance"
NOT_TESTED = "Not tested"
SIGNIFICANCE_HEADER = "Could it be chance?"
SMALL_BASE = "small base"


def significance(significant: bool | None) -> str:
    """Unlikely to be chance (a significant change), Could be chance, or Not tested
    (money, percentages, averages)."""
    if is_missing(significant):
        return NOT_TESTED
    return SIGNIFICANT if significant else NOT_SIGNIFICANT


def pct_change_on_base(number: Number | None, small_base: bool, *, missing: str = "") -> str:
    """+20.4%, or "+22.6% (small base)" when the earlier count is under the small base."""
    if is_missing(number):
        return missing
    return pct_change(number) + (f" ({SMALL_BASE})" if small_base else "")


def significance_clause(significant: bool, what: str) -> str:
    """ "the increase is unlikely to be chance" or "the decrease could be chance": the
    tables' verdict, for a sentence."""
    if significant:
        return f"the {what} is {SIGNIFICANT.lower()}"
    return f"the {what} {NOT_SIGNIFICANT.lower()}"


def p_value(p: float | None) -> str:
    """p < 0.001 or p = 0.042: the test's p-value beside its verdict."""
    if is_missing(p):
        return ""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"  # type: ignore[operator]
