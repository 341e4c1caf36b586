"""The partnership profile: what it shows, how managers change it, and its history."""

import pytest

from partnerships.models import Area, Membership, Organisation, Priority

AREA_FORM = {
    "name": "East Testshire",
    "kind": "borough",
    "gss_code": "E07000123",
    "population": "98500",
    "population_year": "2021",
}


def test_profile_shows_areas_members_and_population(cast, viewer_client):
    body = viewer_client.get(f"/partnerships/{cast.partnership.slug}/").content.decode()
    assert "North Testshire" in body
    assert "E07000001" in body
    assert "Testshire Police" in body
    assert "200,000" in body  # two areas of 100,000
    # At 320 px the areas and members tables scroll in their own labelled boxes.
    assert body.count('<div class="app-table-wrapper" tabindex="0" role="region"') == 2
    assert 'aria-label="Areas of Safer Testshire CSP"' in body


def test_profile_page_uses_a_fixed_number_of_queries(
    cast, viewer_client, django_assert_num_queries
):
    url = f"/partnerships/{cast.partnership.slug}/"
    viewer_client.get(url)
    # session, user, role+partnership, the profile (partnership + 4 prefetches), the switcher
    with django_assert_num_queries(9):
        viewer_client.get(url)
    for n in range(5):
        Area.objects.create(partnership=cast.partnership, name=f"Extra {n}")
    with django_assert_num_queries(9):
        viewer_client.get(url)


def test_manager_adds_an_area(cast, manager_client):
    response = manager_client.post(f"/partnerships/{cast.partnership.slug}/areas/add/", AREA_FORM)
    assert response.status_code == 302
    area = Area.objects.get(name="East Testshire")
    assert (area.partnership, area.population, area.population_year) == (
        cast.partnership,
        98500,
        2021,
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("gss_code", "X123", "Enter a GSS code: a letter E, W, S or N then eight digits"),
        (
            "population",
            "-5",
            "Population: enter a whole number from 0 to 2,147,483,647 (you entered “-5”)",
        ),
        ("population", "lots", "Population: enter a whole number, like 1,234 (you entered “lots”)"),
        ("population", "١٢٣", "Population: enter a whole number, like 1,234 (you entered “١٢٣”)"),
        (
            "population",
            "１２３",
            "Population: enter a whole number, like 1,234 (you entered “１２３”)",
        ),
        (
            "population",
            "1_000",
            "Population: enter a whole number, like 1,234 (you entered “1_000”)",
        ),
        ("population", "+5", "Population: enter a whole number, like 1,234 (you entered “+5”)"),
        ("population", "1e3", "Population: enter a whole number, like 1,234 (you entered “1e3”)"),
        (
            "population",
            "98 500",
            "Population: enter a whole number, like 1,234 (you entered “98 500”)",
        ),
        (
            "population_year",
            "٢٠٢١",
            "Year of population estimate: enter a whole number, like 1,234 (you entered “٢٠٢١”)",
        ),
        (
            "population_year",
            "1800",
            "Year of population estimate: enter a whole number from 1900 to 32,767 "
            "(you entered “1800”)",
        ),
        ("population_year", "", "Give the year of the population estimate."),
        ("name", "North Testshire", "This partnership already has an area with this name."),
    ],
)
def test_bad_area_input_is_refused_with_a_message_and_nothing_saved(
    cast, manager_client, field, value, message
):
    before = Area.objects.count()
    response = manager_client.post(
        f"/partnerships/{cast.partnership.slug}/areas/add/", {**AREA_FORM, field: value}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "There is a problem" in body
    assert Area.objects.count() == before


def test_a_gss_code_without_a_vintage_is_refused(cast, manager_client):
    response = manager_client.post(
        f"/partnerships/{cast.partnership.slug}/edit/",
        {"name": "Safer Testshire CSP", "gss_code": "E22000999", "gss_vintage": ""},
    )
    assert response.status_code == 200
    assert "Give the vintage (year) of the GSS code." in response.content.decode()


def test_manager_adds_a_new_organisation_as_member(cast, manager_client):
    response = manager_client.post(
        f"/partnerships/{cast.partnership.slug}/members/add/",
        {
            "new_organisation_name": "Testshire Fire and Rescue",
            "new_organisation_type": "fire",
            "is_statutory": "on",
            "representative": "Station Manager",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(organisation__name="Testshire Fire and Rescue")
    assert membership.organisation.type == Organisation.Type.FIRE
    assert membership.is_statutory is True


def test_a_member_cannot_be_both_chosen_and_new(cast, manager_client):
    response = manager_client.post(
        f"/partnerships/{cast.partnership.slug}/members/add/",
        {
            "organisation": cast.police.pk,
            "new_organisation_name": "Another",
            "new_organisation_type": "other",
        },
    )
    assert "Choose an organisation or add a new one, not both." in response.content.decode()


def test_a_priority_cannot_end_before_it_starts(cast, manager_client):
    response = manager_client.post(
        f"/partnerships/{cast.partnership.slug}/priorities/add/",
        {"name": "ASB", "start_year": "2024", "end_year": "2023"},
    )
    assert "The last year cannot be before the first year." in response.content.decode()
    assert Priority.objects.count() == 0


def test_history_shows_who_changed_what(cast, manager_client):
    area = Area.objects.get(name="North Testshire")
    manager_client.post(
        f"/partnerships/{cast.partnership.slug}/areas/{area.pk}/edit/",
        {**AREA_FORM, "name": "North Testshire", "population": "101000", "version": "1"},
    )
    body = manager_client.get(f"/partnerships/{cast.partnership.slug}/history/").content.decode()
    assert "Mary Manager" in body
    assert "100000" in body
    assert "101000" in body


def test_deleting_a_record_asks_first_then_removes_it(cast, manager_client):
    area = Area.objects.get(name="South Testshire")
    url = f"/partnerships/{cast.partnership.slug}/areas/{area.pk}/delete/"
    assert "South Testshire" in manager_client.get(url).content.decode()
    assert Area.objects.filter(pk=area.pk).exists()
    manager_client.post(url, {"version": str(area.version)})
    assert not Area.objects.filter(pk=area.pk).exists()
