"""The comparison rules, checked against values worked out by hand."""

from datetime import date
from math import comb

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from crimestats import comparisons
from crimestats.comparisons import Assessment
from cspportal.lib.periods import fytd, month_index, month_starts
from reports.dashboard import analysis

MEASURES = pd.DataFrame(
    [
        ("crime", "Crime", "count", "down_good", "crime", "sum", "monthly"),
        ("safe", "Feeling safe", "percentage", "up_good", "survey", "latest", "annual"),
        ("repeat", "Repeat rate", "percentage", "down_good", "partnership", "mean", "quarterly"),
        ("marac", "MARAC", "count", "neutral", "partnership", "sum", "quarterly"),
    ],
    columns=["code", *analysis.MEASURE_COLUMNS],
).set_index("code")
PERIOD = fytd(date(2018, 1, 1))  # April 2017 to January 2018


def months(code, start, end, value_of):
    return [
        (code, month_index(m), value_of(m))
        for m in month_starts(start, end)
        if value_of(m) is not None
    ]


def frame(rows):
    return pd.DataFrame(rows, columns=["measure", "month", "value"]).astype({"value": float})


def only(result, code="crime"):
    return result[result["measure"] == code].iloc[0].to_dict()


def two_sided_binomial_half(k: int, n: int) -> float:
    """Worked by hand: under no change the current count is Binomial(n, 1/2), and
    the two-sided p-value is twice the smaller tail, at most 1."""
    lower = sum(comb(n, i) for i in range(k + 1)) / 2**n
    upper = sum(comb(n, i) for i in range(k, n + 1)) / 2**n
    return min(1.0, 2 * min(lower, upper))


# --- single values ------------------------------------------------------------------


def test_percent_change_and_its_missing_zero_and_negative_bases():
    assert comparisons.percent_change(120, 100) == pytest.approx(20.0)
    assert comparisons.percent_change(94, 100) == pytest.approx(-6.0)
    assert comparisons.percent_change(5, 0) is None
    assert comparisons.percent_change(5, None) is None
    assert comparisons.percent_change(None, 5) is None
    assert comparisons.percent_change(5, -3) is None


def test_p_value_of_12_against_3_is_the_hand_computed_binomial_tail():
    # P(X >= 12 | n = 15, p = 1/2) = (455 + 105 + 15 + 1) / 32768 = 0.017578125
    assert two_sided_binomial_half(12, 15) == pytest.approx(0.03515625, abs=1e-12)
    assert comparisons.poisson_ratio_p_value(12, 3) == pytest.approx(0.03515625, abs=1e-12)


@pytest.mark.parametrize(("current", "previous"), [(38, 31), (170, 263), (1205, 1001), (0, 4)])
def test_p_value_matches_the_hand_computation_and_scipy(current, previous):
    expected = two_sided_binomial_half(current, current + previous)
    assert comparisons.poisson_ratio_p_value(current, previous) == pytest.approx(expected, rel=1e-9)
    scipy_p = stats.binomtest(current, current + previous, 0.5).pvalue
    assert comparisons.poisson_ratio_p_value(current, previous) == pytest.approx(scipy_p, rel=1e-9)


def test_equal_counts_give_p_of_one_and_the_test_skips_what_it_cannot_test():
    assert comparisons.poisson_ratio_p_value(10, 10) == 1.0
    assert comparisons.poisson_ratio_p_value(0, 0) is None
    assert comparisons.poisson_ratio_p_value(-2, 10) is None
    assert comparisons.poisson_ratio_p_value(10.5, 10) is None
    assert comparisons.poisson_ratio_p_value(float("nan"), 10) is None


@pytest.mark.parametrize(
    ("change", "polarity", "significant", "expected"),
    [
        (10, "down_good", True, Assessment.WORSE),
        (-10, "down_good", True, Assessment.BETTER),
        (10, "up_good", True, Assessment.BETTER),
        (-10, "up_good", True, Assessment.WORSE),
        (10, "down_good", False, Assessment.NO_REAL_CHANGE),
        (10, "neutral", True, Assessment.CHANGED),
        (0, "down_good", None, Assessment.NO_REAL_CHANGE),
        (2.5, "up_good", None, Assessment.BETTER),
        (None, "down_good", None, Assessment.NOT_COMPARED),
    ],
)
def test_polarity_turns_direction_into_better_or_worse(change, polarity, significant, expected):
    assert comparisons.assess(change, polarity, significant=significant) == expected


def test_rate_per_1000():
    assert comparisons.rate_per_1000(150, 100_000) == pytest.approx(1.5)
    assert comparisons.rate_per_1000(150, 0) is None
    assert comparisons.rate_per_1000(150, None) is None


# --- comparisons --------------------------------------------------------------------


