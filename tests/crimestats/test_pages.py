"""The figures home page (opening a return and its period checks), the measure
choice, the catalogue and a figure's history."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from crimestats.models import DataReturn, Measure, Observation, PartnershipMeasure

pytestmark = pytest.mark.django_db


def _home(cast):
    return reverse("crimestats:figures_home", kwargs={"slug": cast.partnership.slug})


def _open(client, cast, organisation, **fields):
    data = {"organisation": organisation.pk, "period_type": "quarter", "year": 2017, "quarter": 1}
    data.update(fields)
    return client.post(_home(cast), data)


@time_machine.travel("2026-11-25 12:00 +0000")
def test_opening_a_quarter_creates_the_draft_return(cast, measures, manager_client):
    response = _open(manager_client, cast, cast.police, quarter=3)
    data_return = DataReturn.objects.get()
    assert response.url == reverse(
        "crimestats:return_edit", kwargs={"slug": cast.partnership.slug, "pk": data_return.pk}
    )
    assert (data_return.period_start, data_return.period_end) == (
        date(2017, 10, 1),
        date(2017, 12, 31),
    )
    assert data_return.organisation == cast.police
    # Opening it again finds the same return.
    _open(manager_client, cast, cast.police, quarter=3)
    assert DataReturn.objects.count() == 1


@time_machine.travel("2026-11-25 12:00 +0000")
def test_a_month_and_a_year(cast, measures, manager_client):
    _open(manager_client, cast, cast.police, period_type="month", month=9, quarter="")
    _open(manager_client, cast, cast.council, period_type="financial_year", quarter="")
    periods = sorted(
        (r.period_type, r.period_start, r.period_end) for r in DataReturn.objects.all()
    )
    assert periods == [
        ("financial_year", date(2017, 4, 1), date(2018, 3, 31)),
        ("month", date(2018, 1, 1), date(2018, 1, 31)),
    ]


@time_machine.travel("2026-11-25 12:00 +0000")
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"year": 1998},
            "1998/99 is outside the partnership&#x27;s years: choose 2002/03 to 2026/27",
        ),
        ({"year": 2030}, "2030/31 is outside the partnership&#x27;s years"),
        (
            {"year": 2026, "quarter": 4},
            "Q4 2026/27 (January to March 2027) has not started yet",
        ),
        ({"year": "twenty"}, "Enter the financial year as a year, like 2017"),
        # Python's int() reads all of these as 2017.
        ({"year": "٢٠١٧"}, "Enter the financial year as a year, like 2017"),
        ({"year": "２０１７"}, "Enter the financial year as a year, like 2017"),
        ({"year": "+2017"}, "Enter the financial year as a year, like 2017"),
        ({"year": "2_017"}, "Enter the financial year as a year, like 2017"),
        ({"year": " 2017.0"}, "Enter the financial year as a year, like 2017"),
    ],
)
def test_a_period_outside_the_partnerships_years_is_refused(
    cast, measures, manager_client, fields, message
):
    response = _open(manager_client, cast, cast.police, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert DataReturn.objects.count() == 0


@time_machine.travel("2026-11-25 12:00 +0000")
def test_editor_opens_only_their_own_organisations_return(cast, measures, editor_client):
    response = _open(editor_client, cast, cast.police)
    assert response.status_code == 200
    assert DataReturn.objects.count() == 0
    response = _open(editor_client, cast, cast.council)
    assert response.status_code == 302


def test_viewer_sees_returns_but_cannot_open_one(cast, measures, police_quarter, viewer_client):
    page = viewer_client.get(_home(cast)).content.decode()
    assert "Q1 2017/18 (April to June 2017)" in page
    assert "Open a data return" not in page
    assert _open(viewer_client, cast, cast.police).status_code == 403


def test_home_page_query_count_is_fixed(cast, measures, manager_client, django_assert_num_queries):
    for q in range(6):
        DataReturn.objects.create(
            partnership=cast.partnership,
            organisation=cast.police,
            period_type="month",
            period_start=date(2017, 4 + q, 1),
            period_end=date(2017, 4 + q, 28),
        )
    manager_client.get(_home(cast))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        manager_client.get(_home(cast))
    for q in range(6):
        DataReturn.objects.create(
            partnership=cast.partnership,
            organisation=cast.council,
            period_type="month",
            period_start=date(2016, 4 + q, 1),
            period_end=date(2016, 4 + q, 28),
        )
    with CaptureQueriesContext(connection) as many:
        manager_client.get(_home(cast))
    assert len(many) == len(few)


def test_manager_chooses_measures_and_suppliers(cast, measures, manager_client):
    url = reverse("crimestats:measure_choice", kwargs={"slug": cast.partnership.slug})
    page = manager_client.get(url).content.decode()
    assert "Organisation that supplies MARAC cases discussed" in page
    asb = Measure.objects.get(code="asb-incidents")
    marac = measures["marac-cases"]
    data = {
        f"report-{asb.pk}": "on",
        f"supplier-{asb.pk}": str(cast.police.pk),
        f"headline-{asb.pk}": "on",
        f"report-{marac.pk}": "on",
        f"supplier-{marac.pk}": str(cast.council.pk),
    }
    response = manager_client.post(url, data)
    assert response.status_code == 302
    chosen = {
        pm.measure.code: (pm.supplier, pm.is_headline)
        for pm in PartnershipMeasure.objects.filter(partnership=cast.partnership)
    }
    assert chosen == {"asb-incidents": (cast.police, True), "marac-cases": (cast.council, False)}


def test_a_supplier_outside_the_partnership_is_refused(cast, measures, manager_client):
    from tests.factories import OrganisationFactory

    stranger = OrganisationFactory(name="Somewhere Else Police")
    url = reverse("crimestats:measure_choice", kwargs={"slug": cast.partnership.slug})
    asb = Measure.objects.get(code="asb-incidents")
    response = manager_client.post(
        url, {f"report-{asb.pk}": "on", f"supplier-{asb.pk}": str(stranger.pk)}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not PartnershipMeasure.objects.filter(measure=asb).exists()


def test_measure_choice_is_for_managers(cast, editor_client, viewer_client):
    url = reverse("crimestats:measure_choice", kwargs={"slug": cast.partnership.slug})
    assert editor_client.get(url).status_code == 403
    assert viewer_client.post(url, {}).status_code == 403


def test_catalogue_lists_counting_rules(cast, viewer_client):
    page = viewer_client.get(
        reverse("crimestats:measure_catalogue", kwargs={"slug": cast.partnership.slug})
    ).content.decode()
    assert "Residential burglary" in page
    assert "Incidents, not crimes: never added to crime totals." in page


def test_figure_history_is_scoped_to_the_partnership(
    cast, measures, police_quarter, viewer_client, outsider_client
):
    from crimestats.services import ObservationInput, observations_upsert

    observations_upsert(
        partnership=cast.partnership,
        inputs=[
            ObservationInput(
                measure_id=measures["marac-cases"].pk,
                area_id=None,
                period_type="quarter",
                period_start=date(2017, 4, 1),
                period_end=date(2017, 6, 30),
                value=3,
            )
        ],
        source=Observation.Source.FORM,
        user=cast.police_editor,
    )
    figure = Observation.objects.get()
    url = reverse(
        "crimestats:figure_history", kwargs={"slug": cast.partnership.slug, "pk": figure.pk}
    )
    page = viewer_client.get(url).content.decode()
    assert "MARAC cases discussed, whole partnership: Q1 2017/18" in page
    assert "Pat Police" in page
    assert outsider_client.get(url).status_code == 404
    other = reverse(
        "crimestats:figure_history", kwargs={"slug": cast.other_partnership.slug, "pk": figure.pk}
    )
    assert outsider_client.get(other).status_code == 404


def test_an_ons_year_ending_reads_as_a_year_ending_in_its_history(cast, measures, viewer_client):
    from crimestats.services import ObservationInput, observations_upsert

    observations_upsert(
        partnership=cast.partnership,
        inputs=[
            ObservationInput(
                measure_id=measures["all-crime"].pk,
                area_id=None,
                period_type="year_ending",
                period_start=date(2024, 1, 1),
                period_end=date(2024, 12, 31),
                value=9904,
            )
        ],
        source=Observation.Source.ONS,
        user=cast.editor,
    )
    figure = Observation.objects.get()
    url = reverse(
        "crimestats:figure_history", kwargs={"slug": cast.partnership.slug, "pk": figure.pk}
    )
    page = viewer_client.get(url).content.decode()
    assert "whole partnership: Year ending December 2024</h1>" in page
    assert "2023/24" not in page


def test_administrators_keep_the_catalogue_in_the_admin(cast, admin_client_):
    page = admin_client_.get(reverse("admin:crimestats_measure_changelist"))
    assert page.status_code == 200
    assert "Residential burglary" in page.content.decode()
    measure = Measure.objects.get(code="burglary-residential")
    change = admin_client_.get(reverse("admin:crimestats_measure_change", args=[measure.pk]))
    assert change.status_code == 200
