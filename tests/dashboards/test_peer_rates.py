"""The peer comparison prints ONS's published rates and % changes, leaves a rate ONS
withholds out of the rank and the average, and computes a rate only for a figure the
partnership entered itself.

The ONS figures are laid down as the importer stores them, with the numbers read in
the test straight from the workbook (tables C2, C3 and C4) with openpyxl."""

import csv
import html
import io
from datetime import date

import openpyxl
import pytest
from django.utils import timezone

from crimestats.models import Measure, Observation
from cspportal.lib import formats
from tests.dashboards.builders import monthly
from tests.factories import PartnershipFactory, PeerGroupFactory
from tests.imports.conftest import FIXTURES, ONS_WORKBOOK

TOTAL = "Total recorded crime (excluding fraud)"
U1 = (
    "rates per 1,000 population are not presented for City of London owing to its small "
    "resident population [u1]"
)
MEASURE = "/partnerships/safer-testshire/measures/all-crime/"
YEAR = "?period=year_ending&month=2024-12"


def text_of(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def rows_of_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture(scope="module")
def workbook() -> dict[str, dict[str, dict[str, object]]]:
    """{sheet: {CSP name: {heading: cell}}} for tables C2, C3 and C4."""
    book = openpyxl.load_workbook(FIXTURES / ONS_WORKBOOK, read_only=True, data_only=True)
    tables = {}
    for sheet in ("Table C2", "Table C3", "Table C4"):
        rows = list(book[sheet].iter_rows(values_only=True))
        header = [" ".join(str(h).split()) if h else "" for h in rows[7]]
        tables[sheet] = {
            row[3].strip(): dict(zip(header, row, strict=False)) for row in rows[8:] if row[2]
        }
    book.close()
    return tables


def ons_figure(partnership, workbook, name: str) -> None:
    """The year ending December 2024 all-crime figure of ``name`` as the importer
    stores it: the count, ONS's rate (or its [u1] note) and ONS's % change."""
    rate = workbook["Table C4"][name][TOTAL]
    Observation.objects.create(
        partnership=partnership,
        measure=Measure.objects.get(code="all-crime"),
        period_type="year_ending",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
        value=workbook["Table C2"][name][TOTAL],
        source=Observation.Source.ONS,
        published_rate=None if isinstance(rate, str) else rate,
        published_rate_note=U1 if rate == "[u1]" else "",
        published_pct_change=workbook["Table C3"][name][TOTAL],
        updated_at=timezone.now(),
    )


@pytest.fixture
def peers(cast, workbook):
    """The cast's partnership (its own monthly figures for 2024: 150 a month, 200,000
    people) in a group with City of London, Westminster and Camden from the ONS
    tables."""
    monthly(cast.partnership, "all-crime", date(2024, 1, 1), [150] * 12)
    members = []
    for name, population in [("City of London", 10_800), ("Westminster", 0), ("Camden", 0)]:
        member = PartnershipFactory(name=name, is_reference=True, population=population or None)
        ons_figure(member, workbook, name)
        members.append(member)
    return PeerGroupFactory(partnership=cast.partnership, name="Central London", members=members)


def url(group, download: str = "") -> str:
    return f"{MEASURE}{download}{YEAR}&group={group.pk}"


def test_city_of_londons_withheld_rate_is_not_shown_ranked_or_averaged(
    peers, viewer_client, workbook
):
    rates = workbook["Table C4"]
    assert rates["City of London"][TOTAL] == "[u1]"
    westminster, camden = rates["Westminster"][TOTAL], rates["Camden"][TOTAL]
    own = 1800 / 200_000 * 1000
    average = (westminster + camden + own) / 3

    page = text_of(viewer_client.get(url(peers)))

    assert f"Not published by ONS: {U1}" in page
    assert "3 of 4 partnerships ranked." in page
    assert f"The group average is {formats.rate(average)} per 1,000" in page
    rows = rows_of_csv(viewer_client.get(url(peers, "download/peers.csv")))
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["City of London"][1:6] == [
        "Not ranked",
        "9270.0",
        "10800.0",
        f"Not published by ONS: {U1}",
        "ONS (not published)",
    ]
    assert [row[0] for row in rows[1:]][-1] == "City of London"
    assert {by_name[n][1] for n in ("Westminster", "Camden", "Safer Testshire CSP")} == {
        "1",
        "2",
        "3",
    }


def test_the_published_rate_and_pct_change_are_shown_as_ons_publishes_them(
    peers, viewer_client, workbook
):
    rows = rows_of_csv(viewer_client.get(url(peers, "download/peers.csv")))
    by_name = {row[0]: row for row in rows[1:]}
    for name in ("Westminster", "Camden", "City of London"):
        change = workbook["Table C3"][name][TOTAL]
        assert by_name[name][6] == str(round(change, 1))
    for name in ("Westminster", "Camden"):
        rate = workbook["Table C4"][name][TOTAL]
        # No population on record: the rate is ONS's own, not one worked out.
        assert by_name[name][3:6] == ["", str(round(rate, 2)), "ONS"]
    page = text_of(viewer_client.get(url(peers)))
    westminster_change = workbook["Table C3"]["Westminster"][TOTAL]
    assert formats.pct_change(westminster_change) in page
    assert formats.rate(workbook["Table C4"]["Westminster"][TOTAL]) in page


def test_a_figure_the_partnership_entered_gets_a_computed_rate_labelled_computed(
    peers, viewer_client
):
    rows = rows_of_csv(viewer_client.get(url(peers, "download/peers.csv")))
    own = next(row for row in rows[1:] if row[0] == "Safer Testshire CSP")
    # 150 a month for 2024 = 1,800 crimes for 200,000 people: 9.00 per 1,000.
    assert own[2:7] == ["1800.0", "200000.0", "9.0", "Computed", ""]
    page = text_of(viewer_client.get(url(peers)))
    assert "'Computed' is the figure divided by the population, times 1,000" in page


def test_the_measure_page_with_published_rates_keeps_its_query_count(
    peers, viewer_client, django_assert_num_queries
):
    viewer_client.get(url(peers))
    # The same 13 queries as before the published rates: they come in the peer query.
    with django_assert_num_queries(13):
        response = viewer_client.get(url(peers))
    assert response.status_code == 200


def test_every_role_sees_the_peer_rates_and_an_outsider_gets_404(
    peers, viewer_client, editor_client, manager_client, outsider_client
):
    for client in (viewer_client, editor_client, manager_client):
        assert f"Not published by ONS: {U1}" in text_of(client.get(url(peers)))
    assert outsider_client.get(url(peers)).status_code == 404
    assert outsider_client.get(url(peers, "download/peers.csv")).status_code == 404
