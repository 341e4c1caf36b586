"""A figure with nothing to compare it with is printed with its value and the reason,
never called missing. The City of London figures are the real police.uk street files
(May 2023 onwards, so there is no year before them), counted here independently with
the csv module."""

import csv
import html
import io
import zipfile
from datetime import date

import pytest

from crimestats.importers.base import SourceFile
from crimestats.importers.batches import import_commit, import_preview
from crimestats.models import ImportBatch
from cspportal.lib.periods import add_months
from partnerships.models import Role
from tests.factories import AreaFactory, PartnershipFactory, PartnershipRoleFactory
from tests.imports.conftest import CITY_ZIP

URL = "/partnerships/city-of-london/dashboard/"
ASB = "Anti-social behaviour"


def street_files(first: date, count: int) -> list[SourceFile]:
    """The real street files of ``count`` months from ``first``, as uploaded."""
    names = [f"{add_months(first, i):%Y-%m}-city-of-london-street.csv" for i in range(count)]
    with zipfile.ZipFile(CITY_ZIP) as archive:
        return [SourceFile(name, archive.read(name)) for name in names]


def city_crimes(sources: list[SourceFile]) -> int:
    """Crimes (every type but anti-social behaviour) placed in the City of London."""
    total = 0
    for source in sources:
        for row in csv.DictReader(io.StringIO(source.data.decode("utf-8"), newline="")):
            if row["Crime type"] != ASB and row["LSOA name"].startswith("City of London "):
                total += 1
    return total


@pytest.fixture
def city(cast):
    partnership = PartnershipFactory(name="City of London CSP", slug="city-of-london")
    AreaFactory(partnership=partnership, name="City of London", gss_code="E09000001")
    PartnershipRoleFactory(user=cast.viewer, partnership=partnership, role=Role.VIEWER)
    return partnership


def load(partnership, user, sources: list[SourceFile]) -> None:
    batch, parsed = import_preview(
        format=ImportBatch.Format.POLICEUK_STREET,
        sources=sources,
        partnership=partnership,
        user=user,
    )
    assert parsed.errors == []
    import_commit(batch=batch, user=user, parsed=parsed)


