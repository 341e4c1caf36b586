"""A police editor fills and submits a quarter's return by keyboard; a manager
approves it and reads a figure's history; a busy officer filters and pages the
figures page by keyboard, at 1280 and 320 px, with JavaScript and without.
axe-core runs on every page."""

import os
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from crimestats.models import DataReturn, Measure, Observation, PartnershipMeasure
from cspportal.lib.periods import add_months, month_end
from tests.browser.conftest import axe_check, sign_in

# Set FIGURES_SHOTS to a folder to keep a screenshot of each page for review.
SHOTS = os.environ.get("FIGURES_SHOTS", "")


@pytest.fixture
def reported(cast):
    for code, supplier in [
        ("marac-cases", cast.police),
        ("marac-repeat-pct", cast.police),
        ("idva-referrals", cast.council),
        ("all-crime", cast.police),
    ]:
        PartnershipMeasure.objects.create(
            partnership=cast.partnership, measure=Measure.objects.get(code=code), supplier=supplier
        )


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _tab_to_next_cell(page: Page) -> None:
    # value -> "not supplied" box -> "Reason or note" summary -> next cell's value
    for _ in range(3):
        page.keyboard.press("Tab")


def test_police_editor_fills_and_submits_a_quarter_by_keyboard(
    cast, reported, live_server, page: Page, watched_page
):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, cast.police_editor.email)
    expect(page.get_by_role("heading", name=cast.partnership.name, level=1)).to_be_visible()
    page.get_by_role("link", name="Figures", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Figures", level=1)).to_be_visible()
    axe_check(page)
    _shot(page, "01-figures-home")

    # Open Q1 2017/18 by keyboard.
    page.get_by_label("A quarter (quarterly measures)").focus()
    page.keyboard.press("Space")
    page.get_by_label("Financial year starting in").focus()
    page.keyboard.type("2017")
    # With JavaScript, the quarter shows only once "A quarter" is chosen.
    expect(page.get_by_label("Month", exact=True)).to_be_hidden()
    page.get_by_label("Quarter", exact=True).focus()
    page.keyboard.press("Enter")
    page.get_by_label("Quarter", exact=True).select_option("1")
    page.get_by_role("button", name="Open the return").focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name="Data return: Q1 2017/18 (April to June 2017)")
    ).to_be_visible()
    axe_check(page)
    _shot(page, "02-return-empty")

    # First a mistake: a negative count and a percentage over 100.
    page.get_by_label("MARAC cases discussed, North Testshire: figure").focus()
    page.keyboard.type("-4")
    _tab_to_next_cell(page)
    page.keyboard.type("30")
    _tab_to_next_cell(page)
    page.keyboard.type("5")
    _tab_to_next_cell(page)
    page.keyboard.type("120")
    page.get_by_role("button", name="Save draft").focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name="There is a problem: nothing was saved")
    ).to_be_visible()
    expect(
        page.get_by_role(
            "link", name="MARAC cases discussed, North Testshire: the figure cannot be negative"
        )
    ).to_be_visible()
    axe_check(page)
    _shot(page, "03-return-errors")
    assert Observation.objects.count() == 0

    # The error summary link takes the keyboard to the field; correct it.
    page.get_by_role(
        "link", name="MARAC cases discussed, North Testshire: the figure cannot be negative"
    ).focus()
    page.keyboard.press("Enter")
    value = page.get_by_label("MARAC cases discussed, North Testshire: figure")
    expect(value).to_have_value("-4")
    value.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("41")
    repeat = page.get_by_label("MARAC repeat cases (%), North Testshire: figure")
    repeat.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("24.5")

    # South Testshire repeat %: not supplied, with a reason, by keyboard.
    page.get_by_label("MARAC repeat cases (%), South Testshire: figure").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # open "Reason or note"
    page.keyboard.press("Tab")
    page.keyboard.type("Coordinator post vacant")
    page.get_by_role("button", name="Submit for approval").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Return submitted for approval")).to_be_visible()
    axe_check(page)
    _shot(page, "04-return-submitted")

    figures = {
        (o.measure.code, o.area.name if o.area else None): o
        for o in Observation.objects.select_related("measure", "area")
    }
    assert figures[("marac-cases", "North Testshire")].value == Decimal("41")
    assert figures[("marac-cases", "South Testshire")].value == Decimal("30")
    assert figures[("marac-cases", None)].value == Decimal("5")
    assert figures[("marac-repeat-pct", "North Testshire")].value == Decimal("24.5")
    ns = figures[("marac-repeat-pct", "South Testshire")]
    assert (ns.value, ns.not_supplied_reason) == (None, "Coordinator post vacant")
    data_return = DataReturn.objects.get()
    assert data_return.status == DataReturn.Status.SUBMITTED

    # The manager approves, then reads a figure's history.
    manager = watched_page()
    manager.set_viewport_size({"width": 1280, "height": 900})
    sign_in(manager, live_server.url, cast.manager.email)
    expect(manager.get_by_role("heading", name=cast.partnership.name, level=1)).to_be_visible()
    manager.goto(
        f"{live_server.url}/partnerships/{cast.partnership.slug}/figures/returns/{data_return.pk}/"
    )
    axe_check(manager)
    manager.get_by_role("button", name="Approve and lock").focus()
    manager.keyboard.press("Enter")
    expect(manager.get_by_text("Return approved and locked (5 figures approved).")).to_be_visible()
    axe_check(manager)
    _shot(manager, "05-return-approved")
    manager.get_by_role(
        "link", name="History of MARAC cases discussed, North Testshire"
    ).first.focus()
    manager.keyboard.press("Enter")
    expect(manager.get_by_role("cell", name="Return approved")).to_be_visible()
    axe_check(manager)
    _shot(manager, "06-figure-history")

    for path in ("figures/measures/", "figures/catalogue/"):
        manager.goto(f"{live_server.url}/partnerships/{cast.partnership.slug}/{path}")
        axe_check(manager)
        _shot(manager, path.strip("/").replace("/", "-"))
    manager.goto(
        f"{live_server.url}/partnerships/{cast.partnership.slug}/figures/returns/"
        f"{data_return.pk}/upload/"
    )
    axe_check(manager)
    _shot(manager, "07-upload")


