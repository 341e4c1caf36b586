"""A police editor fills and submits a quarter's return by keyboard; a manager
approves it and reads a figure's history. axe-core runs on every page."""

import os
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from crimestats.models import DataReturn, Measure, Observation, PartnershipMeasure
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
    page.get_by_label("Quarter (for a quarter)").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Quarter (for a quarter)").select_option("1")
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
