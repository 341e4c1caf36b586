"""send_reminders over a quarter's data request, with real SMTP to a local server and
time frozen: the reminder on its day from 7am London time (BST, then GMT after the
clocks go back on 25 October 2026), the chaser and the managers' list after the due
date, each once however often the command runs."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import User
from crimestats.models import DataReturn
from cspportal.lib.periods import PeriodType
from notifications.models import Delivery, EmailPreference, Notification
from partnerships.models import Role
from tests.factories import PartnershipRoleFactory, UserFactory

UTC = ZoneInfo("UTC")
SITE = "http://127.0.0.1:8000"
PREFERENCES = f"{SITE}/notifications/preferences/"
FIGURES = f"{SITE}/partnerships/safer-testshire/figures/"
OUTSTANDING = f"{SITE}/partnerships/safer-testshire/figures/outstanding/"


def run(when: datetime) -> str:
    out = StringIO()
    with time_machine.travel(when, tick=False):
        call_command("send_reminders", stdout=out)
    return out.getvalue()


def bodies(smtp_server, message) -> tuple[str, str]:
    """The text and HTML parts, with SMTP's CRLF line ends read as newlines."""
    text, html = smtp_server.bodies(message)
    return text.replace("\r\n", "\n"), html.replace("\r\n", "\n")


def sent(smtp_server) -> list[tuple[str, str]]:
    return sorted((m.recipients[0], m.message["Subject"]) for m in smtp_server.messages)


REMINDER_POLICE = (
    "Safer Testshire CSP: Testshire Police's figures for Q2 2026/27 are due 28 October 2026"
)
REMINDER_COUNCIL = (
    "Safer Testshire CSP: Testshire Council's figures for Q2 2026/27 are due 28 October 2026"
)
CHASER_POLICE = "Safer Testshire CSP: Testshire Police's figures for Q2 2026/27 are late"
LATE_LIST = "Safer Testshire CSP: 1 organisation late with figures for Q2 2026/27"


@pytest.fixture
def fire_editor(cast, suppliers):
    user = UserFactory(email="fire@test.example")
    PartnershipRoleFactory(
        user=user, partnership=cast.partnership, role=Role.EDITOR, organisation=suppliers.fire
    )
    return user


def test_nothing_goes_before_the_reminder_day_or_before_7am_on_it(
    cast, suppliers, fire_editor, smtp_server, settings
):
    settings.SITE_URL = SITE
    # Tuesday 20 October 2026, the day before the reminder day, at noon.
    assert run(datetime(2026, 10, 20, 11, 0, tzinfo=UTC)).startswith("0 new notifications")
    # Wednesday 21 October at 06:59 BST (05:59 UTC).
    run(datetime(2026, 10, 21, 5, 59, tzinfo=UTC))
    assert smtp_server.messages == []
    assert Notification.objects.count() == 0


def test_the_reminder_goes_at_7am_bst_to_each_suppliers_editors_once(
    cast, suppliers, fire_editor, smtp_server, settings
):
    settings.SITE_URL = SITE
    # 07:00 BST on Wednesday 21 October 2026 is 06:00 UTC.
    out = run(datetime(2026, 10, 21, 6, 0, tzinfo=UTC))
    assert out == "3 new notifications, 0 daily summaries, 3 emails sent, 0 failed.\n"
    # The council's editors are its editor and the manager who works for it; the
    # fire service supplies only an annual measure, the viewer supplies nothing.
    assert sent(smtp_server) == [
        ("editor@test.example", REMINDER_COUNCIL),
        ("manager@test.example", REMINDER_COUNCIL),
        ("police@test.example", REMINDER_POLICE),
    ]
    police = next(m for m in smtp_server.messages if m.recipients == ["police@test.example"])
    text, html = bodies(smtp_server, police)
    assert text.startswith(
        "The figures that Testshire Police supplies to Safer Testshire CSP for Q2 2026/27 "
        "(July to September 2026) are due on 28 October 2026.\n\n"
        "The return has not been started.\n"
    )
    assert smtp_server.links(police) == [FIGURES, PREFERENCES]
    assert f'<a href="{FIGURES}">Open the page in CSP Portal</a>' in html
    assert f'<a href="{PREFERENCES}">' in html
    assert police.message["To"] == "police@test.example"
    assert police.message["Message-ID"].startswith("<delivery-")
    # Again the same minute, and again the next day: nothing more.
    run(datetime(2026, 10, 21, 6, 0, tzinfo=UTC))
    run(datetime(2026, 10, 22, 9, 0, tzinfo=UTC))
    assert len(smtp_server.messages) == 3
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 3