def _monthly_returns(cast, count: int) -> None:
    """``count`` police months from April 2016, every third one submitted, and a
    council quarter."""
    for i in range(count):
        start = add_months(date(2016, 4, 1), i)
        DataReturn.objects.create(
            partnership=cast.partnership,
            organisation=cast.police,
            period_type="month",
            period_start=start,
            period_end=month_end(start),
            status=DataReturn.Status.SUBMITTED if i % 3 == 0 else DataReturn.Status.DRAFT,
        )
    DataReturn.objects.create(
        partnership=cast.partnership,
        organisation=cast.council,
        period_type="quarter",
        period_start=date(2016, 4, 1),
        period_end=date(2016, 6, 30),
    )


def _scroll_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_an_officer_filters_and_pages_the_returns_by_keyboard(
    cast, reported, live_server, page: Page, watched_page
):
    _monthly_returns(cast, 24)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, cast.police_editor.email)
    home = f"{live_server.url}/partnerships/{cast.partnership.slug}/figures/"
    page.goto(home)
    expect(page.get_by_role("heading", name="Your returns to fill in", level=2)).to_be_visible()
    expect(
        page.get_by_role("link", name="March 2018: Testshire Police", exact=True).first
    ).to_be_visible()
    expect(page.get_by_text("Showing periods 1 to 10 of 25 (25 returns).")).to_be_visible()
    axe_check(page)
    _shot(page, "10-figures-home")

    # Filter by keyboard: the police's submitted returns.
    page.get_by_label("Organisation", exact=True).focus()
    page.keyboard.type("Testshire Police")
    page.keyboard.press("Tab")
    page.keyboard.type("Submitted")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show returns")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"organisation={cast.police.pk}" in page.url and "status=submitted" in page.url
    expect(
        page.get_by_text("Showing periods 1 to 8 of 8 (8 returns matching the filters).")
    ).to_be_visible()
    expect(page.get_by_label("Organisation", exact=True)).to_have_value(str(cast.police.pk))
    expect(page.get_by_label("Status", exact=True)).to_have_value("submitted")
    axe_check(page)
    _shot(page, "11-figures-filtered")

    # Clear the filters, then page on by keyboard.
    page.get_by_role("link", name="Clear the filters").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("link", name="Next page").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Showing periods 11 to 20 of 25 (25 returns).")).to_be_visible()
    expect(page.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    axe_check(page)
    page.get_by_role("link", name="Page 3").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Showing periods 21 to 25 of 25 (25 returns).")).to_be_visible()
    expect(
        page.get_by_role(
            "link", name="Q1 2016/17 (April to June 2016): Testshire Council", exact=True
        )
    ).to_be_visible()
    axe_check(page)

    # A filter value edited into the address is named, and the list still shows.
    page.goto(f"{home}?organisation=999999&page=abc")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(
        page.get_by_role("link", name="Choose an organisation from the list", exact=False)
    ).to_be_visible()
    expect(page.get_by_text("Showing periods 1 to 10 of 25 (25 returns).")).to_be_visible()
    axe_check(page)

    # 320 px: nothing scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(home)
    assert _scroll_width(page) <= 320
    axe_check(page)
    _shot(page, "12-figures-home-320")
    page.goto(f"{home}?status=draft&page=2")
    assert _scroll_width(page) <= 320

    # Without JavaScript the quarter and the month both show, each under its kind.
    no_js = watched_page(java_script_enabled=False)
    no_js.set_viewport_size({"width": 1280, "height": 900})
    sign_in(no_js, live_server.url, cast.police_editor.email)
    no_js.goto(home)
    expect(no_js.get_by_label("Quarter", exact=True)).to_be_visible()
    expect(no_js.get_by_label("Month", exact=True)).to_be_visible()
    no_js.get_by_label("A month (monthly measures)").check()
    no_js.get_by_label("Financial year starting in").fill("2017")
    no_js.get_by_label("Month", exact=True).select_option(label="May")
    with no_js.expect_navigation():
        no_js.get_by_role("button", name="Open the return").click()
    expect(no_js.get_by_role("heading", name="Data return: May 2017")).to_be_visible()


def test_a_viewer_reads_a_return_and_is_told_why_they_cannot_change_it(
    cast, reported, live_server, page: Page
):
    _monthly_returns(cast, 1)
    data_return = DataReturn.objects.get(organisation=cast.police)
    sign_in(page, live_server.url, cast.viewer.email)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(
            f"{live_server.url}/partnerships/{cast.partnership.slug}/figures/returns/"
            f"{data_return.pk}/"
        )
        expect(page.get_by_text("Testshire Police fills in this return.")).to_be_visible()
        expect(
            page.get_by_text("You are a viewer: you can read the figures but not change them.")
        ).to_be_visible()
        expect(page.get_by_role("link", name="Upload a filled-in template")).to_have_count(0)
        assert _scroll_width(page) <= width
        axe_check(page)
        _shot(page, f"13-return-read-only-{width}")
