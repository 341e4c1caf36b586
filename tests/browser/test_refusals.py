"""Refusals read well in a real browser: a return grid with a lenient figure and an
over-long note, and a meeting dated 30 February, each say which cell or field is wrong,
at 1280 and 320 px, with axe-core clean and no sideways scroll at 320 px."""

import os
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from crimestats.models import DataReturn, Measure, Observation, PartnershipMeasure
from cspportal.lib.periods import PeriodType
from meetings.models import Meeting
from tests.browser.conftest import axe_check, sign_in

# Set REFUSAL_SHOTS to a folder to keep a screenshot of each page for review.
SHOTS = os.environ.get("REFUSAL_SHOTS", "")


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _page_scroll_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("width", [1280, 320])
def test_the_grid_names_the_cell_of_a_lenient_figure_and_a_long_note(
    cast, live_server, page: Page, width
):
    measure = Measure.objects.get(code="marac-cases")
    PartnershipMeasure.objects.create(
        partnership=cast.partnership, measure=measure, supplier=cast.police
    )
    data_return = DataReturn.objects.create(
        partnership=cast.partnership,
        organisation=cast.police,
        period_type=PeriodType.QUARTER,
        period_start=date(2017, 4, 1),
        period_end=date(2017, 6, 30),
    )
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, cast.police_editor.email)
    page.goto(
        f"{live_server.url}/partnerships/{cast.partnership.slug}/figures/returns/{data_return.pk}/"
    )
    page.get_by_label("MARAC cases discussed, North Testshire: figure").fill("1,2")
    page.get_by_label("MARAC cases discussed, South Testshire: figure").fill("12")
    page.locator("details").nth(1).locator("summary").click()
    note_box = page.get_by_label("Note (MARAC cases discussed, South Testshire)")
    # The box's maxlength stops a typist; a pasted or scripted post does not stop there.
    note_box.evaluate("box => box.removeAttribute('maxlength')")
    note_box.fill("x" * 501)
    page.get_by_role("button", name="Save draft").click()

    figure = (
        "MARAC cases discussed, North Testshire: enter a whole number, like 1,234 "
        "(you entered “1,2”)"
    )
    note = "Note for MARAC cases discussed, South Testshire: use at most 500 characters"
    expect(page.get_by_role("link", name=figure)).to_be_visible()
    expect(page.get_by_role("link", name=note)).to_be_visible()
    expect(page.locator(".govuk-error-message", has_text=note)).to_be_visible()
    axe_check(page)
    _shot(page, f"grid-refused-{width}")
    assert _page_scroll_width(page) <= width
    assert Observation.objects.count() == 0


@pytest.mark.parametrize("width", [1280, 320])
def test_a_meeting_on_30_february_is_refused_in_words(cast, live_server, page: Page, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, cast.editor.email)
    page.goto(f"{live_server.url}/partnerships/{cast.partnership.slug}/meetings/add/")
    page.get_by_label("Responsible Authorities Group").check()
    page.get_by_label("Title").fill("RAG")
    page.get_by_label("Day").fill("30")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2024")
    page.get_by_role("button", name="Save").click()

    message = "Date of the meeting: enter a real date, like 11 1 2024 (30 February does not exist)"
    expect(page.get_by_role("link", name=message)).to_be_visible()
    expect(page.locator(".govuk-error-message", has_text=message)).to_be_visible()
    axe_check(page)
    _shot(page, f"meeting-refused-{width}")
    assert _page_scroll_width(page) <= width
    assert Meeting.objects.count() == 0
