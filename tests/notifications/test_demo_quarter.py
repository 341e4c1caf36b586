"""The demo partnership through Q3 2026/27 (October to December 2026), with Q2's
figures due: send_reminders runs at 07:30 every day, over real SMTP, and exactly the
reminders and chasers that should go out do, each once, with their notifications in
the app. The council submits its Q2 figures on 27 October; the police never do."""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command

from accounts.models import User
from crimestats.models import DataReturn
from cspportal.lib.periods import PeriodType
from notifications.models import Notification
from partnerships.models import Organisation, Partnership

LONDON = ZoneInfo("Europe/London")
CSP = "Safer Chorley and South Ribble CSP"
COUNCIL_DUE = (
    f"{CSP}: South Ribble Borough Council's figures for Q2 2026/27 are due 28 October 2026"
)
POLICE_DUE = f"{CSP}: Lancashire Constabulary's figures for Q2 2026/27 are due 28 October 2026"
POLICE_LATE = f"{CSP}: Lancashire Constabulary's figures for Q2 2026/27 are late"
LATE_LIST = f"{CSP}: 1 organisation late with figures for Q2 2026/27"
# What each morning sends; every other morning of the quarter sends nothing.
EXPECTED = {
    # Five working days before Wednesday 28 October: Wednesday 21 October.
    date(2026, 10, 21): [
        ("inspector@example.org", POLICE_DUE),
        ("manager@example.org", COUNCIL_DUE),
        ("officer@example.org", COUNCIL_DUE),
    ],
    date(2026, 10, 29): [
        ("inspector@example.org", POLICE_LATE),
        ("manager@example.org", LATE_LIST),
    ],
}


def test_a_quarter_of_mornings_sends_each_reminder_and_chaser_once(db, smtp_server, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    call_command("seed_demo", "--force", stdout=StringIO())
    demo = Partnership.objects.get(slug="safer-chorley-south-ribble")
    council = Organisation.objects.get(name="South Ribble Borough Council")
    day = date(2026, 10, 1)
    while day <= date(2026, 12, 31):
        if day == date(2026, 10, 27):
            DataReturn.objects.create(
                partnership=demo,
                organisation=council,
                period_type=PeriodType.QUARTER,
                period_start=date(2026, 7, 1),
                period_end=date(2026, 9, 30),
                status=DataReturn.Status.SUBMITTED,
            )
        with time_machine.travel(
            datetime.combine(day, datetime.min.time(), LONDON).replace(hour=7, minute=30),
            tick=False,
        ):
            call_command("send_reminders", stdout=StringIO())
        got = sorted((m.recipients[0], m.message["Subject"]) for m in smtp_server.messages)
        assert got == EXPECTED.get(day, []), day
        smtp_server.clear()
        day += timedelta(days=1)
    notifications = sorted(Notification.objects.values_list("user__email", "subject"))
    assert notifications == sorted(EXPECTED[date(2026, 10, 21)] + EXPECTED[date(2026, 10, 29)])
    unread = dict(User.objects.values_list("email", "unread_notifications"))
    assert unread["inspector@example.org"] == 2
    assert unread["manager@example.org"] == 2
    assert unread["officer@example.org"] == 1
    assert unread["member@example.org"] == 0