def test_fytd_compares_the_same_ten_months_and_the_three_year_average():
    by_year = {2014: 90, 2015: 95, 2016: 100, 2017: 120}
    series = frame(
        months(
            "crime",
            date(2014, 4, 1),
            date(2018, 1, 1),
            lambda m: by_year[m.year if m.month >= 4 else m.year - 1],
        )
    )
    row = only(analysis.compare(series, MEASURES.loc[["crime"]], PERIOD))
    assert (row["current"], row["previous"], row["change"]) == (1200.0, 1000.0, 200.0)
    assert row["pct_change"] == pytest.approx(20.0)
    assert row["average"] == pytest.approx((900 + 950 + 1000) / 3)
    assert row["years_in_average"] == 3
    assert row["pct_vs_average"] == pytest.approx((1200 - 950) / 950 * 100)
    assert row["small_base"] is False or row["small_base"] == np.False_
    assert row["p_value"] == pytest.approx(two_sided_binomial_half(1200, 2200), rel=1e-9)
    assert bool(row["significant"]) is True
    assert row["assessment"] == "worse"
    assert (row["used"], row["expected"]) == (10, 10)


def test_a_missing_month_is_left_out_of_both_years():
    def value(m):
        if m == date(2017, 6, 1):
            return None  # June 2017 not supplied
        return 120 if m >= date(2017, 4, 1) else 100

    series = frame(months("crime", date(2016, 4, 1), date(2018, 1, 1), value))
    row = only(analysis.compare(series, MEASURES.loc[["crime"]], PERIOD))
    assert (row["current"], row["previous"]) == (1080.0, 900.0)  # nine months each
    assert row["missing_current"] == [month_index(date(2017, 6, 1))]
    assert row["missing_previous"] == []
    assert (row["used"], row["expected"]) == (9, 10)


def test_a_month_missing_a_year_earlier_is_left_out_of_the_current_year_too():
    def value(m):
        if m == date(2016, 9, 1):
            return None
        return 120 if m >= date(2017, 4, 1) else 100

    series = frame(months("crime", date(2016, 4, 1), date(2018, 1, 1), value))
    row = only(analysis.compare(series, MEASURES.loc[["crime"]], PERIOD))
    assert (row["current"], row["previous"]) == (1080.0, 900.0)
    assert row["missing_previous"] == [month_index(date(2016, 9, 1))]
    assert row["missing_current"] == []


def test_a_zero_base_has_no_percentage_and_is_a_small_base():
    series = frame(
        months(
            "crime", date(2016, 4, 1), date(2018, 1, 1), lambda m: 1 if m >= date(2017, 4, 1) else 0
        )
    )
    row = only(analysis.compare(series, MEASURES.loc[["crime"]], PERIOD))
    assert (row["current"], row["previous"], row["change"]) == (10.0, 0.0, 10.0)
    assert np.isnan(row["pct_change"])
    assert bool(row["small_base"]) is True
    assert row["p_value"] == pytest.approx(2 / 2**10)


def test_a_missing_base_is_not_compared():
    series = frame(months("crime", date(2017, 4, 1), date(2018, 1, 1), lambda m: 10))
    row = only(analysis.compare(series, MEASURES.loc[["crime"]], PERIOD))
    assert np.isnan(row["previous"]) and np.isnan(row["current"])
    assert row["assessment"] == "not_compared"
    assert len(row["missing_previous"]) == 10


def test_negative_counts_from_ons_adjustments_get_no_percentage_or_test():
    series = frame(
        months(
            "crime",
            date(2016, 4, 1),
            date(2018, 1, 1),
            lambda m: 2 if m >= date(2017, 4, 1) else -1,
        )
    )
    row = only(analysis.compare(series, MEASURES.loc[["crime"]], PERIOD))
    assert (row["current"], row["previous"], row["change"]) == (20.0, -10.0, 30.0)
    assert np.isnan(row["pct_change"]) and np.isnan(row["p_value"])
    assert pd.isna(row["significant"])
    assert row["assessment"] == "worse"


def test_a_small_base_keeps_its_percentage_marked():
    values = {date(2016, 4, 1): 31, date(2017, 4, 1): 38}
    series = frame(months("crime", date(2016, 4, 1), date(2018, 1, 1), lambda m: values.get(m, 0)))
    row = only(analysis.compare(series, MEASURES.loc[["crime"]], PERIOD))
    assert row["pct_change"] == pytest.approx(22.580645, abs=1e-6)
    assert bool(row["small_base"]) is True
    assert row["p_value"] == pytest.approx(two_sided_binomial_half(38, 69), rel=1e-9)
    assert row["assessment"] == "no_real_change"


