"""Target evaluation from plain numbers and from monthly figures (no database)."""

from datetime import date
from decimal import Decimal

import pytest

from actionplans.targets import (
    Figure,
    Outcome,
    compare_year_to_date,
    evaluate_target,
)


def test_a_5_percent_reduction_is_met_at_95_percent_of_the_baseline():
    result = evaluate_target(baseline=200, current=190, direction="reduce", change_pct=5)
    assert result.outcome is Outcome.MET
    assert result.target_value == Decimal("190.00")
    assert result.pct_change == pytest.approx(-5.0)
    assert result.small_base is False


def test_a_5_percent_reduction_is_not_met_one_above_the_target():
    result = evaluate_target(baseline=200, current=191, direction="reduce", change_pct=5)
    assert result.outcome is Outcome.NOT_MET
    assert result.pct_change == pytest.approx(-4.5)


def test_an_increase_target_needs_the_figure_at_or_above_it():
    met = evaluate_target(baseline=60, current=66, direction="increase", change_pct=10)
    missed = evaluate_target(baseline=60, current=65, direction="increase", change_pct=10)
    assert met.outcome is Outcome.MET
    assert missed.outcome is Outcome.NOT_MET
    assert met.target_value == Decimal("66.0")


def test_a_count_baseline_under_50_is_a_small_base():
    result = evaluate_target(baseline=31, current=38, direction="reduce", change_pct=0)
    assert result.small_base is True
    assert result.pct_change == pytest.approx(22.58, abs=0.005)
    assert result.outcome is Outcome.NOT_MET


def test_a_percentage_measure_is_never_a_small_base():
    result = evaluate_target(
        baseline=Decimal("67"),
        current=Decimal("70"),
        direction="increase",
        change_pct=3,
        is_count=False,
    )
    assert result.small_base is False
    assert result.outcome is Outcome.MET


def test_no_percentage_when_the_baseline_is_zero():
    result = evaluate_target(baseline=0, current=3, direction="reduce", change_pct=5)
    assert result.pct_change is None
    assert result.outcome is Outcome.NOT_MET


def test_missing_figures_give_no_judgement():
    result = evaluate_target(baseline=None, current=10, direction="reduce", change_pct=5)
    assert result.outcome is Outcome.NO_DATA
    assert result.outcome.label == "Not enough figures to judge"


def test_an_unknown_direction_is_refused():
    with pytest.raises(ValueError, match="Unknown target direction 'sideways'"):
        evaluate_target(baseline=1, current=1, direction="sideways", change_pct=5)


def _months(year: int, first_month: int, values: list, area=None) -> list[Figure]:
    figures = []
    month, y = first_month, year
    for value in values:
        figures.append(Figure(date(y, month, 1), area, None if value is None else Decimal(value)))
        month += 1
        if month == 13:
            month, y = 1, y + 1
    return figures


def test_it_compares_the_latest_year_to_date_with_the_same_months_of_the_baseline():
    figures = _months(2023, 4, [100] * 12) + _months(2024, 4, [90, 95, 100, 80])
    comparison = compare_year_to_date(figures, baseline_year=2023)
    assert comparison.current == Decimal(365)
    assert comparison.baseline == Decimal(400)
    assert comparison.period_label == ("April to July 2024/25 compared with April to July 2023/24")
    assert comparison.notes == ()


def test_the_baseline_can_be_several_years_back():
    figures = _months(2017, 4, [50] * 12) + _months(2019, 4, [40, 45])
    comparison = compare_year_to_date(figures, baseline_year=2017)
    assert (comparison.current, comparison.baseline) == (Decimal(85), Decimal(100))
    assert comparison.period_label == "April to May 2019/20 compared with April to May 2017/18"


def test_a_missing_month_is_left_out_of_both_years():
    figures = _months(2023, 4, [100, None, 100, 100]) + _months(2024, 4, [90, 90, 90, 90])
    comparison = compare_year_to_date(figures, baseline_year=2023)
    assert (comparison.current, comparison.baseline) == (Decimal(270), Decimal(300))
    assert comparison.notes == ("May 2024 and May 2023 left out: no figure for May 2023.",)


