"""A partnership known only from the ONS tables: its dashboard opens on the latest year
ending and compares the ONS years ending, with the source printed. Expected values are
read independently from the flat extract of the workbook's tables (the CSV fixture)."""

import csv
import html
import io
from datetime import date

import pytest
from scipy import stats

from crimestats.importers.batches import import_commit, import_preview
from crimestats.models import ImportBatch, Observation
from cspportal.lib.periods import year_ending
from partnerships.models import Partnership, Role
from reports.dashboard.selectors import dashboard_comparison
from tests.dashboards.builders import monthly, periodic
from tests.factories import PartnershipFactory, PartnershipRoleFactory
from tests.imports.conftest import FIXTURES, ONS_FLAT, ONS_WORKBOOK, fixture_source

URL = "/partnerships/safer-testshire/dashboard/"
YE_LABEL = "the year ending December 2024 compared with the year ending December 2023"
PAGE_LABEL = YE_LABEL[0].upper() + YE_LABEL[1:]
SOURCE = "Source: ONS recorded crime, year ending December 2024 and year ending December 2023."
INSTEAD = "Compared on ONS recorded crime for the whole years instead"
TOTAL = "Total recorded crime (excluding fraud)"


def text_of(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def completeness(response) -> list[list[str]]:
    return [[cell.text for cell in row] for row in response.context["completeness"].rows]


def rows_of_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def ons_row(name: str, year: int) -> dict[str, str]:
    """One CSP's row of the ONS tables for the year ending December ``year``."""
    with open(FIXTURES / ONS_FLAT, newline="", encoding="utf-8") as handle:
        return next(
            row
            for row in csv.DictReader(handle)
            if row["Community Safety Partnership name"] == name
            and row["period"] == f"year ending December {year}"
        )


def ons_counts(name: str, heading: str) -> tuple[int, int]:
    """(year ending December 2023, year ending December 2024)."""
    return int(ons_row(name, 2023)[heading]), int(ons_row(name, 2024)[heading])


def lay_down_ons(partnership, code: str, previous: float, current: float, *, first: int = 2023):
    """Whole-year figures as the ONS importer stores them: years ending December."""
    years = range(first, 2025)
    values = [previous] * (2024 - first) + [current]
    periodic(
        partnership,
        code,
        "year_ending",
        [(date(y, 1, 1), date(y, 12, 31)) for y in years],
        values,
        source=Observation.Source.ONS,
    )


def test_a_partnership_known_only_from_the_ons_workbook_compares_its_years_ending(
    cast, viewer_client, django_assert_num_queries
):
    chesterfield = PartnershipFactory(
        name="Chesterfield CSP", slug="chesterfield", gss_code="E22000039", gss_vintage=2024
    )
    PartnershipRoleFactory(user=cast.viewer, partnership=chesterfield, role=Role.VIEWER)
    batch, parsed = import_preview(
        format=ImportBatch.Format.ONS_PFA_TABLES,
        sources=[fixture_source(ONS_WORKBOOK)],
        partnership=None,
        user=None,
    )
    assert parsed.errors == []
    import_commit(batch=batch, user=None, parsed=parsed)

    previous, current = ons_counts("Chesterfield", TOTAL)
    assert (previous, current) == (11087, 9904)
    pct = (current - previous) / previous * 100
    p_value = stats.binomtest(current, current + previous, 0.5).pvalue
    assert f"{pct:.1f}" == "-10.7" and p_value < 0.001

    url = "/partnerships/chesterfield/dashboard/"
    response = viewer_client.get(url)
    page = text_of(response)
    # It opens on the latest year ending, not an empty financial year to date.
    assert f'id="period-label">{PAGE_LABEL}</h2>' in page
    assert response.context["form"]["period"].value() == "year_ending"
    assert response.context["form"]["month"].value() == "2024-12"
    assert "Figures on record: ONS tables: years ending December 2023 to December 2024." in page
    assert (
        f"All crime fell by {abs(pct):.1f}% ({previous - current:,} fewer crimes) in the "
        f"year ending December 2024 compared with the year ending December 2023; the "
        f"decrease is unlikely to be chance. {SOURCE}"
    ) in page
    assert "Not compared" not in page

    # The headline table and its download, with the source beside the measure.
    rows = rows_of_csv(viewer_client.get(f"{url}download/headline-crime.csv"))
    assert rows[0][:3] == ["Measure", "YE Dec 2023", "YE Dec 2024"]
    assert rows[1] == [
        "All crime (total recorded crime excluding fraud) (source: ONS recorded crime)",
        f"{float(previous)}",
        f"{float(current)}",
        f"{float(current - previous)}",
        f"{round(pct, 1)}",
        "Better",
        "Unlikely to be chance",
        "Not available (1 of 3 years)",
        "",
        YE_LABEL,
    ]
    # Only two years ending are on record: no three-year average, and the page says so.
    assert "Not available (1 of 3 years)" in page
    # Every ONS offence group is compared on the ONS years, none on months.
    assert page.count('<span class="app-cell-note">ONS recorded crime</span>') == 23

    # The same data step, the same number of queries as a partnership with months.
    with django_assert_num_queries(11):
        viewer_client.get(url)

    # Bolsover, a reference partnership, for code without a request (the PDF report).
    bolsover = Partnership.objects.get(gss_code="E22000038")
    report = dashboard_comparison(bolsover)
    assert report.period == year_ending(date(2024, 12, 1))  # its default period
    assert report.label == YE_LABEL
    table = report.table.set_index("measure")
    previous, current = ons_counts("Bolsover", TOTAL)
    assert (table.loc["all-crime", "previous"], table.loc["all-crime", "current"]) == (
        previous,
        current,
    )
    pct = (current - previous) / previous * 100
    assert round(table.loc["all-crime", "pct_change"], 1) == round(pct, 1) == -13.8
    assert report.sentences["all-crime"] == (
        f"All crime fell by {abs(pct):.1f}% ({previous - current:,} fewer crimes) in the year "
        "ending December 2024 compared with the year ending December 2023; the decrease is "
        f"unlikely to be chance. {SOURCE}"
    )
    # Robbery at Bolsover: 22 then 23, a small base, and not a real change.
    previous, current = ons_counts("Bolsover", "Robbery")
    assert (previous, current) == (22, 23)
    assert bool(table.loc["robbery", "small_base"]) is True
    assert table.loc["robbery", "assessment"] == "no_real_change"
    assert report.sentences["robbery"] == (
        f"Robbery rose from {previous} to {current} (1 more crime; "
        f"+{(current - previous) / previous * 100:.1f}% on a small base of under 50) in the "
        "year ending December 2024 compared with the year ending December 2023; the increase "
        f"could be chance. {SOURCE}"
    )


@pytest.fixture
def ons_only(cast):
    """The cast's partnership with only ONS years ending for all crime and burglary
    (Chesterfield's published counts), as the importer stores them."""
    for code, heading in [("all-crime", TOTAL), ("burglary", "Burglary")]:
        previous, current = ons_counts("Chesterfield", heading)
        lay_down_ons(cast.partnership, code, previous, current)
    return cast


def test_an_ons_only_dashboard_opens_on_the_year_ending_and_keeps_its_query_count(
    ons_only, viewer_client, django_assert_num_queries
):
    response = viewer_client.get(URL)
    page = text_of(response)
    assert f'id="period-label">{PAGE_LABEL}</h2>' in page
    previous, current = ons_counts("Chesterfield", "Burglary")
    assert (previous, current) == (481, 368)
    pct = (current - previous) / previous * 100
    assert (
        f"Burglary fell by {abs(pct):.1f}% ({previous - current} fewer crimes) in the year "
        f"ending December 2024 compared with the year ending December 2023; the decrease is "
        f"unlikely to be chance. {SOURCE}"
    ) in page
    # The method notes name the source and the measures; no list of missing months.
    assert (
        "All crime and Burglary have no complete monthly figures for the year ending "
        "December 2024 and the year before, so they are compared on whole years: ONS "
        "recorded crime, year ending December 2024 and year ending December 2023 (the ONS "
        "Community Safety Partnership tables)."
    ) in page
    assert "is missing, so the same months" not in page
    # The completeness panel still says the months are missing, and what that did.
    assert completeness(response) == [
        [name, "Whole partnership", "January 2023 to December 2024", INSTEAD]
        for name in ("All crime", "Burglary")
    ]
    with django_assert_num_queries(11):
        viewer_client.get(URL)


def test_the_measure_page_states_the_source_and_ranks_on_the_same_year(ons_only, viewer_client):
    page = text_of(
        viewer_client.get(
            "/partnerships/safer-testshire/measures/all-crime/?period=year_ending&month=2024-12"
        )
    )
    assert YE_LABEL in page
    assert SOURCE in page
    assert (
        "Measures marked 'ONS recorded crime' are compared on ONS recorded crime, year ending "
        "December 2024 and year ending December 2023 (the ONS Community Safety Partnership "
        "tables), as they have no complete monthly figures for those two years."
    ) in page


def test_complete_monthly_figures_keep_priority_over_the_ons_years(figures, viewer_client):
    p = figures.partnership
    # Every month of 2023 and 2024 in both areas: 175 a month, then 190.
    north, south = p.areas.order_by("name")
    monthly(p, "all-crime", date(2023, 1, 1), [120] * 12 + [130] * 12, area=north)
    monthly(p, "all-crime", date(2023, 1, 1), [55] * 12 + [60] * 12, area=south)
    lay_down_ons(p, "all-crime", 11087, 9904)
    page = text_of(viewer_client.get(URL, {"period": "year_ending", "month": "2024-12"}))
    # (190 - 175) x 12 = 180 more: 2,280 against 2,100, +8.6%.
    assert (
        "All crime rose by 8.6% (180 more crimes) in the year ending December 2024 compared "
        "with the previous 12 months (January 2023 to December 2023); the increase is "
        "unlikely to be chance."
    ) in page
    assert "Source: ONS" not in page


def test_a_gap_in_the_months_compares_both_ons_years_instead(figures, viewer_client):
    p = figures.partnership
    north, south = p.areas.order_by("name")
    monthly(
        p, "all-crime", date(2023, 1, 1), [120] * 12 + [130] * 5 + [None] + [130] * 6, area=north
    )
    monthly(p, "all-crime", date(2023, 1, 1), [55] * 12 + [60] * 12, area=south)
    lay_down_ons(p, "all-crime", 11087, 9904)
    response = viewer_client.get(URL, {"period": "year_ending", "month": "2024-12"})
    page = text_of(response)
    assert (
        "All crime fell by 10.7% (1,183 fewer crimes) in the year ending December 2024 "
        f"compared with the year ending December 2023; the decrease is unlikely to "
        f"be chance. {SOURCE}"
    ) in page
    # Nothing is left out of an ONS comparison, so no sentence says so; the
    # completeness panel lists the missing month and what became of it.
    assert "June 2024 is missing" not in page
    assert ["All crime", "Whole partnership", "June 2024", INSTEAD] in completeness(response)


def test_one_ons_year_is_never_compared_with_the_other_years_months(figures, viewer_client):
    p = figures.partnership
    north, south = p.areas.order_by("name")
    monthly(p, "all-crime", date(2023, 1, 1), [120] * 12, area=north)
    monthly(p, "all-crime", date(2023, 1, 1), [55] * 12, area=south)
    periodic(
        p,
        "all-crime",
        "year_ending",
        [(date(2024, 1, 1), date(2024, 12, 31))],
        [9904],
        source=Observation.Source.ONS,
    )
    page = text_of(viewer_client.get(URL, {"period": "year_ending", "month": "2024-12"}))
    assert (
        "All crime: 9,904 crimes in the year ending December 2024 (ONS recorded crime). No "
        "comparison: there is no ONS figure for the year ending December 2023, and monthly "
        "figures are never compared with a whole year."
    ) in page
    assert "Source: ONS" not in page


def test_other_periods_and_other_sources_do_not_use_whole_years(ons_only, viewer_client):
    for period in ("rolling", "fytd"):
        page = text_of(viewer_client.get(URL, {"period": period, "month": "2024-12"}))
        assert "Source: ONS" not in page
        assert "All crime: no figures for" in page
    # A twelve-month figure entered by hand is not an ONS figure: it is not compared.
    Observation.objects.filter(measure__code="all-crime").update(source="form")
    page = text_of(viewer_client.get(URL, {"period": "year_ending", "month": "2024-12"}))
    assert "All crime: no figures for the year ending December 2024 or the year before." in page


def test_the_three_year_average_of_ons_years_when_all_three_are_on_record(cast, viewer_client):
    # Four years ending December: 12,000 in 2021 and 2022, 11,087 in 2023, 9,904 in 2024.
    periodic(
        cast.partnership,
        "all-crime",
        "year_ending",
        [(date(y, 1, 1), date(y, 12, 31)) for y in (2021, 2022, 2023, 2024)],
        [12000, 12000, 11087, 9904],
        source=Observation.Source.ONS,
    )
    rows = rows_of_csv(viewer_client.get(f"{URL}download/headline-crime.csv"))
    average = (12000 + 12000 + 11087) / 3  # 11,695.67: a count's average is whole
    assert rows[1][7:9] == [
        f"{float(round(average))}",
        f"{round((9904 - average) / average * 100, 1)}",
    ]
    assert rows[1][7:9] == ["11696.0", "-15.3"]


def test_monthly_figures_older_than_the_ons_years_open_on_the_year_ending(figures, viewer_client):
    # Monthly figures end in January 2018; the ONS years end in December 2024.
    lay_down_ons(figures.partnership, "all-crime", 11087, 9904)
    response = viewer_client.get(URL)
    assert f'id="period-label">{PAGE_LABEL}</h2>' in text_of(response)
    months = [value for value, _ in response.context["form"].fields["month"].choices]
    assert (months[0], months[-1]) == ("2024-12", "2014-04")
    # The financial year to date up to January 2018 is still there to choose.
    page = text_of(viewer_client.get(URL, {"period": "fytd", "month": "2018-01"}))
    assert "All crime rose by 16.7% (250 more crimes)" in page


def test_outsider_gets_404_for_an_ons_only_dashboard(ons_only, outsider_client):
    assert outsider_client.get(URL).status_code == 404
