"""A year ending compared on whole-year figures (the ONS years ending) when its monthly
figures are not complete: both years from one source, never a mix."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cspportal.lib.periods import fytd, month_index, month_starts, rolling_12_months, year_ending
from reports.dashboard import analysis
from reports.dashboard.analysis import Basis
from tests.dashboards.test_analysis import MEASURES, frame, months, only, two_sided_binomial_half

YE_DEC_2024 = year_ending(date(2024, 12, 1))  # January to December 2024
CRIME = MEASURES.loc[["crime"]]


def years(**values: float) -> pd.DataFrame:
    """Whole-year figures keyed by the year ending December of each ``yYYYY``."""
    return frame([("crime", month_index(date(int(key[1:]), 1, 1)), v) for key, v in values.items()])


def compare(series, measures=CRIME, period=YE_DEC_2024, **kwargs):
    """As the dashboard calls it: a row for every measure, figures or not."""
    keys = pd.DataFrame({"measure": measures.index.to_list()})
    return analysis.compare(series, measures, period, key_values=keys, **kwargs)


def monthly(start: date, end: date, value_of=lambda m: 100):
    return frame(months("crime", start, end, value_of))


def test_complete_monthly_figures_come_first():
    series = monthly(date(2023, 1, 1), date(2024, 12, 1), lambda m: 100 if m.year == 2023 else 90)
    row = only(
        analysis.compare(series, CRIME, YE_DEC_2024, year_figures=years(y2023=5000, y2024=4000))
    )
    assert (row["current"], row["previous"], row["basis"]) == (1080.0, 1200.0, Basis.MONTHS)


def test_incomplete_months_give_way_to_both_whole_years():
    # June 2024 is missing: the monthly comparison would drop June from both years.
    series = monthly(
        date(2023, 1, 1),
        date(2024, 12, 1),
        lambda m: None if m == date(2024, 6, 1) else 100,
    )
    row = only(
        analysis.compare(series, CRIME, YE_DEC_2024, year_figures=years(y2023=11087, y2024=9904))
    )
    assert (row["current"], row["previous"], row["basis"]) == (9904.0, 11087.0, Basis.YEAR)
    assert row["change"] == -1183.0
    assert row["pct_change"] == pytest.approx(-1183 / 11087 * 100)
    assert round(row["pct_change"], 1) == -10.7
    # Too large to sum by hand quickly: scipy's exact binomial test, which for p = 1/2
    # is the same twice-the-smaller-tail rule.
    assert row["p_value"] == pytest.approx(stats.binomtest(9904, 20991, 0.5).pvalue, rel=1e-6)
    assert (bool(row["significant"]), row["assessment"]) == (True, "better")
    assert bool(row["small_base"]) is False
    # The monthly gap is still reported (the completeness panel lists it).
    assert row["missing_current"] == [month_index(date(2024, 6, 1))]


def test_no_monthly_figures_at_all_compare_on_whole_years_with_a_small_base():
    row = only(compare(frame([]), year_figures=years(y2023=22, y2024=23)))
    assert (row["current"], row["previous"], row["basis"]) == (23.0, 22.0, Basis.YEAR)
    assert row["pct_change"] == pytest.approx(100 / 22)
    assert bool(row["small_base"]) is True
    assert row["p_value"] == pytest.approx(two_sided_binomial_half(23, 45), rel=1e-9)
    assert (bool(row["significant"]), row["assessment"]) == (False, "no_real_change")


def test_one_whole_year_is_never_matched_with_the_other_years_months():
    # Every month of 2023 but none of 2024; only the year ending December 2024 from ONS.
    series = monthly(date(2023, 1, 1), date(2023, 12, 1))
    row = only(analysis.compare(series, CRIME, YE_DEC_2024, year_figures=years(y2024=9904)))
    assert np.isnan(row["current"]) and np.isnan(row["previous"])
    # The ONS year is printed on its own, never against 2023's months.
    assert (row["basis"], row["assessment"]) == (Basis.YEAR_ALONE, "not_compared")
    assert row["current_alone"] == 9904


@pytest.mark.parametrize(
    "period",
    [rolling_12_months(date(2024, 12, 1)), fytd(date(2024, 12, 1))],
    ids=["rolling 12 months", "financial year to date"],
)
def test_only_a_year_ending_uses_whole_years(period):
    row = only(compare(frame([]), period=period, year_figures=years(y2023=10, y2024=9)))
    assert np.isnan(row["current"]) and row["basis"] == Basis.MONTHS


def test_the_three_year_average_of_whole_years_only_when_all_three_are_on_record():
    figures = years(y2021=12000, y2022=11500, y2023=11087, y2024=9904)
    row = only(compare(frame([]), year_figures=figures))
    assert row["years_in_average"] == 3
    assert row["average"] == pytest.approx((12000 + 11500 + 11087) / 3)
    assert row["pct_vs_average"] == pytest.approx((9904 - 34587 / 3) / (34587 / 3) * 100)

    row = only(compare(frame([]), year_figures=years(y2022=11500, y2023=11087, y2024=9904)))
    assert row["years_in_average"] == 2
    assert np.isnan(row["average"]) and np.isnan(row["pct_vs_average"])


def test_a_year_ending_in_march_matches_whole_years_from_april():
    period = year_ending(date(2024, 3, 1))
    figures = frame(
        [
            ("crime", month_index(date(2023, 4, 1)), 480.0),
            ("crime", month_index(date(2022, 4, 1)), 400.0),
        ]
    )
    row = only(compare(frame([]), period=period, year_figures=figures))
    assert (row["current"], row["previous"], row["basis"]) == (480.0, 400.0, Basis.YEAR)
    assert row["pct_change"] == pytest.approx(20.0)


def test_annual_measures_keep_their_financial_years():
    safe = MEASURES.loc[["safe"]]
    figures = frame(
        [
            ("safe", month_index(date(2024, 1, 1)), 80.0),
            ("safe", month_index(date(2023, 1, 1)), 70.0),
        ]
    )
    row = only(compare(frame([]), safe, year_figures=figures), "safe")
    assert np.isnan(row["current"]) and row["basis"] == Basis.MONTHS


def test_every_month_on_both_sides_without_whole_years_is_unchanged():
    series = monthly(date(2020, 1, 1), date(2024, 12, 1))
    with_none = only(analysis.compare(series, CRIME, YE_DEC_2024))
    assert (with_none["current"], with_none["previous"], with_none["basis"]) == (
        1200.0,
        1200.0,
        Basis.MONTHS,
    )
    assert len(month_starts(YE_DEC_2024.start, YE_DEC_2024.end)) == with_none["used"] == 12