def test_area_figures_add_up_only_when_every_area_supplied_one():
    figures = (
        _months(2023, 4, [10, 10], area="North")
        + _months(2023, 4, [20, 20], area="South")
        + _months(2024, 4, [12, 12], area="North")
        + _months(2024, 4, [None, 18], area="South")
    )
    comparison = compare_year_to_date(figures, baseline_year=2023, area_count=2)
    assert (comparison.current, comparison.baseline) == (Decimal(30), Decimal(30))
    assert comparison.notes == (
        "April 2024 and April 2023 left out: no figure for April 2024 "
        "(only some areas supplied figures).",
    )


def test_a_whole_partnership_figure_wins_over_its_areas():
    figures = [
        Figure(date(2023, 4, 1), None, Decimal(50)),
        Figure(date(2024, 4, 1), None, Decimal(40)),
    ] + [Figure(date(2024, 4, 1), "North", Decimal(1))]
    comparison = compare_year_to_date(figures, baseline_year=2023, area_count=1)
    assert (comparison.current, comparison.baseline) == (Decimal(40), Decimal(50))


def test_figures_after_the_as_of_day_are_ignored():
    figures = _months(2023, 4, [100] * 6) + _months(2024, 4, [90] * 6)
    comparison = compare_year_to_date(figures, baseline_year=2023, as_of=date(2024, 5, 31))
    assert (comparison.current, comparison.baseline) == (Decimal(180), Decimal(200))


def test_mean_measures_average_the_months_compared():
    figures = _months(2023, 4, [60, 70]) + _months(2024, 4, [64, 72])
    comparison = compare_year_to_date(
        figures, baseline_year=2023, aggregation="mean", additive=False
    )
    assert (comparison.current, comparison.baseline) == (Decimal(68), Decimal(65))


def test_no_figures_after_the_baseline_year_says_so():
    comparison = compare_year_to_date(_months(2023, 4, [1, 2]), baseline_year=2023)
    assert (comparison.current, comparison.baseline) == (None, None)
    assert comparison.notes == ("No figures yet for a financial year after 2023/24.",)


def test_no_figures_for_the_baseline_year_says_so():
    comparison = compare_year_to_date(_months(2024, 4, [1, 2]), baseline_year=2023)
    assert comparison.notes == ("No figures for 2023/24, the baseline year.",)


def test_a_count_target_is_a_whole_number_rounded_the_strict_way():
    fewer = evaluate_target(baseline=1367, current=1298, direction="reduce", change_pct=5)
    more = evaluate_target(baseline=1367, current=1436, direction="increase", change_pct=5)
    assert (fewer.target_value, fewer.outcome) == (Decimal(1298), Outcome.MET)
    assert (more.target_value, more.outcome) == (Decimal(1436), Outcome.MET)
    assert (
        evaluate_target(baseline=1367, current=1299, direction="reduce", change_pct=5).outcome
        is Outcome.NOT_MET
    )


def test_quarterly_figures_compare_quarter_by_quarter():
    figures = [
        Figure(date(2023, 4, 1), None, Decimal(80)),
        Figure(date(2023, 7, 1), None, Decimal(90)),
        Figure(date(2023, 10, 1), None, Decimal(100)),
        Figure(date(2024, 4, 1), None, Decimal(70)),
        Figure(date(2024, 7, 1), None, Decimal(95)),
    ]
    comparison = compare_year_to_date(figures, baseline_year=2023, frequency="quarterly")
    assert (comparison.current, comparison.baseline) == (Decimal(165), Decimal(170))
    assert comparison.period_label == (
        "April to September 2024/25 compared with April to September 2023/24"
    )
    assert comparison.notes == ()


def test_annual_figures_compare_whole_years():
    figures = [
        Figure(date(2017, 4, 1), None, Decimal(67)),
        Figure(date(2018, 4, 1), None, Decimal(70)),
    ]
    comparison = compare_year_to_date(
        figures, baseline_year=2017, frequency="annual", aggregation="latest", additive=False
    )
    assert (comparison.current, comparison.baseline) == (Decimal(70), Decimal(67))
    assert comparison.period_label == "April to March 2018/19 compared with April to March 2017/18"
