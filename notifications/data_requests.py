"""Data-request emails (crimestats/data_requests.py says what is due when): a
reminder to the supplying organisation's editors from the reminder day until the
due date, a chaser to them after it, and one list of the late organisations to the
partnership's managers. They name organisations and statuses, never a figure."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.urls import reverse

from crimestats.data_requests import RequestDates, RequestStatus, SupplierRequest, supplier_requests
from cspportal.lib import formats
from cspportal.lib.periods import quarter_label, quarter_of
from notifications.due import Due
from notifications.models import Kind
from notifications.recipients import recipients
from partnerships.models import Partnership, PartnershipRole

STATUS_WORDS = {
    RequestStatus.DRAFT: "The return is on a draft: it has not been submitted.",
    RequestStatus.NOT_STARTED: "The return has not been started.",
}


def _quarter_name(dates: RequestDates) -> str:
    return quarter_label(*quarter_of(dates.quarter.start))


def _return_link(request: SupplierRequest) -> str:
    slug = request.partnership.slug
    if request.data_return is not None:
        return reverse("crimestats:return_edit", args=[slug, request.data_return.pk])
    return reverse("crimestats:figures_home", args=[slug])


def _key(kind: str, request: SupplierRequest) -> str:
    return (
        f"data-request-{kind}:partnership={request.partnership.pk}:"
        f"organisation={request.organisation.pk}:quarter={request.dates.key}"
    )


def _supplier_due(request: SupplierRequest, role: PartnershipRole, *, late: bool) -> Due:
    partnership, organisation, dates = request.partnership, request.organisation, request.dates
    quarter = _quarter_name(dates)
    due = formats.uk_date(dates.due)
    if late:
        subject = f"{partnership.name}: {organisation.name}'s figures for {quarter} are late"
        opening = (
            f"The figures that {organisation.name} supplies to {partnership.name} for "
            f"{dates.quarter.label} were due on {due}. The partnership's managers have "
            "been sent a copy of this chaser."
        )
    else:
        subject = f"{partnership.name}: {organisation.name}'s figures for {quarter} are due {due}"
        opening = (
            f"The figures that {organisation.name} supplies to {partnership.name} for "
            f"{dates.quarter.label} are due on {due}."
        )
    return Due(
        user_id=role.user.pk,
        email=role.user.email,
        partnership=partnership,
        kind=Kind.DATA_REQUESTS,
        reason_key=_key("chaser" if late else "reminder", request),
        subject=subject,
        text=f"{opening}\n\n{STATUS_WORDS[request.status]}",
        link=_return_link(request),
    )


def _managers_due(
    partnership: Partnership, late: list[SupplierRequest], role: PartnershipRole
) -> Due:
    dates = late[0].dates
    quarter = _quarter_name(dates)
    count = len(late)
    names = "\n".join(f"- {r.organisation.name}: {r.status.label.lower()}" for r in late)
    return Due(
        user_id=role.user.pk,
        email=role.user.email,
        partnership=partnership,
        kind=Kind.DATA_REQUESTS,
        reason_key=f"data-request-late-list:partnership={partnership.pk}:quarter={dates.key}",
        subject=(
            f"{partnership.name}: {count} organisation{'s' if count != 1 else ''} "
            f"late with figures for {quarter}"
        ),
        text=(
            f"Figures for {dates.quarter.label} were due on {formats.uk_date(dates.due)}. "
            f"{count} organisation{'s have' if count != 1 else ' has'} not submitted "
            f"them, and {'their' if count != 1 else 'its'} editors have been sent a "
            f"chaser:\n\n{names}"
        ),
        link=reverse("crimestats:returns_outstanding", args=[partnership.slug]),
    )


def data_requests_due(partnerships: list[Partnership], day: date) -> list[Due]:
    """Every data-request email due on ``day``, for every partnership: four queries,
    whatever the number of partnerships, organisations and users."""
    open_requests = [
        r for r in supplier_requests(partnerships, day) if r.status != RequestStatus.SUBMITTED
    ]
    if not open_requests:
        return []
    found = recipients({r.partnership.pk for r in open_requests})
    editors, managers = found.editors, found.managers
    due: list[Due] = []
    late_by_partnership: dict[int, list[SupplierRequest]] = defaultdict(list)
    for request in open_requests:
        if request.is_late:
            late_by_partnership[request.partnership.pk].append(request)
        elif day < request.dates.reminder:
            continue
        for role in editors[(request.partnership.pk, request.organisation.pk)]:
            due.append(_supplier_due(request, role, late=request.is_late))
    for late in late_by_partnership.values():
        partnership = late[0].partnership
        for role in managers[partnership.pk]:
            due.append(_managers_due(partnership, late, role))
    return due
