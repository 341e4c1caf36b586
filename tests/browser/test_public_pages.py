"""A manager turns on the public pages and publishes; an anonymous visitor, in a
browser of their own, sees the published figures, downloads a CSV and opens the
calendar feed. axe-core and the app's CSP on every page."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from partnerships.models import Area
from tests.browser.conftest import axe_check, sign_in
from tests.factories import MeetingFactory
from tests.publishing.conftest import figures


def _press(page: Page, locator) -> None:
    locator.focus()
    page.keyboard.press("Enter")


def test_a_manager_publishes_and_the_public_sees_it(
    cast, live_server, page: Page, browser: Browser
):
    p = cast.partnership
    north = Area.objects.get(partnership=p, name="North Testshire")
    south = Area.objects.get(partnership=p, name="South Testshire")
    figures(p, "all-crime", date(2015, 4, 1), [100] * 12 + [123] * 12, area=north)
    figures(p, "all-crime", date(2015, 4, 1), [50] * 12 + [61] * 12, area=south)
    figures(p, "all-crime", date(2017, 4, 1), [6173] * 3, area=north, approved=False)
    soon = timezone.localdate() + timedelta(days=10)
    MeetingFactory(partnership=p, title="Scrutiny Committee: spring", date=soon)
    MeetingFactory(partnership=p, body="board", title="Zebra session", date=soon, is_private=True)

    sign_in(page, live_server.url, cast.manager.email)
    page.goto(f"{live_server.url}/partnerships/{p.slug}/")
    _press(page, page.get_by_role("link", name="Public pages", exact=True))
    expect(page.get_by_role("heading", name="Public pages", level=1)).to_be_visible()
    axe_check(page)
    page.get_by_label("Yes, show the published version to everyone").check()
    _press(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_text("Public pages are on.", exact=True)).to_be_visible()
    axe_check(page)

    _press(page, page.get_by_role("link", name="Preview as the public"))
    expect(page.get_by_text("Nothing here is public yet.")).to_be_visible()
    _press(page, page.get_by_role("link", name="Dashboard", exact=True))
    expect(page.locator("main")).to_contain_text("2,208")
    axe_check(page)
    _press(page, page.get_by_role("link", name="Back to public pages"))
    _press(page, page.get_by_role("button", name="Publish version 1"))
    expect(page.get_by_text("Version 1 is published.", exact=True)).to_be_visible()
    axe_check(page)

    visitor = browser.new_context(locale="en-GB", accept_downloads=True)
    public = visitor.new_page()
    public.goto(f"{live_server.url}/public/")
    axe_check(public)
    _press(public, public.get_by_role("link", name=p.name))
    expect(public.get_by_role("heading", name="Profile", level=1)).to_be_visible()
    axe_check(public)
    _press(public, public.get_by_role("link", name="Dashboard", exact=True))
    main = public.locator("main")
    expect(main).to_contain_text("2016/17 compared with 2015/16")
    expect(main).to_contain_text("2,208")
    expect(main).to_contain_text("1,800")
    assert "6,173" not in main.inner_text()
    axe_check(public)

    _press(public, public.get_by_role("link", name="Upcoming meetings"))
    expect(main).to_contain_text("Scrutiny Committee: spring")
    assert "Zebra" not in main.inner_text()
    axe_check(public)
    with public.expect_download() as info:
        _press(public, public.get_by_role("link", name="CSV file of Upcoming public meetings"))
    with open(info.value.path(), encoding="utf-8-sig") as handle:
        lines = handle.read().splitlines()
    assert lines[2] == (
        "Licence,Contains public sector information licensed under the Open Government "
        "Licence v3.0."
    )
    assert lines[5].startswith("Scrutiny Committee: spring,Scrutiny committee,")

    feed = public.get_by_role("link", name="Subscribe to these meetings in your calendar")
    response = visitor.request.get(feed.evaluate("a => a.href"))
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    text = response.text()
    assert text.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Scrutiny Committee: spring" in text
    visitor.close()
