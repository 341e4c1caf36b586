"""A new site administrator sets up City of London from the imported ONS workbook and
invites its manager (through a real SMTP server); the manager follows the emailed
link, chooses a password and lands on the partnership. axe-core on every page, the
app's CSP on, and no sideways scrolling at 320 px."""

from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from crimestats.catalogue import catalogue_load
from crimestats.models import Measure, Observation
from partnerships.models import Partnership, PartnershipRole, Role
from tests.browser.conftest import axe_check, sign_in
from tests.imports.conftest import ONS_WORKBOOK, fixture_source
from tests.imports.test_ons import import_ons

PASSWORD = "a-long-and-unusual-phrase-42"


def fits_320(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} scrolls sideways at 320 px ({width} px)"
    page.set_viewport_size({"width": 1280, "height": 800})


def test_an_administrator_sets_up_city_of_london_and_invites_its_manager(
    page: Page, live_server, cast, smtp_server, watched_page
):
    # live_server tests flush the database between tests, catalogue included.
    catalogue_load(Measure)
    import_ons([fixture_source(ONS_WORKBOOK)])
    city = Partnership.objects.get(gss_code="E22000180")
    figures = Observation.objects.filter(partnership=city).count()

    sign_in(page, live_server.url, cast.admin.email)
    page.get_by_role("link", name="Set up a partnership").first.click()
    expect(page.get_by_role("heading", name="Set up a partnership", level=1)).to_be_visible()
    axe_check(page)
    page.get_by_label("CSP name or GSS code").fill("City of London")
    page.get_by_role("button", name="Search").click()
    expect(
        page.get_by_role("heading", name="1 partnership matches 'City of London'")
    ).to_be_visible()
    axe_check(page)
    fits_320(page)

    page.get_by_role("link", name="City of London (E22000180)").click()
    expect(page.get_by_role("heading", name="Check and set up City of London")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="E09000001")).to_contain_text("10,800")
    axe_check(page)
    fits_320(page)
    page.get_by_label("Lead council").fill("City of London Corporation")
    page.get_by_label("Email address of the first manager").fill("clerk@city.example")
    page.get_by_role("button", name="Set up partnership").click()

    expect(
        page.get_by_text(
            "City of London is set up. An invitation has been sent to clerk@city.example."
        )
    ).to_be_visible()
    expect(page.get_by_role("heading", name="City of London", level=1)).to_be_visible()
    axe_check(page)
    city.refresh_from_db()
    assert city.is_reference is False
    assert Observation.objects.filter(partnership=city).count() == figures

    page.get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", name="Members", level=1)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="clerk@city.example")).to_contain_text("Invited")
    axe_check(page)
    fits_320(page)

    received = smtp_server.only_message()
    assert received.recipients == ["clerk@city.example"]
    link = urlsplit(smtp_server.links(received)[0])

    manager = watched_page()
    manager.goto(f"{live_server.url}{link.path}")
    expect(manager.get_by_role("heading", name="Choose your password")).to_be_visible()
    axe_check(manager)
    fits_320(manager)
    manager.get_by_label("New password", exact=True).fill(PASSWORD)
    manager.get_by_label("New password confirmation").fill(PASSWORD)
    manager.get_by_role("button", name="Set password").click()

    expect(manager.get_by_role("heading", name="City of London", level=1)).to_be_visible()
    expect(
        manager.get_by_text("Your role: Manager for City of London Corporation.")
    ).to_be_visible()
    axe_check(manager)
    role = PartnershipRole.objects.get(partnership=city, user__email="clerk@city.example")
    assert role.role == Role.MANAGER
