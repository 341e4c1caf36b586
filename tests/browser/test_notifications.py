"""A partner's figures are late: send_reminders emails the chaser (real SMTP); the
police editor sees it under Notifications, chooses a daily summary and no meeting
emails, and follows the email's link to the page it names; the manager follows the
late list to the returns outstanding page and opens the email log. axe-core on every
page, the app's CSP on; the page checks measure each page at 320 px and validate it."""

from datetime import datetime
from io import StringIO
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from playwright.sync_api import Page, expect

from crimestats.models import Measure, PartnershipMeasure
from notifications.models import EmailPreference
from tests.browser.conftest import axe_check, sign_in

AFTER_DUE = datetime(2026, 10, 29, 9, 0, tzinfo=ZoneInfo("UTC"))


def test_a_late_supplier_reads_the_chaser_sets_preferences_and_follows_the_link(
    page: Page, live_server, cast, smtp_server, settings, watched_page
):
    PartnershipMeasure.objects.create(
        partnership=cast.partnership,
        measure=Measure.objects.get(code="marac-cases"),
        supplier=cast.police,
    )
    settings.SITE_URL = live_server.url
    with time_machine.travel(AFTER_DUE, tick=False):
        call_command("send_reminders", stdout=StringIO())
    chaser = next(m for m in smtp_server.messages if m.recipients == [cast.police_editor.email])
    late_list = next(m for m in smtp_server.messages if m.recipients == [cast.manager.email])

    sign_in(page, live_server.url, cast.police_editor.email)
    page.get_by_role("link", name="Notifications 1 unread").click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(
        page.get_by_role(
            "link", name="Safer Testshire CSP: Testshire Police's figures for Q2 2026/27 are late"
        )
    ).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Choose which emails you get, and how often").click()
    expect(page.get_by_role("heading", name="Email preferences", level=1)).to_be_visible()
    axe_check(page)
    page.get_by_label("In one daily summary").check()
    page.get_by_label("Meetings").uncheck()
    page.get_by_role("button", name="Save email preferences").click()
    expect(page.get_by_text("Email preferences saved.")).to_be_visible()
    expect(page.get_by_label("In one daily summary")).to_be_checked()
    axe_check(page)
    preference = EmailPreference.objects.get(user=cast.police_editor)
    assert (preference.frequency, preference.meetings, preference.data_requests) == (
        "daily",
        False,
        True,
    )

    page.goto(f"{live_server.url}{urlsplit(smtp_server.links(chaser)[0]).path}")
    expect(page.get_by_role("heading", name="Figures", level=1)).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Notifications").click()
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_text("1 notification marked as read.")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications 1 unread")).to_have_count(0)
    axe_check(page)

    manager = watched_page()
    sign_in(manager, live_server.url, cast.manager.email)
    manager.goto(f"{live_server.url}{urlsplit(smtp_server.links(late_list)[0]).path}")
    expect(manager.get_by_role("heading", name="Returns outstanding", level=1)).to_be_visible()
    expect(manager.get_by_role("row").filter(has_text="Testshire Police")).to_contain_text(
        "Late: not started"
    )
    axe_check(manager)
    manager.get_by_role("link", name="Emails sent").click()
    expect(manager.get_by_role("heading", name="Emails sent", level=1)).to_be_visible()
    expect(manager.get_by_role("row").filter(has_text=cast.police_editor.email)).to_contain_text(
        "Sent"
    )
    axe_check(manager)
