"""Writes to meetings and resolutions. Each validates first and runs in one
transaction; django-simple-history records who made the change (from the request)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from actionplans.models import Action, Objective
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
def meeting_save(*, meeting: Meeting, organisations: Iterable[Organisation]) -> Meeting:
    """Create or update a meeting and who attended it."""
    meeting.full_clean()
    meeting.save()
    meeting.organisations.set(list(organisations))
    return meeting


@transaction.atomic
def agenda_item_save(*, item: AgendaItem) -> AgendaItem:
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def resolution_save(*, resolution: Resolution) -> Resolution:
    resolution.full_clean()
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
        resolution.status = new_status
        resolution.save(update_fields=["status"])
    return response


@transaction.atomic
def resolution_action_link(*, resolution: Resolution, action: Action | None) -> Resolution:
    """Point the resolution at the action-plan action that carries it out (or unlink)."""
    resolution.action = action
    resolution.full_clean()
    resolution.save(update_fields=["action"])
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
