"""Report-back reminders to the owner organisation's editors (five working days before
the date, or the report-back meeting's date) and the managers' list of overdue ones,
over real SMTP with time frozen."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from tests.factories import MeetingFactory, ResolutionFactory

UTC = ZoneInfo("UTC")
SITE = "http://127.0.0.1:8000"


def run(when: datetime) -> None:
    with time_machine.travel(when, tick=False):
        call_command("send_reminders", stdout=StringIO())


def sent(smtp_server) -> list[tuple[str, str]]:
    return sorted((m.recipients[0], m.message["Subject"]) for m in smtp_server.messages)


@pytest.fixture
def resolutions(cast):
    meeting = MeetingFactory(
        partnership=cast.partnership, title="Scrutiny Committee", date=date(2026, 9, 10)
    )
    later = MeetingFactory(
        partnership=cast.partnership, title="Board", body="board", date=date(2026, 10, 20)
    )
    police = ResolutionFactory(
        meeting=meeting,
        number=1,
        text="That the 987 figure be looked at.",
        owner=cast.police,
        report_back_date=date(2026, 10, 28),
    )
    council = ResolutionFactory(
        meeting=meeting, number=2, owner=cast.council, report_back_meeting=later
    )
    ResolutionFactory(
        meeting=meeting,
        number=3,
        owner=cast.council,
        report_back_date=date(2026, 10, 20),
        status="discharged",
    )
    return police, council


def test_owners_are_reminded_and_managers_get_each_passed_date_once(
    cast, resolutions, smtp_server, settings
):
    settings.SITE_URL = SITE
    police, _ = resolutions
    # Wednesday 21 October, 07:00 BST: five working days before the police's date,
    # and the day after the Board met with the council's report-back outstanding.
    run(datetime(2026, 10, 21, 6, 0, tzinfo=UTC))
    assert sent(smtp_server) == [
        (
            "manager@test.example",
            "Safer Testshire CSP: 1 report-back overdue since 20 October 2026",
        ),
        ("police@test.example", "Safer Testshire CSP: a report-back is due 28 October 2026"),
    ]
    reminder = next(m for m in smtp_server.messages if m.recipients == ["police@test.example"])
    text, html = smtp_server.bodies(reminder)
    assert text.replace("\r\n", "\n").startswith(
        "Resolution 1 of the Scrutiny Committee on 10 September 2026 is owned by Testshire "
        "Police, and its report-back is due on 28 October 2026. Record a response saying "
        "what has been done.\n"
    )
    assert "987" not in text and "987" not in html
    assert smtp_server.links(reminder)[0] == (
        f"{SITE}/partnerships/safer-testshire/resolutions/{police.pk}/"
    )
    managers = next(m for m in smtp_server.messages if m.recipients == ["manager@test.example"])
    text, _ = smtp_server.bodies(managers)
    assert text.replace("\r\n", "\n").startswith(
        "This resolution was due to report back on 20 October 2026 and is still "
        "outstanding:\n\n"
        "- Resolution 2 of the Scrutiny Committee on 10 September 2026 (Testshire Council)\n\n"
        "1 resolution is overdue in all.\n"
    )
    assert smtp_server.links(managers)[0] == (
        f"{SITE}/partnerships/safer-testshire/resolutions/?overdue=on"
    )
    smtp_server.clear()
    run(datetime(2026, 10, 28, 9, 0, tzinfo=UTC))
    assert smtp_server.messages == []
    # Thursday 29 October, 07:00 GMT: the police's date has passed too.
    run(datetime(2026, 10, 29, 7, 0, tzinfo=UTC))
    assert sent(smtp_server) == [
        (
            "manager@test.example",
            "Safer Testshire CSP: 1 report-back overdue since 28 October 2026",
        ),
    ]
    text, _ = smtp_server.bodies(smtp_server.only_message())
    assert "2 resolutions are overdue in all." in text


def test_a_discharged_resolution_reminds_nobody(cast, resolutions, smtp_server, settings):
    settings.SITE_URL = SITE
    for resolution in resolutions:
        resolution.status = "discharged"
        resolution.save()
    run(datetime(2026, 10, 21, 6, 0, tzinfo=UTC))
    assert smtp_server.messages == []