def test_after_the_due_date_the_late_supplier_is_chased_and_the_managers_get_the_list(
    cast, suppliers, fire_editor, smtp_server, settings
):
    settings.SITE_URL = SITE
    quarterly = DataReturn.objects.create(
        partnership=cast.partnership,
        organisation=cast.council,
        period_type=PeriodType.QUARTER,
        period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30),
        status=DataReturn.Status.SUBMITTED,
    )
    assert quarterly.pk
    # Thursday 29 October 2026: the clocks went back on Sunday, so 7am is 07:00 UTC.
    # At 06:59 UTC it is still the due date's day: no run sent the reminder, so it
    # goes now, and the chaser waits.
    run(datetime(2026, 10, 29, 6, 59, tzinfo=UTC))
    assert sent(smtp_server) == [("police@test.example", REMINDER_POLICE)]
    smtp_server.clear()
    run(datetime(2026, 10, 29, 7, 0, tzinfo=UTC))
    assert sent(smtp_server) == [
        ("manager@test.example", LATE_LIST),
        ("police@test.example", CHASER_POLICE),
    ]
    late_list = next(m for m in smtp_server.messages if m.recipients == ["manager@test.example"])
    text, _ = bodies(smtp_server, late_list)
    assert text.startswith(
        "Figures for Q2 2026/27 (July to September 2026) were due on 28 October 2026. "
        "1 organisation has not submitted them, and its editors have been sent a chaser:\n\n"
        "- Testshire Police: not started\n"
    )
    assert smtp_server.links(late_list) == [OUTSTANDING, PREFERENCES]
    run(datetime(2026, 10, 30, 7, 0, tzinfo=UTC))
    assert len(smtp_server.messages) == 2


def test_no_figures_appear_in_any_email(cast, suppliers, smtp_server, settings):
    from tests.factories import ObservationFactory

    settings.SITE_URL = SITE
    ObservationFactory(
        partnership=cast.partnership,
        period_start=date(2026, 7, 1),
        value=987654,
    )
    run(datetime(2026, 10, 29, 7, 0, tzinfo=UTC))
    assert len(smtp_server.messages) == 4
    for message in smtp_server.messages:
        text, html = bodies(smtp_server, message)
        assert "987" not in text and "987" not in html


def test_none_means_no_email_but_the_notification_still_appears(
    cast, suppliers, smtp_server, settings, client
):
    settings.SITE_URL = SITE
    EmailPreference.objects.create(
        user=cast.police_editor, frequency=EmailPreference.Frequency.NONE
    )
    EmailPreference.objects.create(user=cast.editor, data_requests=False)
    run(datetime(2026, 10, 21, 6, 0, tzinfo=UTC))
    assert sent(smtp_server) == [("manager@test.example", REMINDER_COUNCIL)]
    assert Delivery.objects.get(recipient=cast.police_editor).status == Delivery.Status.OFF
    assert Delivery.objects.get(recipient=cast.editor).status == Delivery.Status.OFF
    police = User.objects.get(pk=cast.police_editor.pk)
    assert police.unread_notifications == 1
    client.force_login(police)
    page = client.get("/notifications/").content.decode()
    assert REMINDER_POLICE.replace("'", "&#x27;") in page
    assert 'Notifications <strong class="govuk-tag app-unread-count">1<span' in page


def test_a_daily_summary_goes_at_7am_the_next_day_with_everything_held(
    cast, suppliers, smtp_server, settings
):
    settings.SITE_URL = SITE
    EmailPreference.objects.create(user=cast.manager, frequency=EmailPreference.Frequency.DAILY)
    # The reminder goes at 07:00 on the 21st; the manager's is held for a summary,
    # claimed in the same run (the day's summary is due from 07:00).
    run(datetime(2026, 10, 21, 6, 0, tzinfo=UTC))
    assert sent(smtp_server) == [
        ("editor@test.example", REMINDER_COUNCIL),
        ("manager@test.example", "CSP Portal: your daily summary for 21 October 2026"),
        ("police@test.example", REMINDER_POLICE),
    ]
    summary = next(m for m in smtp_server.messages if m.recipients == ["manager@test.example"])
    text, _ = bodies(smtp_server, summary)
    assert f"- {REMINDER_COUNCIL}\n  {FIGURES}\n" in text
    assert smtp_server.links(summary) == [FIGURES, PREFERENCES]
    carried = Delivery.objects.get(recipient=cast.manager, kind="data_requests")
    assert carried.status == Delivery.Status.SUMMARISED
    assert carried.sent_at == carried.summary.sent_at
    assert carried.sent_at is not None
    smtp_server.clear()
    # After the due date the late list is held, and waits for the next day's summary.
    run(datetime(2026, 10, 29, 7, 0, tzinfo=UTC))
    assert ("manager@test.example", "CSP Portal: your daily summary for 29 October 2026") in sent(
        smtp_server
    )
    run(datetime(2026, 10, 29, 12, 0, tzinfo=UTC))
    run(datetime(2026, 10, 30, 7, 0, tzinfo=UTC))
    assert [s for r, s in sent(smtp_server) if r == "manager@test.example"] == [
        "CSP Portal: your daily summary for 29 October 2026"
    ]


def test_a_run_refuses_without_a_site_url(cast, settings):
    from django.core.management.base import CommandError

    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="Set SITE_URL"):
        call_command("send_reminders")