def test_the_average_needs_all_three_earlier_years():
    series = frame(months("crime", date(2015, 4, 1), date(2018, 1, 1), lambda m: 100))
    row = only(analysis.compare(series, MEASURES.loc[["crime"]], PERIOD))
    assert row["years_in_average"] == 2
    assert np.isnan(row["average"])


def test_annual_latest_and_quarterly_mean_measures():
    rows = [
        ("safe", month_index(date(fy, 4, 1)), value)
        for fy, value in [(2015, 71.0), (2016, 74.5), (2017, 80.0)]
    ]
    quarters = [
        date(2016, 4, 1),
        date(2016, 7, 1),
        date(2016, 10, 1),
        date(2017, 1, 1),
        date(2017, 4, 1),
        date(2017, 7, 1),
        date(2017, 10, 1),
    ]
    rows += [
        ("repeat", month_index(q), v)
        for q, v in zip(quarters, [20, 22, 24, 30, 26, 27, 28], strict=True)
    ]
    result = analysis.compare(frame(rows), MEASURES.loc[["safe", "repeat"]], PERIOD)
    safe = only(result, "safe")
    # An April-January period has no whole year of its own: the last complete
    # financial year (2016/17) is compared with the one before.
    assert (safe["current"], safe["previous"]) == (74.5, 71.0)
    assert safe["assessment"] == "better"
    assert np.isnan(safe["p_value"])
    repeat = only(result, "repeat")
    assert (repeat["current"], repeat["previous"]) == (27.0, 22.0)
    assert repeat["assessment"] == "worse"


def test_area_comparison_reports_an_area_with_no_figures():
    rows = [
        ("crime", 1, month_index(m), 10.0) for m in month_starts(date(2016, 4, 1), date(2018, 1, 1))
    ]
    series = pd.DataFrame(rows, columns=["measure", "area", "month", "value"])
    keys = pd.DataFrame({"measure": ["crime", "crime"], "area": [1, 2]})
    result = analysis.compare(
        series, MEASURES.loc[["crime"]], PERIOD, keys=("measure", "area"), key_values=keys, years=1
    )
    assert result["current"].tolist()[0] == 100.0
    assert np.isnan(result["current"].tolist()[1])
    assert len(result.iloc[1]["missing_current"]) == 10


def test_partnership_series_sums_areas_only_when_every_area_supplied():
    monthly = pd.DataFrame(
        [
            ("crime", 1, None, 0, 150.0, 2),  # both areas
            ("crime", 2, None, 0, 100.0, 1),  # one area missing: not a fall to 100
            ("crime", 3, 170.0, 1, 150.0, 2),  # a whole-partnership figure wins
            ("safe", 1, None, 0, 150.0, 2),  # percentages never add up
        ],
        columns=["measure", "month", "whole_value", "whole_supplied", "area_sum", "area_supplied"],
    )
    series = comparisons.partnership_series(monthly, area_count=2, additive={"crime"})
    assert series["value"].tolist()[0] == 150.0
    assert np.isnan(series["value"].tolist()[1])
    assert series["value"].tolist()[2] == 170.0
    assert np.isnan(series["value"].tolist()[3])
    assert series["partial"].tolist() == [False, True, False, False]


def test_peer_comparison_ranks_by_rate_and_measures_distance_from_the_average():
    peers = pd.DataFrame(
        [
            (1, "Us", 300.0, 100_000.0, True),  # 3.0 per 1,000
            (2, "A", 100.0, 50_000.0, False),  # 2.0
            (3, "B", 800.0, 200_000.0, False),  # 4.0
            (4, "C", None, 80_000.0, False),  # no figure
        ],
        columns=["partnership", "name", "value", "population", "is_self"],
    )
    result = analysis.peer_comparison(peers, polarity="down_good")
    assert result["name"].tolist() == ["A", "Us", "B", "C"]
    assert result["rank"].tolist()[:3] == [1.0, 2.0, 3.0]
    assert np.isnan(result["rank"].tolist()[3])
    us = result[result["is_self"]].iloc[0]
    assert us["rate"] == pytest.approx(3.0)
    assert us["group_average"] == pytest.approx(3.0)
    assert us["distance"] == pytest.approx(0.0)
    assert result.iloc[0]["distance_pct"] == pytest.approx(-33.333333, abs=1e-6)
    assert result.iloc[0]["ranked"] == 3
    up = analysis.peer_comparison(peers, polarity="up_good")
    assert up["name"].tolist()[:3] == ["B", "Us", "A"]


def test_missing_periods_lists_gaps_and_not_supplied_figures():
    expected = pd.DataFrame({"measure": ["crime"] * 3, "month": [1, 2, 3]})
    series = pd.DataFrame({"measure": ["crime", "crime"], "month": [1, 2], "value": [5.0, np.nan]})
    missing = analysis.missing_periods(series, expected)
    assert missing["month"].tolist() == [2, 3]
