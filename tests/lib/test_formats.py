"""Every number and date format, with the exact strings pages, downloads and PDFs print."""

from datetime import date, time
from decimal import Decimal

import pandas as pd
import pytest

from cspportal.lib import formats


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (7, "7"),
        (1234, "1,234"),
        (1234567, "1,234,567"),
        (12.5, "12.5"),
        (12.25, "12.2"),
        (12.96, "13"),
        (-3, "-3"),
        (-1234.5, "-1,234.5"),
        (-0.04, "0"),
        (Decimal("40.00"), "40"),
        (Decimal("12.50"), "12.5"),
    ],
)
def test_count(value, expected):
    assert formats.count(value) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, Decimal("NaN")])
def test_every_formatter_prints_a_missing_value_as_missing_never_zero(missing):
    assert formats.count(missing) == ""
    assert formats.count(missing, missing="Missing") == "Missing"
    assert formats.pct(missing, missing="Not supplied") == "Not supplied"
    assert formats.money(missing) == ""
    assert formats.rate(missing) == ""
    assert formats.pct_change(missing) == ""
    assert formats.signed_rate(missing) == ""
    assert formats.change(missing, "count", missing="-") == "-"
    assert formats.value(missing, "gbp", missing="No figure") == "No figure"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0.0%"),
        (67, "67.0%"),
        (78.5, "78.5%"),
        (78.46, "78.5%"),
        (99.96, "100.0%"),
        (-2.5, "-2.5%"),
        (-0.04, "0.0%"),
        (1234.5, "1,234.5%"),
    ],
)
def test_pct(value, expected):
    assert formats.pct(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "£0"),
        (10000, "£10,000"),
        (10000.5, "£10,000.50"),
        (Decimal("1234567.89"), "£1,234,567.89"),
        (-250, "-£250"),
        (0.004, "£0"),
    ],
)
def test_money(value, expected):
    assert formats.money(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0.00"), (12.345, "12.35"), (49.5612, "49.56"), (1234.5, "1,234.50"), (-0.001, "0.00")],
)
def test_rate_per_1000(value, expected):
    assert formats.rate(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (20.4, "+20.4%"),
        (20.449, "+20.4%"),
        (20.45001, "+20.5%"),
        (-6, "-6.0%"),
        (-35.83, "-35.8%"),
        (0, "0.0%"),
        (-0.04, "0.0%"),
        (0.04, "0.0%"),
        (1234.5, "+1234.5%"),
    ],
)
def test_pct_change(value, expected):
    assert formats.pct_change(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(-27.674, "-27.67"), (7.8, "+7.80"), (0, "0.00"), (-0.001, "0.00"), (1234.5, "+1,234.50")],
)
def test_signed_rate(value, expected):
    assert formats.signed_rate(value) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1234, "count", "+1,234"),
        (-1234, "count", "-1,234"),
        (0, "count", "0"),
        (-0.01, "count", "0"),
        (2.5, "count", "+2.5"),
        (-6, "percentage", "-6.0 points"),
        (2.5, "percentage", "+2.5 points"),
        (0, "percentage", "0.0 points"),
        (-0.01, "percentage", "0.0 points"),
        (1000, "gbp", "+£1,000"),
        (-250.5, "gbp", "-£250.50"),
        (0, "gbp", "£0"),
        (-7.82, "rate", "-7.82"),
    ],
)
def test_change(value, unit, expected):
    assert formats.change(value, unit) == expected


@pytest.mark.parametrize(
    ("unit", "expected"),
    [("count", "1,234"), ("percentage", "1,234.0%"), ("gbp", "£1,234"), ("rate", "1,234.00")],
)
def test_value_in_its_unit(unit, expected):
    assert formats.value(1234, unit) == expected


def test_the_one_minus_sign_is_the_hyphen_minus():
    assert formats.MINUS == "-"
    assert {
        formats.count(-1)[0],
        formats.pct_change(-1)[0],
        formats.change(-1, "gbp")[0],
        formats.signed_rate(-1)[0],
    } == {"-"}


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2024, 1, 11), "11 January 2024"), (date(2024, 2, 29), "29 February 2024")],
)
def test_uk_date(day, expected):
    assert formats.uk_date(day) == expected


def test_uk_date_of_nothing_is_empty():
    assert formats.uk_date(None) == ""
    assert formats.uk_date(None, missing="Not set") == "Not set"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (time(18, 30), "6.30pm"),
        (time(18, 0), "6pm"),
        (time(9, 5), "9.05am"),
        (time(12, 0), "12 noon"),
        (time(0, 0), "12 midnight"),
        (time(0, 15), "12.15am"),
        (time(12, 30), "12.30pm"),
    ],
)
def test_uk_time(moment, expected):
    assert formats.uk_time(moment) == expected


def test_uk_clock():
    assert formats.uk_clock(time(14, 5)) == "2:05pm"
    assert formats.uk_clock(time(0, 5)) == "12:05am"


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "0 seconds"),
        (0.9, "0 seconds"),
        (1, "1 second"),
        (45, "45 seconds"),
        (60, "1 minute"),
        (61, "1 minute 1 second"),
        (125, "2 minutes 5 seconds"),
        (3600, "1 hour"),
        (3780, "1 hour 3 minutes"),
        (7322, "2 hours 2 minutes"),
        (-3, "0 seconds"),
    ],
)
def test_duration_in_words(seconds, words):
    assert formats.duration(seconds) == words


@pytest.mark.parametrize(
    ("significant", "what", "clause"),
    [
        (True, "increase", "the increase is unlikely to be chance"),
        (True, "decrease", "the decrease is unlikely to be chance"),
        (False, "increase", "the increase could be chance"),
        (False, "decrease", "the decrease could be chance"),
    ],
)
def test_a_sentence_gives_the_tables_verdict_on_chance(significant, what, clause):
    assert formats.significance_clause(significant, what) == clause
