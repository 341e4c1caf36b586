"""Set up a partnership from the ONS list: a site administrator turns a reference
partnership into a real one, in place, with its ONS figures, areas and first manager;
and what a reference partnership's slug answers on the command line and on pages."""

from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.text import slugify

from accounts.models import User
from crimestats.models import GeographyLookup, ImportBatch, Observation
from partnerships.models import Area, Membership, Organisation, Partnership, PartnershipRole, Role
from tests.factories import AreaFactory, PartnershipFactory
from tests.imports.conftest import FIXTURES, ONS_WORKBOOK, fixture_source
from tests.imports.test_ons import import_ons

SEARCH = reverse("onboarding:set_up_search")
CITY_SLUG = "city-of-london-e22000180"


def confirm_url(slug: str) -> str:
    return reverse("onboarding:set_up_confirm", args=[slug])


def workbook_city_row() -> dict[str, object]:
    """City of London's row of table C4 (rates, with the population), read with
    openpyxl by its header text: the independent reading of the workbook."""
    book = openpyxl.load_workbook(FIXTURES / ONS_WORKBOOK, read_only=True, data_only=True)
    sheet = book["Table C4"]
    rows = sheet.iter_rows(values_only=True)
    for row in rows:
        if row and "Community Safety Partnership code" in row:
            header = [str(cell or "") for cell in row]
            break
    for row in rows:
        if row[header.index("Community Safety Partnership code")] == "E22000180":
            values = dict(zip(header, row, strict=False))
            population_heading = next(h for h in header if h.startswith("Population"))
            return {
                "la_code": values["Local Authority code"],
                "la_name": values["Local Authority name"],
                "population": values[population_heading],
                "population_year": int(population_heading.split("mid-")[1][:4]),
            }
    raise AssertionError("City of London is not in table C4")


def reference(name="Testford", code="E22000999", population=98_700, **extra) -> Partnership:
    return PartnershipFactory(
        name=name,
        slug=f"{slugify(name)}-{code.lower()}",
        gss_code=code,
        gss_vintage=2024,
        is_reference=True,
        population=population,
        population_year=2022,
        description="Reference partnership from the ONS tables (Testshire).",
        **extra,
    )


def lookup(csp: Partnership, *authorities: tuple[str, str]) -> None:
    for code, name in authorities:
        GeographyLookup.objects.create(
            vintage=2024,
            lad_code=code,
            lad_name=name,
            csp_code=csp.gss_code,
            csp_name=csp.name,
            pfa_code="E23000099",
            pfa_name="Testshire",
        )


def test_the_real_workbook_city_of_london_is_set_up_with_its_figures_and_area(
    cast, admin_client_, smtp_server
):
    import_ons([fixture_source(ONS_WORKBOOK)])
    expected = workbook_city_row()
    city = Partnership.objects.get(gss_code="E22000180")
    assert (city.slug, city.is_reference) == (CITY_SLUG, True)
    figures = Observation.objects.filter(partnership=city).count()
    assert figures == 2 * 23
    partnerships = Partnership.objects.count()

    found = admin_client_.get(SEARCH, {"q": "City of London"})
    assert [p.pk for p in found.context["results"]] == [city.pk]
    # A whole GSS code names one partnership: the search goes straight to checking it.
    for code in ("E22000180", " e22000180 "):
        assert admin_client_.get(SEARCH, {"q": code})["Location"] == confirm_url(CITY_SLUG)
    listed = admin_client_.get(SEARCH, {"q": "E2200018"}).context["results"]
    assert city.pk in [p.pk for p in listed], "part of a code still lists"
    page = admin_client_.get(confirm_url(CITY_SLUG))
    assert page.status_code == 200
    preview = page.context["preview"]
    assert [
        (a.code, a.name, a.population, a.population_year) for a in preview.local_authorities
    ] == [
        (
            expected["la_code"],
            expected["la_name"],
            expected["population"],
            expected["population_year"],
        )
    ]
    assert preview.ons_figures == figures
    assert preview.police_force_area == "City of London"
    assert "E22000180 (2024 codes)" in page.text
    assert "10,800 (mid-2022, ONS)" in page.text
    assert page.context["form"].initial["lead_council"] == "City of London Council"

    response = admin_client_.post(
        confirm_url(CITY_SLUG),
        {"lead_council": "City of London Corporation", "manager_email": "clerk@city.example"},
    )

    assert response.status_code == 302
    assert response.url == reverse("partnerships:partnership_detail", args=[CITY_SLUG])
    city.refresh_from_db()
    assert city.is_reference is False
    assert Partnership.objects.count() == partnerships
    assert Observation.objects.filter(partnership=city).count() == figures
    assert (city.population, city.population_year) == (
        expected["population"],
        expected["population_year"],
    )
    assert city.description == ""
    assert city.lead_council.name == "City of London Corporation"
    assert city.lead_council.type == Organisation.Type.COUNCIL
    assert Membership.objects.get(partnership=city).is_statutory is True
    area = Area.objects.get(partnership=city)
    assert (area.name, area.gss_code, area.kind, area.population, area.population_year) == (
        expected["la_name"],
        expected["la_code"],
        Area.Kind.BOROUGH,
        expected["population"],
        expected["population_year"],
    )
    role = PartnershipRole.objects.get(partnership=city)
    assert (role.user.email, role.role, role.organisation) == (
        "clerk@city.example",
        Role.MANAGER,
        city.lead_council,
    )
    assert smtp_server.only_message().message["Subject"] == (
        "You are invited to City of London on CSP Portal"
    )
    landing = admin_client_.get(response.url)
    assert "City of London is set up. An invitation has been sent to clerk@city.example." in (
        landing.text
    )