def page_text(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return " ".join(html.unescape(response.content.decode()).split())


def headline_row(client, **params) -> list[str]:
    response = client.get(URL, params)
    table = next(s.table for s in response.context["sections"] if s.code == "crime")
    row = next(r for r in table.rows if r[0].text.startswith("All crime"))
    return [cell.text for cell in row[:4]] + [row[2].note]


def test_a_quarter_with_two_of_its_months_and_no_year_before(city, cast, viewer_client):
    sources = street_files(date(2023, 5, 1), 2)
    load(city, cast.editor, sources)
    crimes = city_crimes(sources)
    assert crimes == 1321

    page = page_text(viewer_client, period="quarter", month="2023-06")
    assert (
        "All crime: 1,321 crimes in Q1 2023/24 (May to June 2023). No comparison: there "
        "are no figures for Q1 2022/23."
    ) in page
    assert "no figures for Q1 2023/24" not in page
    assert headline_row(viewer_client, period="quarter", month="2023-06") == [
        "All crime (total recorded crime excluding fraud)",
        "Missing",
        "1,321",
        "",
        "Q1 2023/24 (May to June 2023): nothing to compare with",
    ]


def test_rolling_12_months_all_present_with_no_previous_12(city, cast, viewer_client):
    sources = street_files(date(2023, 5, 1), 12)
    load(city, cast.editor, sources)
    crimes = city_crimes(sources)

    page = page_text(viewer_client, period="rolling", month="2024-04")
    assert (
        f"All crime: {crimes:,} crimes in the 12 months to April 2024. No comparison: "
        "there are no figures for the 12 months to April 2023."
    ) in page


def test_a_financial_year_with_11_of_its_12_months(city, cast, viewer_client):
    sources = street_files(date(2023, 5, 1), 11)
    load(city, cast.editor, sources)
    crimes = city_crimes(sources)

    page = page_text(viewer_client, period="financial_year", month="2024-03")
    assert (
        f"All crime: {crimes:,} crimes in 2023/24 (May 2023 to March 2024). No comparison: "
        "there are no figures for 2022/23."
    ) in page


def test_a_figure_whose_year_before_has_other_months_names_the_months_it_lacks(
    figures, viewer_client
):
    # ASB for the whole partnership from April 2016. The quarter to June 2017 has all
    # three months; a year earlier only April is taken away here.
    from crimestats.models import Observation

    Observation.objects.filter(
        partnership=figures.partnership,
        measure__code="asb-incidents",
        period_start__in=[date(2016, 5, 1), date(2016, 6, 1)],
    ).delete()
    Observation.objects.filter(
        partnership=figures.partnership,
        measure__code="asb-incidents",
        period_start__in=[date(2017, 4, 1)],
    ).delete()
    page = page_text_for(viewer_client, period="quarter", month="2017-06")
    assert (
        "Anti-social behaviour incidents: 72 incidents in Q1 2017/18 (May to June 2017). "
        "No comparison: there are no figures for May to June 2016."
    ) in page


def page_text_for(client, **params) -> str:
    response = client.get("/partnerships/safer-testshire/dashboard/", params)
    return " ".join(html.unescape(response.content.decode()).split())


def test_labels_name_the_months_compared_when_april_is_not_supplied(city, cast, viewer_client):
    # May and June of 2023 and of 2024; April 2024 was never supplied (nor April 2023).
    earlier, later = street_files(date(2023, 5, 1), 2), street_files(date(2024, 5, 1), 2)
    load(city, cast.editor, earlier + later)
    previous, current = city_crimes(earlier), city_crimes(later)
    label = "May to June 2024 compared with May to June 2023; April 2024 not supplied"

    params = {"period": "quarter", "month": "2024-06"}
    response = viewer_client.get(URL, params)
    page = " ".join(html.unescape(response.content.decode()).split())
    assert f'id="period-label">{label}</h2>' in page
    table = next(s.table for s in response.context["sections"] if s.code == "crime")
    assert table.caption == f"Recorded crime: {label}"
    assert table.headers[1:3] == ["May to June 2023", "May to June 2024"]
    row = next(r for r in table.rows if r[0].text.startswith("All crime"))
    assert [row[1].text, row[2].text] == [f"{previous:,}", f"{current:,}"]

    download = viewer_client.get(f"{URL}download/headline-crime.csv", params)
    lines = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert lines[0][1:3] == ["May to June 2023", "May to June 2024"]
    all_crime = next(line for line in lines if line[0].startswith("All crime"))
    assert [float(v) for v in all_crime[1:3]] == [previous, current]
    assert all_crime[-1] == label

    # The committee report of April to June 2024 prints the same labels.
    from reports.sources import read_dashboard

    crime, _ = read_dashboard(city, start=date(2024, 4, 1), end=date(2024, 6, 30))
    assert crime.comparison_label == label
    assert (crime.previous_label, crime.current_label) == ("May to June 2023", "May to June 2024")


def test_rows_with_no_location_are_a_caveat_on_the_dashboard_and_in_the_report(
    city, cast, viewer_client
):
    sources = street_files(date(2024, 11, 1), 1)
    load(city, cast.editor, sources)
    rows = list(csv.DictReader(io.StringIO(sources[0].data.decode("utf-8"), newline="")))
    crimes = sum(1 for r in rows if not r["LSOA code"] and r["Crime type"] != ASB)
    incidents = sum(1 for r in rows if not r["LSOA code"] and r["Crime type"] == ASB)
    assert (crimes, incidents) == (78, 2)  # 80 rows with no location in all
    line = (
        "78 crimes and 2 anti-social behaviour incidents recorded in November 2024 had no "
        "location (police.uk) and are not in any area's figures."
    )
    response = viewer_client.get(URL, {"period": "fytd", "month": "2024-11"})
    assert line in response.context["caveats"]
    assert line in " ".join(html.unescape(response.content.decode()).split())

    from reports.sources import read_dashboard

    crime, _ = read_dashboard(city, start=date(2024, 4, 1), end=date(2024, 11, 30))
    assert line in crime.notes


def test_figures_on_record_are_given_per_source(city, cast, viewer_client):
    load(city, cast.editor, street_files(date(2023, 5, 1), 2))
    from tests.dashboards.builders import periodic

    periodic(
        city,
        "all-crime",
        "year_ending",
        [(date(2024, 1, 1), date(2024, 12, 31))],
        [9904],
        source="ons",
    )
    periodic(
        city, "funding-gbp", "financial_year", [(date(2023, 4, 1), date(2024, 3, 31))], [10000]
    )
    from crimestats.models import Observation

    Observation.objects.filter(partnership=city, measure__code="funding-gbp").update(source="form")
    page = page_text(viewer_client)
    assert (
        "Figures on record: police.uk: May to June 2023; ONS tables: year ending December "
        "2024; entered by officers: April 2023 to March 2024."
    ) in page


def test_all_crime_is_grouped_by_where_its_figures_come_from(db):
    from crimestats.catalogue import ALL_CRIME_GROUP, POLICEUK_GROUP, RECORDED_CRIME
    from crimestats.models import Measure

    groups = dict(Measure.objects.values_list("code", "group"))
    assert (
        groups["all-crime"]
        == ALL_CRIME_GROUP
        == ("Recorded crime (all crime: police.uk crimes or the ONS total)")
    )
    assert groups["burglary"] == RECORDED_CRIME == "Recorded crime (ONS offence groups)"
    assert groups["policeuk-burglary"] == POLICEUK_GROUP
