"""Downloads of every table, the measure page and peer groups."""

import csv
import html
import io

from openpyxl import load_workbook

from crimestats.models import PeerGroup
from tests.factories import PartnershipFactory, PeerGroupFactory

DASHBOARD = "/partnerships/safer-testshire/dashboard/"
MEASURE = "/partnerships/safer-testshire/measures/all-crime/"
PEERS = "/partnerships/safer-testshire/dashboard/peer-groups/"


def rows_of_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def text_of(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def test_the_headline_table_downloads_as_csv_with_numbers_and_the_period(figures, viewer_client):
    response = viewer_client.get(f"{DASHBOARD}download/headline-crime.csv")
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="safer-testshire-headline-crime.csv"'
    )
    rows = rows_of_csv(response)
    assert rows[0] == [
        "Measure",
        "Apr-Jan 2016/17",
        "Apr-Jan 2017/18",
        "Change",
        "% change",
        "Better or worse",
        "Could it be chance?",
        "Average of the previous 3 years",
        "Against the 3-year average",
        "Period",
    ]
    assert rows[1] == [
        "All crime (total recorded crime excluding fraud)",
        "1500.0",
        "1750.0",
        "250.0",
        "16.7",
        "Worse",
        "Unlikely to be chance",
        "1500.0",
        "16.7",
        "April to January 2017/18 compared with April to January 2016/17",
    ]