def test_a_csp_of_several_local_authorities_gets_an_area_each_without_populations(
    cast, admin_client_
):
    csp = reference()
    lookup(csp, ("E07000901", "West Testford"), ("E06000902", "Testford City"))
    AreaFactory(partnership=csp, name="Testford City", gss_code="E06000902", population=5)

    response = admin_client_.post(
        confirm_url(csp.slug),
        {"lead_council": "Testford District Council", "manager_email": "admin@test.example"},
    )

    assert response.status_code == 302
    areas = Area.objects.filter(partnership=csp).order_by("name")
    assert [(a.name, a.kind, a.population) for a in areas] == [
        ("Testford City", Area.Kind.DISTRICT, 5),  # kept as it was
        ("West Testford", Area.Kind.DISTRICT, None),
    ]
    # The site administrator named themselves: a manager role, no invitation.
    role = PartnershipRole.objects.get(partnership=csp)
    assert (role.user, role.role) == (cast.admin, Role.MANAGER)


def test_an_existing_council_is_reused_as_lead_council(cast, admin_client_, smtp_server):
    csp = reference()
    admin_client_.post(
        confirm_url(csp.slug),
        {"lead_council": "testshire council", "manager_email": "manager@test.example"},
    )
    csp.refresh_from_db()
    assert csp.lead_council == cast.council
    assert Organisation.objects.filter(name__iexact="testshire council").count() == 1
    # An existing user gets the role and an email saying so.
    assert PartnershipRole.objects.get(partnership=csp).user == cast.manager
    assert smtp_server.only_message().message["Subject"] == (
        "You now have a role in Testford on CSP Portal"
    )


def test_a_lead_council_that_is_not_a_council_is_refused_and_nothing_changes(cast, admin_client_):
    csp = reference()

    response = admin_client_.post(
        confirm_url(csp.slug),
        {"lead_council": "Testshire Police", "manager_email": "new@test.example"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["lead_council"] == [
        "Testshire Police is in the app as a police organisation, not a council: enter the "
        "council's name."
    ]
    csp.refresh_from_db()
    assert csp.is_reference is True
    assert not User.objects.filter(email="new@test.example").exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"lead_council": "", "manager_email": "a@test.example"},
            "lead_council",
            "This field is required.",
        ),
        (
            {"lead_council": "X Council", "manager_email": "nope"},
            "manager_email",
            "Enter a valid email address.",
        ),
    ],
)
def test_a_bad_set_up_form_names_the_field_and_changes_nothing(
    cast, admin_client_, data, field, message
):
    csp = reference()
    response = admin_client_.post(confirm_url(csp.slug), data)
    assert response.context["form"].errors[field] == [message]
    csp.refresh_from_db()
    assert csp.is_reference is True
    assert not Organisation.objects.filter(name="X Council").exists()


