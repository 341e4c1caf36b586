"""Financial years, quarters, FYTD, rolling windows and their labels."""

from datetime import date

import pytest

from cspportal.lib import periods
from cspportal.lib.periods import Period, PeriodKind, add_months


def test_31_march_is_in_the_financial_year_that_started_the_april_before():
    assert periods.financial_year_of(date(2018, 3, 31)) == 2017
    assert periods.financial_year_of(date(2018, 4, 1)) == 2018


def test_financial_year_to_date_runs_from_april_to_the_end_of_the_latest_month():
    period = periods.fytd(date(2018, 1, 15))
    assert (period.start, period.end) == (date(2017, 4, 1), date(2018, 1, 31))
    assert period.label == "April to January 2017/18"
    assert period.comparison_label() == (
        "April to January 2017/18 compared with April to January 2016/17"
    )
    assert period.same_period_phrase() == "the same period in 2016/17"
    assert period.month_count == 10


def test_fytd_to_31_march_is_the_whole_year_and_1_april_starts_a_new_one():
    march = periods.fytd(date(2018, 3, 31))
    assert (march.start, march.end, march.label) == (
        date(2017, 4, 1),
        date(2018, 3, 31),
        "April to March 2017/18",
    )
    april = periods.fytd(date(2018, 4, 1))
    assert (april.start, april.end, april.label) == (
        date(2018, 4, 1),
        date(2018, 4, 30),
        "April 2018/19",
    )
    assert april.previous_year().label == "April 2017/18"


def test_a_year_back_from_a_leap_february_ends_on_the_28th():
    february_2016 = Period(date(2016, 2, 1), date(2016, 2, 29))
    assert february_2016.previous_year() == Period(date(2015, 2, 1), date(2015, 2, 28))
    assert Period(date(2015, 2, 1), date(2015, 2, 28)).shifted(1).end == date(2016, 2, 29)


def test_rolling_12_months_to_a_leap_february_and_the_12_months_before():
    period = periods.rolling_12_months(date(2016, 2, 1))
    assert (period.start, period.end) == (date(2015, 3, 1), date(2016, 2, 29))
    previous = period.previous_year()
    assert (previous.start, previous.end) == (date(2014, 3, 1), date(2015, 2, 28))
    assert period.comparison_label() == (
        "the 12 months to February 2016 compared with the 12 months to February 2015"
    )
    assert period.same_period_phrase() == ("the previous 12 months (March 2014 to February 2015)")


