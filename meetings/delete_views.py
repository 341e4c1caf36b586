"""Deleting meetings, agenda items, resolutions and responses: a GOV.UK confirmation
page first, editors and managers only. The history keeps every deleted row."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.text import get_text_list
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedRequest
from cspportal.lib.versioning import DeleteForm, VersionedEdit
from meetings import selectors, services
from meetings.models import AgendaItem, Meeting, Resolution, ResolutionResponse
from meetings.views import page_context
from partnerships.models import Role
from partnerships.selectors import PartnershipAccess, partnership_access


def _confirm_delete(
    request: HttpRequest,
    access: PartnershipAccess,
    record: Meeting | AgendaItem | Resolution | ResolutionResponse,
    *,
    delete,
    done_url: str,
    done_message: str,
    **context,
) -> HttpResponse:
    """The GOV.UK confirmation step of a delete. GET shows what will go; POST deletes
    through ``delete(expected_version)`` and goes to ``done_url``. A record someone
    changed after the page was shown is not deleted: the page shows their changes."""
    form = DeleteForm(
        request.POST if request.method == "POST" else None, initial={"version": record.version}
    )
    edit = VersionedEdit(form, delete=True)
    if request.method == "POST" and edit.save(delete):
        messages.success(request, done_message)
        return redirect(done_url)
    return render(
        request,
        "meetings/delete.html",
        page_context(access, form=form, changes=edit.changes, **context),
    )


def _numbers(references) -> str:
    return get_text_list(list(references), "and")


@login_required
@require_http_methods(["GET", "POST"])
def meeting_delete(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    meeting = selectors.meeting_get_plain(access.partnership, pk)
    effects = selectors.delete_effects(meeting=meeting)
    also = []
    if effects.items:
        also.append(f"{effects.items} agenda item{pluralize(effects.items)}")
    if effects.resolutions:
        count = len(effects.resolutions)
        also.append(f"{count} resolution{pluralize(count)}")
    if effects.responses:
        also.append(f"{effects.responses} response{pluralize(effects.responses)}")
    consequences = [f"This also deletes its {get_text_list(also, 'and')}."] if also else []
    if effects.reported_back == 1:
        consequences.append(
            "1 resolution of another meeting reports back to this meeting: it keeps its "
            "report-back date but will no longer name this meeting."
        )
    elif effects.reported_back:
        consequences.append(
            f"{effects.reported_back} resolutions of other meetings report back to this "
            "meeting: they keep their report-back dates but will no longer name this meeting."
        )
    return _confirm_delete(
        request,
        access,
        meeting,
        delete=lambda version: services.meeting_delete(meeting=meeting, expected_version=version),
        done_url=reverse("meetings:meeting_list", args=[slug]),
        done_message=f"Meeting deleted: {meeting}.",
        heading=f"Delete the meeting {meeting}?",
        summary=f"{meeting.body_label}, {meeting.place}" if meeting.place else meeting.body_label,
        consequences=consequences,
        button="Delete the meeting",
        back_url=reverse("meetings:meeting_detail", args=[slug, meeting.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_delete(
    request: AuthenticatedRequest, slug: str, pk: int, item_pk: int
) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    meeting = selectors.meeting_get_plain(access.partnership, pk)
    item = selectors.agenda_item_get(meeting, item_pk)
    effects = selectors.delete_effects(item=item)
    consequences = []
    with_resolutions = ""
    if effects.resolutions:
        count = len(effects.resolutions)
        numbers = _numbers(effects.resolutions)
        responses = (
            f" and their {effects.responses} response{pluralize(effects.responses)}"
            if effects.responses
            else ""
        )
        consequences.append(
            f"This also deletes resolution{pluralize(count)} {numbers} of this item{responses}."
        )
        with_resolutions = f", with resolution{pluralize(count)} {numbers}"
    return _confirm_delete(
        request,
        access,
        item,
        delete=lambda version: services.agenda_item_delete(item=item, expected_version=version),
        done_url=reverse("meetings:meeting_detail", args=[slug, meeting.pk]),
        done_message=f"Agenda item {item.number} deleted{with_resolutions}.",
        heading=f"Delete agenda item {item.number}?",
        summary=f"{item.number}. {item.title}, {meeting}",
        consequences=consequences,
        button="Delete the agenda item",
        back_url=reverse("meetings:meeting_detail", args=[slug, meeting.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def resolution_delete(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    resolution = selectors.resolution_get(access.partnership, pk)
    responses = len(resolution.responses.all())
    consequences = (
        [f"This also deletes its {responses} response{pluralize(responses)}."] if responses else []
    )
    if resolution.action is not None:
        consequences.append(
            f"The action-plan action it links to, {resolution.action.title}, is not deleted."
        )
    return _confirm_delete(
        request,
        access,
        resolution,
        delete=lambda version: services.resolution_delete(
            resolution=resolution, expected_version=version
        ),
        done_url=reverse("meetings:meeting_detail", args=[slug, resolution.meeting_id]),
        done_message=f"Resolution {resolution.citation} of {resolution.meeting} deleted.",
        heading=f"Delete resolution {resolution.citation}?",
        summary=f"{resolution.meeting}: {resolution.text}",
        consequences=consequences,
        button="Delete the resolution",
        back_url=reverse("meetings:resolution_detail", args=[slug, resolution.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def response_delete(
    request: AuthenticatedRequest, slug: str, pk: int, response_pk: int
) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    resolution = selectors.resolution_get(access.partnership, pk)
    response = selectors.response_get(resolution, response_pk)
    when = f"{response.responded_on.day} {response.responded_on:%B %Y}"
    consequences = []
    if response.new_status:
        consequences.append(
            f"This response changed the status to "
            f"{response.get_new_status_display().lower()}. Deleting it does not change the "
            f"status back: the resolution stays {resolution.get_status_display().lower()} "
            "until you change it."
        )
    back = reverse("meetings:resolution_detail", args=[slug, resolution.pk])
    return _confirm_delete(
        request,
        access,
        response,
        delete=lambda version: services.response_delete(
            response=response, expected_version=version
        ),
        done_url=back,
        done_message=f"Response of {when} to resolution {resolution.citation} deleted.",
        heading=f"Delete the response of {when}?",
        summary=response.text,
        consequences=consequences,
        button="Delete the response",
        back_url=back,
    )
