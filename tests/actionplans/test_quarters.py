from datetime import date

import pytest

from actionplans.quarters import FinancialQuarter, quarters_between


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2019, 3, 31), "Q4 2018/19"),
        (date(2019, 4, 1), "Q1 2019/20"),
        (date(2018, 9, 30), "Q2 2018/19"),
        (date(2018, 10, 1), "Q3 2018/19"),
        (date(2024, 2, 29), "Q4 2023/24"),
    ],
)
def test_the_quarter_of_a_day(day, label):
    assert FinancialQuarter.of(day).label == label


def test_quarter_dates_and_labels():
    q4 = FinancialQuarter(2023, 4)
    assert (q4.start, q4.end) == (date(2024, 1, 1), date(2024, 3, 31))
    assert q4.long_label == "Q4 2023/24 (January to March 2024)"
    assert FinancialQuarter.from_code(q4.code) == q4
    assert q4.next() == FinancialQuarter(2024, 1)
    assert FinancialQuarter(2024, 1).previous() == q4


def test_quarters_between_spans_years():
    labels = [
        q.label for q in quarters_between(FinancialQuarter(2018, 3), FinancialQuarter(2019, 2))
    ]
    assert labels == ["Q3 2018/19", "Q4 2018/19", "Q1 2019/20", "Q2 2019/20"]


def test_a_quarter_number_outside_1_to_4_is_refused():
    with pytest.raises(ValueError, match="A financial quarter is 1 to 4, not 5."):
        FinancialQuarter(2018, 5)