def test_when_the_invitation_cannot_be_sent_nothing_is_set_up(cast, admin_client_, settings):
    from tests.mail import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    csp = reference()
    lookup(csp, ("E07000901", "West Testford"))

    response = admin_client_.post(
        confirm_url(csp.slug),
        {"lead_council": "Testford Council", "manager_email": "n@test.example"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["manager_email"] == [
        "The email to n@test.example could not be sent, so nothing was changed. Try again "
        "later, or ask the site administrator to check the mail settings."
    ]
    csp.refresh_from_db()
    assert (csp.is_reference, csp.lead_council) == (True, None)
    assert not Area.objects.filter(partnership=csp).exists()
    assert not Organisation.objects.filter(name="Testford Council").exists()


def test_a_partnership_already_set_up_cannot_be_set_up_twice(cast, admin_client_):
    cast.partnership.gss_code, cast.partnership.gss_vintage = "E22000111", 2024
    cast.partnership.save()
    url = confirm_url(cast.partnership.slug)
    message = (
        "Safer Testshire CSP (E22000111) is already set up as a partnership: open it from My "
        "partnerships."
    )

    page = admin_client_.get(url)
    assert page.status_code == 200
    assert message in page.text
    posted = admin_client_.post(
        url, {"lead_council": "X Council", "manager_email": "a@test.example"}
    )
    assert posted.status_code == 409
    assert message in posted.text
    assert not Organisation.objects.filter(name="X Council").exists()
    assert not admin_client_.get(SEARCH, {"q": "Safer"}).context["results"]


def test_the_search_finds_reference_partnerships_by_name_or_code(cast, admin_client_):
    testford = reference()
    reference(name="Westford", code="W14000990")

    def names(q):
        return [p.name for p in admin_client_.get(SEARCH, {"q": q}).context["results"]]

    assert names("testf") == ["Testford"]
    assert names("e22000")[0] == "Testford"
    assert admin_client_.get(SEARCH, {"q": "e22000999"})["Location"] == confirm_url(testford.slug)
    assert names("ford") == ["Testford", "Westford"]
    assert names("W14") == ["Westford"]
    assert names("") == []
    page = admin_client_.get(SEARCH, {"q": "nowhere"})
    assert "No reference partnership matches 'nowhere'" in page.text
    assert confirm_url(testford.slug) in admin_client_.get(SEARCH, {"q": "Test"}).text


def test_the_search_page_says_what_to_do_when_no_ons_tables_are_imported(cast, admin_client_):
    page = admin_client_.get(SEARCH)
    assert page.status_code == 200
    assert "No ONS tables have been imported yet" in page.text
    assert "python manage.py import_ons_csp policeforceareatablesyedecember2024.xlsx" in page.text
    assert 'name="q"' not in page.text
    # The workbook can be uploaded from here, to the site-level ONS import.
    assert 'action="/imports/ons-tables/"' in page.text
    assert 'enctype="multipart/form-data"' in page.text
    assert 'name="files"' in page.text


@pytest.mark.parametrize("who", ["manager", "editor", "viewer", "outsider"])
def test_only_a_site_administrator_sets_up_a_partnership(cast, who, request):
    client = request.getfixturevalue(f"{who}_client")
    csp = reference()
    assert client.get(SEARCH).status_code == 403
    assert client.get(confirm_url(csp.slug)).status_code == 403
    posted = client.post(
        confirm_url(csp.slug), {"lead_council": "X Council", "manager_email": "a@test.example"}
    )
    assert posted.status_code == 403
    csp.refresh_from_db()
    assert csp.is_reference is True


def test_signed_out_visitors_are_sent_to_sign_in(client, cast):
    response = client.get(SEARCH)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_site_administrator_sees_set_up_in_the_navigation(cast, admin_client_, manager_client):
    page = admin_client_.get(reverse("partnerships:partnership_list"))
    assert page.text.count(f'href="{SEARCH}"') == 2  # the header and the page
    assert (
        f'href="{SEARCH}"' not in manager_client.get(reverse("partnerships:partnership_list")).text
    )


def test_a_manager_sees_members_in_the_section_navigation(cast, manager_client, viewer_client):
    url = reverse("partnerships:member_list", args=[cast.partnership.slug])
    detail = reverse("partnerships:partnership_detail", args=[cast.partnership.slug])
    assert f'href="{url}"' in manager_client.get(detail).text
    assert f'href="{url}"' not in viewer_client.get(detail).text


def test_opening_a_reference_partnership_sends_the_administrator_to_set_up(cast, admin_client_):
    csp = reference()
    response = admin_client_.get(
        reverse("partnerships:partnership_detail", args=[csp.slug]), follow=True
    )
    assert response.redirect_chain == [(confirm_url(csp.slug), 302)]
    assert (
        "Testford (E22000999) is a reference partnership from the ONS tables. Set it up first: "
        "a site administrator opens Set up a partnership (/partnerships/new/) and chooses "
        "Testford, then open it." in response.text
    )


def test_import_policeuk_into_a_reference_partnership_says_what_to_do(cast, tmp_path):
    csp = reference(name="City of London", code="E22000180")
    assert csp.slug == CITY_SLUG
    source = fixture_source("2023-05-city-of-london-street.csv")
    path = tmp_path / source.name
    path.write_bytes(source.data)
    with pytest.raises(CommandError) as refused:
        call_command("import_policeuk", "--partnership", CITY_SLUG, str(path), stdout=StringIO())
    assert str(refused.value) == (
        "City of London (E22000180) is a reference partnership from the ONS tables. Set it up "
        "first: a site administrator opens Set up a partnership (/partnerships/new/) and "
        "chooses City of London, then import again."
    )
    assert ImportBatch.objects.count() == 0
    assert Observation.objects.count() == 0


def test_import_policeuk_with_an_unknown_slug_still_says_so(cast, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("x")
    with pytest.raises(CommandError) as refused:
        call_command("import_policeuk", "--partnership", "nowhere", str(path))
    assert str(refused.value) == "No partnership with the slug 'nowhere'."
