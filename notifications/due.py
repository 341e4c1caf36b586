"""What a run of ``send_reminders`` may tell people: plain values that the rules
(one module per kind: ``data_requests.py``) compute and ``services.py`` records and
sends. Pure, apart from reading the clock it is given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from notifications.models import Kind
from partnerships.models import Partnership

# Reminders that fall due on a day go from 07:00 (London time, summer or winter), not
# at midnight: a run at 00:15 waits for the morning.
DAY_STARTS_AT = timedelta(hours=7)


@dataclass(frozen=True)
class Due:
    """One thing to tell one user, once: ``reason_key`` names the thing and the
    occasion ("data-request-reminder:partnership=3:organisation=7:quarter=2026-07"),
    and a user is told about a key at most once, in the app and by email."""

    user_id: int
    email: str
    partnership: Partnership
    kind: Kind
    reason_key: str
    subject: str
    text: str
    link: str


def working_date(now: datetime) -> date:
    """The day whose reminders are due at ``now``: today in London from 07:00,
    yesterday before then."""
    return (timezone.localtime(now) - DAY_STARTS_AT).date()
