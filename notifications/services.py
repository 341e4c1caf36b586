"""One run of the reminders: claim what is due, then send (docs/notifications.md).

Each (recipient, reason key) is claimed by inserting its ``Delivery`` (and its
``Notification``) in one transaction; only then is the email sent, and the batch it
went in marked sent. The unique constraint means a second run, or a run after a
kill, never claims the same thing twice; a claim left ``pending`` by a run that
stopped is sent by the next one. Sending is at least once: a run killed after an
SMTP server accepted a batch but before the batch was marked sent sends that batch
again, with the same Message-IDs.
"""

from __future__ import annotations

import logging
import os
import signal
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Count, F, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from notifications.action_updates import action_updates_due
from notifications.data_requests import data_requests_due
from notifications.due import Due, working_date
from notifications.emails import delivery_message
from notifications.models import Delivery, EmailPreference, Notification
from notifications.report_backs import report_backs_due
from partnerships.models import Partnership

logger = logging.getLogger(__name__)

# A delivery whose email fails this many times is given up (status "failed").
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class RunResult:
    claimed: int
    summaries: int
    sent: int
    failed: int


def everything_due(now: datetime) -> list[Due]:
    """Every reminder due at ``now``, for every partnership."""
    partnerships = list(Partnership.objects.filter(is_reference=False).order_by("name"))
    day = working_date(now)
    return (
        data_requests_due(partnerships, day)
        + action_updates_due(partnerships, day)
        + report_backs_due(partnerships, day)
    )


def unread_recount(user_ids: set[int] | list[int]) -> None:
    """Set each user's unread count (the header's) from their notifications: one
    query, whatever the number of users."""
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    User.objects.filter(pk__in=list(user_ids)).update(
        unread_notifications=Coalesce(Subquery(unread), Value(0))
    )


def _status(preference: EmailPreference | None, kind: str) -> str:
    if preference is None:
        return Delivery.Status.PENDING
    if not preference.wants(kind):
        return Delivery.Status.OFF
    if preference.frequency == EmailPreference.Frequency.DAILY:
        return Delivery.Status.HELD
    return Delivery.Status.PENDING