def test_a_chart_table_downloads_as_xlsx_with_missing_left_empty(figures, viewer_client):
    response = viewer_client.get(f"{DASHBOARD}download/chart-trend-asb-incidents.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0] == ("Month", "2016/17", "2017/18", "Period")
    assert values[1][:3] == ("Apr", 40, 36)
    assert values[12][:3] == ("Mar", 40, None)  # March 2018 has not happened yet


def test_the_download_follows_the_chosen_period(figures, viewer_client):
    response = viewer_client.get(
        f"{DASHBOARD}download/areas.csv", {"period": "quarter", "month": "2018-01"}
    )
    rows = rows_of_csv(response)
    assert rows[1][:4] == [
        "All crime (total recorded crime excluding fraud)",
        "North Testshire",
        "300.0",
        "360.0",
    ]
    assert rows[1][-1] == (
        "Q3 2017/18 (October to December 2017) compared with Q3 2016/17 (October to December 2016)"
    )


def test_unknown_table_or_format_is_404(figures, viewer_client):
    assert viewer_client.get(f"{DASHBOARD}download/nothing.csv").status_code == 404
    assert viewer_client.get(f"{DASHBOARD}download/areas.pdf").status_code == 404


def test_measure_page_shows_the_long_trend_areas_and_no_peer_group_yet(figures, viewer_client):
    response = viewer_client.get(MEASURE)
    assert response.status_code == 200
    page = text_of(response)
    assert (
        "All crime, all figures on record from Apr 2014 to Jan 2018: lowest 150, highest 175."
        in page
    )
    assert "North Testshire" in page and "12.00" in page  # 1,200 per 100,000 people
    assert "No peer group yet. A manager of the partnership can add one." in page


def test_measure_page_outsider_404_and_unknown_measure_404(figures, outsider_client, viewer_client):
    assert outsider_client.get(MEASURE).status_code == 404
    assert viewer_client.get("/partnerships/safer-testshire/measures/no-such/").status_code == 404
    assert outsider_client.get(f"{MEASURE}download/comparison.csv").status_code == 404


def test_peer_comparison_ranks_the_partnership_by_rate(figures, viewer_client, cast):
    from datetime import date

    from tests.dashboards.builders import periodic

    # Year ending January 2018 for the cast: (120 + 55) a month = 2,100 crimes for
    # 200,000 people = 10.50 per 1,000 (February and March 2017 are 150 a month:
    # 150 * 2 + 175 * 10 = 2,050, so 10.25).
    low = PartnershipFactory(name="Lowtown CSP", is_reference=True, population=100_000)
    high = PartnershipFactory(name="Hightown CSP", is_reference=True, population=50_000)
    periodic(
        low, "all-crime", "year_ending", [(date(2017, 2, 1), date(2018, 1, 31))], [800]
    )  # 8.00
    periodic(
        high, "all-crime", "year_ending", [(date(2017, 2, 1), date(2018, 1, 31))], [700]
    )  # 14.00
    PeerGroupFactory(partnership=cast.partnership, name="Most similar", members=[low, high])
    page = text_of(viewer_client.get(MEASURE))
    assert "All crime in the peer group 'Most similar', the year ending January 2018" in page
    # Average of 8.00, 10.25 and 14.00 = 10.75; this partnership is 2nd of 3, -0.50.
    assert "is 10.75 per 1,000" in page
    assert (
        "Safer Testshire CSP (this partnership) </th>" in page
        or "Safer Testshire CSP (this partnership)" in page
    )
    response = viewer_client.get(f"{MEASURE}download/peers.csv")
    rows = rows_of_csv(response)
    # No figure here comes from the ONS tables: every rate is computed, with no ONS
    # % change.
    assert rows[0][4:7] == [
        "Rate per 1,000 people",
        "Source of rate",
        "ONS % change on the year before",
    ]
    assert rows[1][:6] == ["Lowtown CSP", "1", "800.0", "100000.0", "8.0", "Computed"]
    assert rows[2][:9] == [
        "Safer Testshire CSP",
        "2",
        "2050.0",
        "200000.0",
        "10.25",
        "Computed",
        "",
        "-0.5",
        "-4.7",
    ]
    assert rows[3][:2] == ["Hightown CSP", "3"]


def test_manager_adds_a_peer_group_of_reference_partnerships(figures, manager_client, cast):
    a = PartnershipFactory(name="Alpha CSP", is_reference=True)
    b = PartnershipFactory(name="Beta CSP", is_reference=True)
    response = manager_client.get(f"{PEERS}add/")
    assert response.status_code == 200
    assert "Alpha CSP" in text_of(response)
    assert "Elsewhere CSP" not in text_of(response)  # not a reference partnership
    response = manager_client.post(
        f"{PEERS}add/", {"name": "Most similar", "members": [a.pk, b.pk]}
    )
    assert response.status_code == 302
    group = PeerGroup.objects.get(partnership=cast.partnership)
    assert group.name == "Most similar"
    assert set(group.members.all()) == {a, b}


def test_a_peer_group_needs_two_members_and_a_unique_name(figures, manager_client, cast):
    a = PartnershipFactory(name="Alpha CSP", is_reference=True)
    b = PartnershipFactory(name="Beta CSP", is_reference=True)
    response = manager_client.post(f"{PEERS}add/", {"name": "Solo", "members": [a.pk]})
    assert "Choose at least two partnerships for the group." in text_of(response)
    PeerGroupFactory(partnership=cast.partnership, name="Taken", members=[a, b])
    response = manager_client.post(f"{PEERS}add/", {"name": "Taken", "members": [a.pk, b.pk]})
    assert "This partnership already has a peer group with this name." in text_of(response)
    assert PeerGroup.objects.filter(partnership=cast.partnership).count() == 1


def test_viewer_is_refused_peer_group_changes_and_outsider_gets_404(
    figures, viewer_client, outsider_client, cast
):
    group = PeerGroupFactory(partnership=cast.partnership, name="Taken")
    assert viewer_client.get(PEERS).status_code == 200
    assert viewer_client.get(f"{PEERS}add/").status_code == 403
    assert viewer_client.post(f"{PEERS}add/", {"name": "X"}).status_code == 403
    assert viewer_client.post(f"{PEERS}{group.pk}/change/", {"name": "X"}).status_code == 403
    assert outsider_client.get(PEERS).status_code == 404
    assert outsider_client.get(f"{PEERS}{group.pk}/change/").status_code == 404


def test_manager_cannot_reach_another_partnerships_peer_group(figures, manager_client, cast):
    other = PeerGroupFactory(partnership=cast.other_partnership, name="Theirs")
    assert manager_client.get(f"{PEERS}{other.pk}/change/").status_code == 404


def test_the_long_trend_labels_at_most_eight_periods_on_its_axis():
    from datetime import date

    from cspportal.lib.periods import add_months
    from reports import charts

    months = [f"{add_months(date(2014, 4, 1), i):%b %Y}" for i in range(46)]
    chart = charts.long_trend(chart_id="history", title="All crime", labels=months, values=[1] * 46)
    assert chart.figure["layout"]["xaxis"]["tickvals"] == [
        "Apr 2014",
        "Oct 2014",
        "Apr 2015",
        "Oct 2015",
        "Apr 2016",
        "Oct 2016",
        "Apr 2017",
        "Oct 2017",
    ]
    assert len(chart.table.rows) == 46  # the table keeps every month
    short = charts.long_trend(chart_id="h", title="x", labels=months[:8], values=[1] * 8)
    assert short.figure["layout"]["xaxis"]["tickvals"] == months[:8]
