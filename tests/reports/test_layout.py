"""Layout details of the printed report: number columns and their headers, and room
for the labels of the change chart's bars."""

import pytest
from django.template.loader import render_to_string

from reports.document import Cell, Table
from reports.report_figures import change_bars


def _table() -> Table:
    return Table(
        caption="All crime by month in each financial year: the figures",
        headers=["Month", "2016/17", "2017/18"],
        rows=[
            [Cell("Jan"), Cell("1,118", numeric=True), Cell("1,337", numeric=True)],
            [Cell("Feb"), Cell("1,079", numeric=True), Cell("No figure", numeric=True)],
        ],
    )


def test_a_number_column_is_one_whose_cells_hold_numbers():
    assert _table().columns == [("Month", False), ("2016/17", True), ("2017/18", True)]
    assert Table(caption="Empty", headers=["Measure", "Value"], rows=[]).columns == [
        ("Measure", False),
        ("Value", False),
    ]


def test_number_headers_are_set_flush_right_over_their_figures():
    html = render_to_string("reports/partials/table.html", {"table": _table()})
    assert (
        '<tr><th scope="col">Month</th><th scope="col" class="app-num">2016/17</th>'
        '<th scope="col" class="app-num">2017/18</th></tr>'
    ) in html


def test_the_change_chart_leaves_room_for_a_falling_measures_label():
    figure = change_bars(
        ["All crime", "Anti-social behaviour incidents"], [19.8, -5.2], ["worse", "better"]
    )
    low, high = figure.layout.xaxis.range
    # 25% of the 25-point spread beyond each end, so "-5.2%" sits inside the plot.
    assert low == pytest.approx(-11.45)
    assert high == pytest.approx(26.05)


def test_the_change_chart_starts_at_zero_when_nothing_fell():
    figure = change_bars(["All crime"], [19.8], ["worse"])
    assert tuple(figure.layout.xaxis.range) == (0, pytest.approx(24.75))
