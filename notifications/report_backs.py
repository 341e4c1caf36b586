"""Report-back emails. The owner organisation's editors are reminded, once, from five
working days before a resolution's report-back date (or meeting) until the day; the
partnership's managers are sent, once for each report-back date that passes with
resolutions still outstanding, the list of those resolutions and how many are overdue
in all. Resolutions are named by their number and meeting, never by their text, so an
email carries nothing from the minutes."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse

from cspportal.lib import formats
from cspportal.lib.working_days import add_working_days
from meetings.models import Resolution
from notifications.due import Due
from notifications.models import Kind
from notifications.recipients import recipients
from partnerships.models import Partnership

REMINDER_WORKING_DAYS = 5
# As for actions: a report-back date that passed longer ago than this is on the
# tracker, not emailed.
OVERDUE_WINDOW = timedelta(days=14)


def _name(resolution: Resolution) -> str:
    meeting = resolution.meeting
    return (
        f"Resolution {resolution.citation} of the {meeting.title} "
        f"on {formats.uk_date(meeting.date)}"
    )


def _reminder(partnership: Partnership, resolution: Resolution, due: date, role) -> Due:
    assert resolution.owner is not None
    return Due(
        user_id=role.user.pk,
        email=role.user.email,
        partnership=partnership,
        kind=Kind.REPORT_BACKS,
        reason_key=f"report-back-reminder:resolution={resolution.pk}:due={due.isoformat()}",
        subject=f"{partnership.name}: a report-back is due {formats.uk_date(due)}",
        text=(
            f"{_name(resolution)} is owned by {resolution.owner.name}, and its report-back "
            f"is due on {formats.uk_date(due)}. Record a response saying what has been done."
        ),
        link=reverse("meetings:resolution_detail", args=[partnership.slug, resolution.pk]),
    )


def _overdue_list(
    partnership: Partnership, due: date, passed: list[Resolution], total: int, role
) -> Due:
    count = len(passed)
    names = "\n".join(f"- {_name(r)} ({r.owner.name if r.owner else 'no owner'})" for r in passed)
    return Due(
        user_id=role.user.pk,
        email=role.user.email,
        partnership=partnership,
        kind=Kind.REPORT_BACKS,
        reason_key=f"report-backs-overdue:partnership={partnership.pk}:due={due.isoformat()}",
        subject=(
            f"{partnership.name}: {count} report-back{'s' if count != 1 else ''} overdue "
            f"since {formats.uk_date(due)}"
        ),
        text=(
            f"{'These resolutions were' if count != 1 else 'This resolution was'} due to "
            f"report back on {formats.uk_date(due)} and {'are' if count != 1 else 'is'} "
            f"still outstanding:\n\n{names}\n\n"
            f"{total} resolution{'s are' if total != 1 else ' is'} overdue in all."
        ),
        link=reverse("meetings:resolution_tracker", args=[partnership.slug]) + "?overdue=on",
    )


def report_backs_due(partnerships: list[Partnership], day: date) -> list[Due]:
    """Every report-back email due on ``day``: two queries, whatever the number of
    partnerships, resolutions and users."""
    by_pk = {p.pk: p for p in partnerships}
    resolutions = list(
        Resolution.objects.filter(
            meeting__partnership__in=list(by_pk), status__in=Resolution.Status.outstanding()
        )
        .filter(Q(report_back_date__isnull=False) | Q(report_back_meeting__isnull=False))
        .select_related("meeting", "report_back_meeting", "owner")
        .order_by("meeting__date", "number", "pk")
    )
    if not resolutions:
        return []
    found = recipients({r.meeting.partnership_id for r in resolutions})
    editors, managers = found.editors, found.managers
    due: list[Due] = []
    passed: dict[tuple[int, date], list[Resolution]] = defaultdict(list)
    overdue_count: dict[int, int] = defaultdict(int)
    for resolution in resolutions:
        when = resolution.due_date
        assert when is not None
        partnership = by_pk[resolution.meeting.partnership_id]
        if when < day:
            overdue_count[partnership.pk] += 1
            if day - OVERDUE_WINDOW <= when:
                passed[(partnership.pk, when)].append(resolution)
        elif (
            resolution.owner_id is not None
            and add_working_days(when, -REMINDER_WORKING_DAYS) <= day
        ):
            for role in editors[(partnership.pk, resolution.owner_id)]:
                due.append(_reminder(partnership, resolution, when, role))
    for (pk, when), group in passed.items():
        for role in managers[pk]:
            due.append(_overdue_list(by_pk[pk], when, group, overdue_count[pk], role))
    return due
