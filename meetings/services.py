"""Writes to meetings and resolutions. Each validates first and runs in one
transaction; django-simple-history records who made the change (from the request).

Meetings, agenda items, resolutions and responses are versioned
(``cspportal.lib.versioning``): an edit names the version its form started from, and
refuses with ``EditConflict`` when someone saved the record since."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from actionplans.models import Action, Objective
from cspportal.lib.versioning import next_version
from meetings.models import (
    AgendaItem,
    CalendarFeed,
    Meeting,
    Resolution,
    ResolutionResponse,
    new_calendar_token,
)
from partnerships.models import Organisation, Partnership


@transaction.atomic
def meeting_save(
    *,
    meeting: Meeting,
    organisations: Iterable[Organisation],
    expected_version: int | None = None,
) -> Meeting:
    """Create or update a meeting and who attended it. An update refuses with
    ``EditConflict`` when the meeting moved on from ``expected_version``."""
    meeting.full_clean()
    if meeting.pk is not None:
        meeting.version = next_version(meeting, expected_version)
    meeting.save()
    meeting.organisations.set(list(organisations))
    return meeting


@transaction.atomic
def agenda_item_save(*, item: AgendaItem, expected_version: int | None = None) -> AgendaItem:
    """Create or update an agenda item; an update checks the version like a meeting's."""
    item.full_clean()
    if item.pk is not None:
        item.version = next_version(item, expected_version)
    item.save()
    return item


@transaction.atomic
def resolution_save(*, resolution: Resolution, expected_version: int | None = None) -> Resolution:
    """Create or update a resolution; an update checks the version like a meeting's."""
    resolution.full_clean()
    if resolution.pk is not None:
        resolution.version = next_version(resolution, expected_version)
    resolution.save()
    return resolution


@dataclass(frozen=True)
class ResolutionDraft:
    """One checked row of pasted minutes, ready to save."""

    number: int
    text: str
    status: str
    owner: Organisation | None = None
    report_back_date: date | None = None


@transaction.atomic
def resolutions_create(
    *, meeting: Meeting, agenda_item: AgendaItem | None, drafts: Sequence[ResolutionDraft]
) -> list[Resolution]:
    """Save the resolutions the officer checked, all or none. A row that fails raises
    ``ValidationError`` naming the row, and nothing is saved."""
    if not drafts:
        raise ValidationError("There are no resolutions to save.")
    created = []
    for position, draft in enumerate(drafts, start=1):
        resolution = Resolution(
            meeting=meeting,
            agenda_item=agenda_item,
            number=draft.number,
            text=draft.text,
            status=draft.status,
            owner=draft.owner,
            report_back_date=draft.report_back_date,
        )
        try:
            resolution.full_clean()
        except ValidationError as error:
            messages = "; ".join(m for ms in error.message_dict.values() for m in ms)
            raise ValidationError(
                f"Row {position} (resolution {draft.number}): {messages}"
            ) from None
        resolution.save()
        created.append(resolution)
    return created


@transaction.atomic
def response_record(
    *,
    resolution: Resolution,
    responded_on: date,
    text: str,
    organisation: Organisation | None,
    new_status: str,
    recorded_by,
) -> ResolutionResponse:
    """Add a response to the resolution's timeline; a new status moves the resolution on."""
    response = ResolutionResponse(
        resolution=resolution,
        responded_on=responded_on,
        text=text,
        organisation=organisation,
        new_status=new_status,
        recorded_by=recorded_by,
    )
    response.full_clean()
    response.save()
    if new_status and new_status != resolution.status:
        # A form someone opened before this status change must not put the old one back.
        resolution.version = next_version(resolution, None)
        resolution.status = new_status
        resolution.save(update_fields=["status", "version"])
    return response


@transaction.atomic
def resolution_action_link(*, resolution: Resolution, action: Action | None) -> Resolution:
    """Point the resolution at the action-plan action that carries it out (or unlink)."""
    resolution.action = action
    resolution.full_clean()
    resolution.version = next_version(resolution, None)
    resolution.save(update_fields=["action", "version"])
    return resolution


@transaction.atomic
def resolution_action_create(
    *,
    resolution: Resolution,
    objective: Objective,
    title: str,
    lead_organisation: Organisation,
    owner_name: str,
    due_date: date | None,
) -> Action:
    """Create the action-plan action for a resolution, under one of the partnership's
    objectives, and link the two."""
    if objective.plan.partnership_id != resolution.meeting.partnership_id:
        raise ValidationError({"objective": "Choose an objective of this partnership's plans."})
    action = Action(
        objective=objective,
        title=title,
        description=f"From resolution {resolution.citation} of {resolution.meeting}: "
        f"{resolution.text}",
        lead_organisation=lead_organisation,
        owner_name=owner_name,
        due_date=due_date,
    )
    action.full_clean()
    action.save()
    resolution_action_link(resolution=resolution, action=action)
    return action


@transaction.atomic
def calendar_feed_renew(*, user, partnership: Partnership) -> CalendarFeed:
    """The user's secret calendar link for the partnership, made new: any old link
    stops working."""
    feed, created = CalendarFeed.objects.get_or_create(user=user, partnership=partnership)
    if not created:
        feed.token = new_calendar_token()
        feed.save(update_fields=["token"])
    return feed


def _clear_report_back(meeting: Meeting) -> None:
    """Resolutions of other meetings that report back to ``meeting`` keep their date
    but no longer name it. Saved one by one (not the foreign key's SET_NULL, which
    is a bulk update) so that the history records the change and the version moves."""
    others = (
        Resolution.objects.select_for_update().filter(report_back_meeting=meeting).order_by("pk")
    )
    for other in others.exclude(meeting=meeting):
        other.report_back_meeting = None
        other.version += 1
        other.save(update_fields=["report_back_meeting", "version"])


@transaction.atomic
def meeting_delete(*, meeting: Meeting, expected_version: int | None = None) -> None:
    """Delete a meeting with its agenda items, resolutions and their responses.
    Refuses with ``EditConflict`` when the meeting changed after ``expected_version``.
    django-simple-history keeps a "deleted" row of each record, with who did it."""
    next_version(meeting, expected_version)
    _clear_report_back(meeting)
    # Resolutions before items: the item's SET_NULL would otherwise leave two
    # resolutions numbered 1 with no item in one meeting, against its constraint.
    for resolution in Resolution.objects.filter(meeting=meeting):
        resolution.delete()
    for item in AgendaItem.objects.filter(meeting=meeting):
        item.delete()
    meeting.delete()


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, expected_version: int | None = None) -> None:
    """Delete an agenda item with the resolutions made under it and their responses."""
    next_version(item, expected_version)
    for resolution in Resolution.objects.filter(agenda_item=item):
        resolution.delete()
    item.delete()


@transaction.atomic
def resolution_delete(*, resolution: Resolution, expected_version: int | None = None) -> None:
    """Delete a resolution with its responses."""
    next_version(resolution, expected_version)
    resolution.delete()


@transaction.atomic
def response_delete(*, response: ResolutionResponse, expected_version: int | None = None) -> None:
    """Delete a response recorded in error. The resolution's status stays as it is:
    the officer changes it on the resolution if it should go back."""
    next_version(response, expected_version)
    response.delete()