def test_year_ending_follows_ons_wording():
    period = periods.year_ending(date(2024, 12, 1))
    assert (period.start, period.end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert period.label == "the year ending December 2024"


@pytest.mark.parametrize(
    ("latest", "expected"),
    [
        (date(2018, 1, 1), "Q3 2017/18 (October to December 2017)"),
        (date(2017, 12, 1), "Q3 2017/18 (October to December 2017)"),
        (date(2017, 11, 1), "Q2 2017/18 (July to September 2017)"),
        (date(2017, 5, 1), "Q4 2016/17 (January to March 2017)"),
        (date(2018, 3, 1), "Q4 2017/18 (January to March 2018)"),
    ],
)
def test_the_quarter_is_the_last_complete_one(latest, expected):
    assert periods.latest_complete_quarter(latest).label == expected


def test_quarters_of_the_financial_year():
    assert periods.quarter_of(date(2018, 3, 31)) == (2017, 4)
    assert periods.quarter_of(date(2018, 4, 1)) == (2018, 1)
    q4 = periods.quarter(2017, 4)
    assert (q4.start, q4.end) == (date(2018, 1, 1), date(2018, 3, 31))
    with pytest.raises(ValueError, match="A quarter is numbered 1 to 4."):
        periods.quarter(2017, 5)


def test_the_financial_year_is_the_last_complete_one():
    assert periods.latest_complete_financial_year(date(2018, 3, 1)).label == "2017/18"
    assert periods.latest_complete_financial_year(date(2018, 2, 1)).label == "2016/17"
    assert periods.period_for("financial_year", date(2018, 1, 1)).comparison_label() == (
        "2016/17 compared with 2015/16"
    )


def test_quarterly_figures_count_only_when_wholly_inside_the_period():
    period = periods.fytd(date(2017, 11, 1))
    assert periods.subperiods(period, "quarterly") == [
        (date(2017, 4, 1), date(2017, 6, 30)),
        (date(2017, 7, 1), date(2017, 9, 30)),
    ]
    assert periods.subperiods(period, "annual") == []
    assert len(periods.subperiods(period, "monthly")) == 8


def test_a_period_must_be_whole_months():
    with pytest.raises(ValueError, match="A period runs from the first of a month"):
        Period(date(2017, 4, 2), date(2017, 4, 30))
    with pytest.raises(ValueError, match="A period cannot end before it starts."):
        Period(date(2017, 5, 1), date(2017, 4, 30))


def test_period_for_each_kind():
    latest = date(2018, 1, 1)
    labels = {
        kind.value: periods.period_for(kind, latest).label
        for kind in PeriodKind
        if kind != PeriodKind.MONTHS
    }
    assert labels == {
        "fytd": "April to January 2017/18",
        "quarter": "Q3 2017/18 (October to December 2017)",
        "rolling": "the 12 months to January 2018",
        "financial_year": "2016/17",
        "year_ending": "the year ending January 2018",
    }


@pytest.mark.parametrize(
    ("period_type", "start", "label"),
    [
        (periods.PeriodType.MONTH, date(2018, 1, 1), "January 2018"),
        (
            periods.PeriodType.QUARTER,
            date(2017, 10, 1),
            "Q3 2017/18 (October to December 2017)",
        ),
        (periods.PeriodType.QUARTER, date(2018, 1, 1), "Q4 2017/18 (January to March 2018)"),
        (periods.PeriodType.FINANCIAL_YEAR, date(2017, 4, 1), "2017/18"),
        # The ONS year ending December 2024 is January to December 2024, not 2023/24.
        (periods.PeriodType.YEAR_ENDING, date(2024, 1, 1), "Year ending December 2024"),
        (periods.PeriodType.YEAR_ENDING, date(2023, 4, 1), "Year ending March 2024"),
    ],
)
def test_every_figure_period_type_has_its_label(period_type, start, label):
    assert periods.figure_period_label(period_type, start) == label


def test_an_unknown_period_type_has_no_label():
    with pytest.raises(ValueError, match="Unknown period type 'year'"):
        periods.figure_period_label("year", date(2024, 1, 1))


@pytest.mark.parametrize(
    ("frequency", "start", "label"),
    [
        ("monthly", date(2018, 3, 1), "Mar 2018"),
        ("quarterly", date(2018, 1, 1), "Q4 2017/18"),
        ("quarterly", date(2018, 4, 1), "Q1 2018/19"),
        ("annual", date(2017, 4, 1), "2017/18"),
    ],
)
def test_a_figures_short_label_follows_its_measures_frequency(frequency, start, label):
    assert periods.point_label(start, frequency) == label


def test_month_indexes_shift_by_whole_years():
    index = periods.month_index(date(2016, 2, 1))
    assert index == 2016 * 12 + 1
    assert periods.index_to_date(index - 12) == date(2015, 2, 1)
    assert periods.index_to_date(index + 11) == date(2017, 1, 1)


def test_months_are_named_as_runs():
    from cspportal.lib.periods import months_label

    months = [date(2024, 7, 1), date(2024, 4, 1), date(2024, 5, 1), date(2023, 12, 1)]
    assert months_label(months) == "December 2023, April to May 2024 and July 2024"
    assert months_label([date(2023, 11, 1), date(2023, 12, 1), date(2024, 1, 1)]) == (
        "November 2023 to January 2024"
    )
    assert months_label([]) == ""


def test_a_figure_names_the_months_it_covers_when_some_are_missing():
    from cspportal.lib.periods import figure_months_label, financial_year, quarter

    q1 = quarter(2023, 1)
    assert figure_months_label(q1, [date(2023, 5, 1), date(2023, 6, 1)]) == (
        "Q1 2023/24 (May to June 2023)"
    )
    assert figure_months_label(q1, q1.months) == "Q1 2023/24 (April to June 2023)"
    eleven = [add_months(date(2023, 5, 1), i) for i in range(11)]
    assert figure_months_label(financial_year(2023), eleven) == "2023/24 (May 2023 to March 2024)"


def test_the_labels_of_a_comparison_name_the_months_actually_compared():
    from cspportal.lib.periods import compared_labels, fytd, quarter

    q1 = quarter(2024, 1)
    labels = compared_labels(q1, [date(2024, 5, 1), date(2024, 6, 1)])
    assert labels.comparison == (
        "May to June 2024 compared with May to June 2023; April 2024 not supplied"
    )
    assert (labels.current, labels.previous) == ("May to June 2024", "May to June 2023")
    # Every month compared: the period's own labels.
    whole = compared_labels(q1, q1.months)
    assert whole.comparison == q1.comparison_label()
    assert (whole.current, whole.previous) == ("Q1 2024/25", "Q1 2023/24")
    # The financial year to date without April.
    to_january = fytd(date(2025, 1, 1))
    labels = compared_labels(to_january, to_january.months[1:])
    assert labels.comparison == (
        "May 2024 to January 2025 compared with May 2023 to January 2024; April 2024 not supplied"
    )
    assert labels.current == "May 2024 to January 2025"
