"""Sign in, open a partnership and edit an area by keyboard, with axe-core on each page."""

import pytest
from playwright.sync_api import Browser, Page, expect

from partnerships.models import Area
from tests.browser.conftest import axe_check, sign_in
from tests.factories import TEST_PASSWORD


def test_manager_edits_an_area_by_keyboard(cast, live_server, page: Page):
    page.goto(live_server.url)
    expect(page.get_by_role("heading", name="Sign in to CSP Portal")).to_be_visible()
    axe_check(page)

    sign_in(page, live_server.url, cast.manager.email)
    # One partnership: signing in lands on it.
    expect(page.get_by_role("heading", name="Safer Testshire CSP", level=1)).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="My partnerships").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My partnerships")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Safer Testshire CSP").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Safer Testshire CSP", level=1)).to_be_visible()

    page.get_by_role("link", name="Change North Testshire").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Edit North Testshire")).to_be_visible()
    axe_check(page)

    population = page.get_by_label("Population", exact=True)
    population.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("-3")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    axe_check(page)

    population = page.get_by_label("Population", exact=True)
    population.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("123456")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Area saved: North Testshire.")).to_be_visible()
    axe_check(page)
    assert Area.objects.get(name="North Testshire").population == 123456

    page.get_by_role("link", name="View the history of changes").click()
    expect(page.get_by_text("123456")).to_be_visible()
    axe_check(page)


@pytest.fixture
def no_js_page(browser: Browser):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    yield context.new_page()
    context.close()


def test_viewer_signs_in_and_switches_partnership_without_javascript(
    cast, live_server, no_js_page: Page
):
    from partnerships.models import PartnershipRole, Role

    PartnershipRole.objects.create(
        user=cast.viewer, partnership=cast.other_partnership, role=Role.VIEWER
    )
    page = no_js_page
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(cast.viewer.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My partnerships")).to_be_visible()

    page.get_by_label("Partnership", exact=True).select_option(label="Elsewhere CSP")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_role("heading", name="Elsewhere CSP", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Change the partnership's details")).to_have_count(0)
