"""Layout and wording details of the report: number columns and their headers, room
for the labels of the change chart's bars, counts in the drafts, a period without
figures yet, and a table printed once when a chart shares it."""

from dataclasses import replace
from datetime import date

import pytest
from django.template.loader import render_to_string

from reports import drafts, sources
from reports.assembly import ReportData, assemble_report
from reports.document import Cell, Table
from reports.pdf import render_html
from reports.report_figures import change_bars
from reports.sources import ResolutionStatus
from tests.reports.conftest import seed_crime_figures, seed_measures


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


def _resolution(number: str, *, overdue: bool) -> ResolutionStatus:
    return ResolutionStatus(
        "Scrutiny Committee, 15 March 2018",
        date(2018, 3, 15),
        number,
        "That future reports include resident confidence data.",
        "South Ribble Borough Council",
        "Open",
        "30 September 2018",
        overdue,
        "No response yet",
    )


@pytest.mark.parametrize(
    ("overdue", "expected"),
    [
        (
            [True],
            "1 resolution of earlier meetings is still open or in progress; "
            "1 is past its report-back date.",
        ),
        (
            [True, True, False],
            "3 resolutions of earlier meetings are still open or in progress; "
            "2 are past their report-back date.",
        ),
        ([False], "1 resolution of earlier meetings is still open or in progress."),
    ],
)
@pytest.mark.django_db
def test_the_resolutions_draft_counts_in_good_english(report, overdue, expected):
    data = ReportData(resolutions=[_resolution(str(n), overdue=o) for n, o in enumerate(overdue)])
    assert drafts.section_drafts(report, data)["resolutions"] == expected


@pytest.mark.django_db
def test_a_period_without_figures_yet_says_so_instead_of_an_empty_table(
    report, seed_sources, monkeypatch
):
    monkeypatch.setattr(
        sources,
        "read_dashboard",
        lambda p, **k: (replace(seed_crime_figures(), crimes=[], incidents=[]), seed_measures()),
    )
    document = assemble_report(report)
    sections = {s.key: s for s in document.sections}
    expected = [
        "Safer Testshire CSP has no crime or incident figures for April 2017 to January 2018 "
        "yet, so there is nothing to compare."
    ]
    for key in ("crime-figures", "appendices"):
        assert sections[key].notices == expected
        assert sections[key].tables == []
        assert sections[key].charts == []


@pytest.mark.django_db
def test_the_rag_summary_table_prints_once_with_its_chart(report, seed_sources, no_chromium):
    document = assemble_report(report)
    plan = next(s for s in document.sections if s.key == "action-plan")
    assert plan.charts[0].table is plan.tables[0]
    html = render_html(document)
    caption = f"<caption>{plan.tables[0].caption}</caption>"
    assert html.count(caption) == 1
    assert "its figures are in the table above" in html


@pytest.mark.django_db
def test_a_table_scrolls_in_its_own_box_on_the_page_and_prints_whole_in_the_pdf(
    report, seed_sources, no_chromium
):
    document = assemble_report(report)
    table = next(t for s in document.sections for t in s.tables)
    box = f'<div class="app-table-wrapper" tabindex="0" role="region" aria-label="{table.caption}">'
    page = render_to_string("reports/report_body.html", {"document": document})
    assert page.count('<div class="app-table-wrapper"') == page.count(
        '<table class="app-report-table">'
    )
    assert box in page
    assert "app-table-wrapper" not in render_html(document)