def due_claim(due: list[Due], now: datetime) -> int:
    """Record each new (user, reason key) as a notification and a claimed delivery,
    in one transaction. Returns how many were new. A fixed number of queries."""
    if not due:
        return 0
    keys = {d.reason_key for d in due}
    users = {d.user_id for d in due}
    known = set(
        Notification.objects.filter(reason_key__in=keys, user_id__in=users).values_list(
            "user_id", "reason_key"
        )
    )
    new = [d for d in due if (d.user_id, d.reason_key) not in known]
    if not new:
        return 0
    preferences = {
        p.user_id: p for p in EmailPreference.objects.filter(user_id__in={d.user_id for d in new})
    }
    with transaction.atomic():
        Notification.objects.bulk_create(
            [
                Notification(
                    user_id=d.user_id,
                    partnership=d.partnership,
                    kind=d.kind,
                    reason_key=d.reason_key,
                    subject=d.subject,
                    text=d.text,
                    link=d.link,
                    created_at=now,
                )
                for d in new
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
        ids = {
            (user, key): pk
            for pk, user, key in Notification.objects.filter(
                reason_key__in={d.reason_key for d in new},
                user_id__in={d.user_id for d in new},
            ).values_list("pk", "user_id", "reason_key")
        }
        Delivery.objects.bulk_create(
            [
                Delivery(
                    recipient_id=d.user_id,
                    partnership=d.partnership,
                    notification_id=ids.get((d.user_id, d.reason_key)),
                    kind=d.kind,
                    reason_key=d.reason_key,
                    email=d.email,
                    subject=d.subject,
                    status=_status(preferences.get(d.user_id), d.kind),
                    claimed_at=now,
                )
                for d in new
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
        unread_recount({d.user_id for d in new})
    return len(new)


def summaries_claim(now: datetime) -> int:
    """From 07:00, claim a daily summary for each user with emails held for one, and
    hand those emails to it. One summary a day: emails held after it was sent wait
    for the next day's."""
    day = working_date(now)
    if day != timezone.localdate(now):
        return 0
    key = f"daily-summary:{day.isoformat()}"
    with transaction.atomic():
        held = list(
            User.objects.filter(deliveries__status=Delivery.Status.HELD)
            .exclude(deliveries__reason_key=key)
            .distinct()
            .values_list("pk", "email")
        )
        Delivery.objects.bulk_create(
            [
                Delivery(
                    recipient_id=pk,
                    reason_key=key,
                    email=email,
                    subject=f"CSP Portal: your daily summary for {day:%-d %B %Y}",
                    status=Delivery.Status.PENDING,
                    claimed_at=now,
                )
                for pk, email in held
            ],
            ignore_conflicts=True,
        )
        pending_summary = Delivery.objects.filter(
            recipient=OuterRef("recipient"), reason_key=key, status=Delivery.Status.PENDING
        ).values("pk")[:1]
        Delivery.objects.filter(
            status=Delivery.Status.HELD,
            recipient__in=Delivery.objects.filter(
                reason_key=key, status=Delivery.Status.PENDING
            ).values("recipient"),
        ).update(status=Delivery.Status.SUMMARISED, summary=Subquery(pending_summary))
    return len(held)


def _kill_hook(batches: int) -> None:
    """The kill test's hook: NOTIFICATIONS_KILL_AFTER_BATCHES stops the process dead
    (SIGKILL, no clean-up) once that many batches are marked sent."""
    if batches == settings.NOTIFICATIONS_KILL_AFTER_BATCHES:
        os.kill(os.getpid(), signal.SIGKILL)


def pending_send(now: datetime) -> tuple[int, int]:
    """Send every claimed delivery not yet sent, in batches of
    NOTIFICATIONS_SEND_BATCH, each marked sent as soon as it has gone. Returns (sent,
    failed). A fixed number of queries per batch.

    On PostgreSQL each batch's rows are locked (SKIP LOCKED) while it is sent, so two
    runs that overlap send different batches."""
    ids = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    size = settings.NOTIFICATIONS_SEND_BATCH
    sent = failed = 0
    for batches, start in enumerate(range(0, len(ids), size), start=1):
        with transaction.atomic():
            batch = list(
                Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk__in=ids[start : start + size], status=Delivery.Status.PENDING)
                .select_related("notification", "partnership")
                .prefetch_related(
                    Prefetch(
                        "carried",
                        queryset=Delivery.objects.select_related("notification").order_by("pk"),
                    )
                )
                .order_by("pk")
            )
            gone, refused = [], []
            with get_connection() as connection:
                for delivery in batch:
                    message = delivery_message(delivery, list(delivery.carried.all()))
                    message.connection = connection
                    try:
                        message.send()
                    except Exception:
                        logger.exception("Email %s to %s failed", delivery.pk, delivery.email)
                        refused.append(delivery.pk)
                    else:
                        gone.append(delivery.pk)
            sent_at = timezone.now()
            Delivery.objects.filter(pk__in=gone).update(
                status=Delivery.Status.SENT, sent_at=sent_at
            )
            # What a daily summary carried went with it: the email log says when.
            Delivery.objects.filter(summary__in=gone).update(sent_at=sent_at)
            if refused:
                Delivery.objects.filter(pk__in=refused).update(attempts=F("attempts") + 1)
                Delivery.objects.filter(pk__in=refused, attempts__gte=MAX_ATTEMPTS).update(
                    status=Delivery.Status.FAILED
                )
        sent += len(gone)
        failed += len(refused)
        _kill_hook(batches)
    return sent, failed


def reminders_send(*, now: datetime) -> RunResult:
    """One run: claim everything due at ``now``, the daily summaries, then send every
    claimed email. Safe to run again at any time, and after a kill."""
    claimed = due_claim(everything_due(now), now)
    summaries = summaries_claim(now)
    sent, failed = pending_send(now)
    return RunResult(claimed=claimed, summaries=summaries, sent=sent, failed=failed)


def notifications_mark_read(*, user: User, now: datetime) -> int:
    """Mark every unread notification of the user read. Returns how many."""
    with transaction.atomic():
        count = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now)
        unread_recount([user.pk])
    user.unread_notifications = 0
    return count


def email_preference_set(*, preference: EmailPreference) -> EmailPreference:
    """Save a user's email preferences (the form has checked them)."""
    preference.full_clean()
    preference.save()
    return preference
