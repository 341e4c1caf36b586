"""One run of send_reminders costs the same number of queries for 2 recipients as for
10: the rules read every partnership's requests and roles at once, the claims are
bulk inserts, and the emails go in batches (50 by default) marked sent together."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Delivery, Notification
from notifications.services import reminders_send
from partnerships.models import PartnershipRole, Role
from tests.factories import ActionFactory, ObjectiveFactory, PartnershipRoleFactory, UserFactory

AFTER_DUE = datetime(2026, 10, 29, 9, 0, tzinfo=ZoneInfo("UTC"))


def _run_counting() -> int:
    with time_machine.travel(AFTER_DUE, tick=False), CaptureQueriesContext(connection) as q:
        reminders_send(now=AFTER_DUE)
    return len(q.captured_queries)


def _add_police_editors(cast, count: int) -> None:
    for _ in range(count):
        PartnershipRoleFactory(
            user=UserFactory(),
            partnership=cast.partnership,
            role=Role.EDITOR,
            organisation=cast.police,
        )


def test_a_run_costs_the_same_queries_for_2_recipients_as_for_10(cast, suppliers, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://csp.example.gov.uk"
    # Only the police are late: the council has nobody else to chase.
    PartnershipRole.objects.filter(organisation=cast.council).update(organisation=None)
    # And a police-led action fell due the day before.
    ActionFactory(
        objective=ObjectiveFactory(plan__partnership=cast.partnership, plan__start_year=2026),
        lead_organisation=cast.police,
        due_date=date(2026, 10, 28),
    )
    # Two recipients: the police editor's chaser and overdue action, the manager's list.
    two = _run_counting()
    assert len(mail.outbox) == 3
    Delivery.objects.all().delete()
    Notification.objects.all().delete()
    mail.outbox.clear()
    _add_police_editors(cast, 8)
    ten = _run_counting()
    assert len(mail.outbox) == 19
    assert two == ten
    # The reads: partnerships, schedules, measures, returns, roles (5); for action
    # updates, schedules, actions, their updates for the quarter, roles (4); for
    # report-backs, the outstanding resolutions (1; none here, so no roles). The claim:
    # known keys, preferences, two inserts, the ids between them, the unread counts
    # (6). The summaries: who has held emails, the hand-over (2; no insert when none
    # is held). One batch: pending ids, the batch, what its summaries carry, marked
    # sent, what its summaries carried marked sent with them (5). Three transactions,
    # each a savepoint and its release inside the test's transaction (6).
    assert ten == 29
