"""Meeting and resolution pages. Viewers read; editors and managers record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedRequest
from cspportal.lib.downloads import FORMATS, attachment, table_response
from cspportal.lib.versioning import VersionedEdit
from meetings import exports, selectors, services
from meetings.forms import (
    ActionCreateForm,
    ActionLinkForm,
    AgendaItemForm,
    DraftFormSet,
    MeetingForm,
    MinutesPasteForm,
    ResolutionForm,
    ResponseForm,
    TrackerFilterForm,
    default_action_title,
)
from meetings.models import AgendaItem, Meeting, Resolution
from partnerships.models import Role
from partnerships.selectors import PartnershipAccess, partnership_access


def page_context(access: PartnershipAccess, **extra) -> dict:
    """What every meetings page needs: the access and its partnership."""
    return {"access": access, "partnership": access.partnership, **extra}


# Meetings


@login_required
@require_GET
def meeting_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = partnership_access(request.user, slug)
    lists = selectors.meeting_lists(access.partnership, as_of=timezone.localdate())
    feed = selectors.calendar_feed_for(request.user, access.partnership)
    return render(
        request, "meetings/meeting_list.html", page_context(access, lists=lists, feed=feed)
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    meeting = Meeting(partnership=access.partnership)
    return _meeting_form(request, access, meeting, "Record a meeting")


@login_required
@require_http_methods(["GET", "POST"])
def meeting_update(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    meeting = selectors.meeting_get_plain(access.partnership, pk)
    return _meeting_form(request, access, meeting, f"Change {meeting}")


def _meeting_form(request, access, meeting: Meeting, title: str) -> HttpResponse:
    form = MeetingForm(request.POST or None, instance=meeting, partnership=access.partnership)
    edit = VersionedEdit(form)
    if request.method == "POST" and edit.save(
        lambda version: services.meeting_save(
            meeting=form.instance,
            organisations=form.cleaned_data["organisations"],
            expected_version=version,
        )
    ):
        messages.success(request, f"Meeting saved: {form.instance}.")
        return redirect("meetings:meeting_detail", slug=access.partnership.slug, pk=meeting.pk)
    back = (
        reverse("meetings:meeting_detail", args=[access.partnership.slug, meeting.pk])
        if meeting.pk
        else reverse("meetings:meeting_list", args=[access.partnership.slug])
    )
    return render(
        request,
        "meetings/form.html",
        page_context(access, form=form, title=title, back_url=back, changes=edit.changes),
    )


@login_required
@require_GET
def meeting_detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug)
    meeting = selectors.meeting_get(access.partnership, pk)
    today = timezone.localdate()
    resolutions = list(meeting.resolutions.all())
    items = list(meeting.agenda_items.all())
    by_item = {item.pk: [r for r in resolutions if r.agenda_item_id == item.pk] for item in items}
    return render(
        request,
        "meetings/meeting_detail.html",
        page_context(
            access,
            meeting=meeting,
            items=[(item, by_item[item.pk]) for item in items],
            loose_resolutions=[r for r in resolutions if r.agenda_item_id is None],
            resolutions=resolutions,
            today=today,
        ),
    )


# Agenda items


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_create(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    meeting = selectors.meeting_get_plain(access.partnership, pk)
    next_number = (
        meeting.agenda_items.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    item = AgendaItem(meeting=meeting)
    return _agenda_item_form(request, access, item, "Add an agenda item", {"number": next_number})


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_update(
    request: AuthenticatedRequest, slug: str, pk: int, item_pk: int
) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    meeting = selectors.meeting_get_plain(access.partnership, pk)
    item = selectors.agenda_item_get(meeting, item_pk)
    return _agenda_item_form(request, access, item, f"Change agenda item {item.number}", None)


def _agenda_item_form(request, access, item: AgendaItem, title: str, initial) -> HttpResponse:
    form = AgendaItemForm(
        request.POST or None, request.FILES or None, instance=item, initial=initial
    )
    edit = VersionedEdit(form)
    if request.method == "POST" and edit.save(
        lambda version: services.agenda_item_save(item=form.instance, expected_version=version)
    ):
        messages.success(request, f"Agenda item saved: {form.instance}.")
        return redirect("meetings:meeting_detail", slug=access.partnership.slug, pk=item.meeting_id)
    if edit.conflict and request.FILES:
        form.add_error("paper_file", "Choose the paper file again: it was not saved.")
    back = reverse("meetings:meeting_detail", args=[access.partnership.slug, item.meeting_id])
    return render(
        request,
        "meetings/form.html",
        page_context(
            access,
            form=form,
            title=title,
            back_url=back,
            meeting=item.meeting,
            multipart=True,
            changes=edit.changes,
        ),
    )


@login_required
@require_GET
def agenda_item_paper(
    request: AuthenticatedRequest, slug: str, pk: int, item_pk: int
) -> FileResponse:
    """The uploaded paper, only to people who may see the partnership."""
    access = partnership_access(request.user, slug)
    meeting = selectors.meeting_get_plain(access.partnership, pk)
    item = selectors.agenda_item_get(meeting, item_pk)
    if not item.paper_file:
        raise Http404("This item has no uploaded paper.")
    name = (item.paper_file.name or "").rsplit("/", 1)[-1]
    response = FileResponse(item.paper_file.open("rb"), as_attachment=True)
    response["Content-Disposition"] = attachment(name)
    return response


# Resolutions of one meeting


@login_required
@require_http_methods(["GET", "POST"])
def resolution_create(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    meeting = selectors.meeting_get_plain(access.partnership, pk)
    next_number = (
        meeting.resolutions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    resolution = Resolution(meeting=meeting)
    form = ResolutionForm(
        request.POST or None, instance=resolution, meeting=meeting, initial={"number": next_number}
    )
    if request.method == "POST" and form.is_valid():
        services.resolution_save(resolution=form.instance)
        messages.success(request, f"Resolution {form.instance.citation} saved.")
        return redirect("meetings:meeting_detail", slug=slug, pk=meeting.pk)
    back = reverse("meetings:meeting_detail", args=[slug, meeting.pk])
    return render(
        request,
        "meetings/form.html",
        page_context(access, form=form, title="Add a resolution", back_url=back, meeting=meeting),
    )


@login_required
@require_http_methods(["GET", "POST"])
def resolution_paste(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """Paste minutes, check the resolutions they split into, then save them together.

    Step one posts the text (``step=split``); step two posts the checked rows
    (``step=save``) with the agenda item carried in a hidden field."""
    access = partnership_access(request.user, slug, Role.EDITOR)
    meeting = selectors.meeting_get_plain(access.partnership, pk)
    back = reverse("meetings:meeting_detail", args=[slug, meeting.pk])
    context = page_context(access, meeting=meeting, back_url=back)
    step = request.POST.get("step", "")
    if request.method == "POST" and step == "save":
        agenda_item = _posted_agenda_item(meeting, request.POST.get("agenda_item", ""))
        formset = DraftFormSet(
            request.POST, prefix="draft", form_kwargs={"partnership": access.partnership}
        )
        context.update(formset=formset, agenda_item=agenda_item)
        if formset.is_valid():
            drafts = [
                services.ResolutionDraft(
                    number=f.cleaned_data["number"],
                    text=f.cleaned_data["text"],
                    status=f.cleaned_data["status"],
                    owner=f.cleaned_data["owner"],
                    report_back_date=f.cleaned_data["report_back_date"],
                )
                for f in formset.forms
                if f.cleaned_data.get("include")
            ]
            try:
                created = services.resolutions_create(
                    meeting=meeting, agenda_item=agenda_item, drafts=drafts
                )
            except ValidationError as error:
                context["save_error"] = " ".join(error.messages)
            else:
                messages.success(request, f"{len(created)} resolutions saved.")
                return redirect("meetings:meeting_detail", slug=slug, pk=meeting.pk)
        return render(request, "meetings/resolution_check.html", context)

    paste_form = MinutesPasteForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and paste_form.is_valid():
        parsed = paste_form.parsed
        assert parsed is not None  # valid minutes were parsed as they were cleaned
        initial = [
            {
                "include": True,
                "number": draft.number,
                "text": draft.text,
                "status": Resolution.Status.NOTED if draft.noted else Resolution.Status.OPEN,
            }
            for draft in parsed.drafts
        ]
        # A list left whole gets empty rows to split it into, unticked until filled in.
        last = parsed.drafts[-1].number
        initial += [
            {"include": False, "number": last + n, "text": "", "status": Resolution.Status.OPEN}
            for n in range(1, parsed.split_by_hand)
        ]
        formset = DraftFormSet(
            initial=initial, prefix="draft", form_kwargs={"partnership": access.partnership}
        )
        context.update(
            formset=formset, agenda_item=paste_form.cleaned_data["agenda_item"], parsed=parsed
        )
        return render(request, "meetings/resolution_check.html", context)
    context.update(form=paste_form, title="Paste minutes")
    return render(request, "meetings/resolution_paste.html", context)


def _posted_agenda_item(meeting: Meeting, value: str) -> AgendaItem | None:
    if not value:
        return None
    if not value.isdigit():
        raise Http404("No such agenda item.")
    return selectors.agenda_item_get(meeting, int(value))


# Resolutions across meetings


@login_required
@require_GET
def resolution_tracker(request: AuthenticatedRequest, slug: str, fmt: str = "") -> HttpResponse:
    """The outstanding resolutions under their meetings, overdue ones marked; filters
    show the rest. The same filters, the default included, drive the CSV and XLSX
    downloads."""
    access = partnership_access(request.user, slug)
    if fmt and fmt not in FORMATS:
        raise Http404("No such download format.")
    form = TrackerFilterForm(request.GET or None, partnership=access.partnership)
    filters = form.filters()
    today = timezone.localdate()
    rows = selectors.resolution_tracker(access.partnership, filters=filters, as_of=today)
    if fmt:
        return table_response(
            filename=f"resolutions-{access.partnership.slug}-{today:%Y-%m-%d}",
            fmt=fmt,
            headers=exports.TRACKER_HEADERS,
            rows=exports.tracker_rows(rows),
        )
    meetings = selectors.by_meeting(rows)
    return render(
        request,
        "meetings/resolution_tracker.html",
        page_context(
            access,
            form=form,
            filters=filters,
            heading=form.heading(),
            rows=rows,
            meetings=meetings,
            today=today,
            query=request.GET.urlencode(),
            outstanding=sum(1 for r in rows if r.is_outstanding),
            overdue=sum(1 for r in rows if r.is_overdue),
        ),
    )


@login_required
@require_GET
def resolution_detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug)
    resolution = selectors.resolution_get(access.partnership, pk)
    today = timezone.localdate()
    return render(
        request,
        "meetings/resolution_detail.html",
        page_context(
            access,
            resolution=resolution,
            responses=list(resolution.responses.all()),
            changes=selectors.resolution_history(resolution),
            is_overdue=resolution.is_overdue(today),
            today=today,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def resolution_update(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    resolution = selectors.resolution_get(access.partnership, pk)
    title = f"Change resolution {resolution.citation}"
    form = ResolutionForm(request.POST or None, instance=resolution, meeting=resolution.meeting)
    edit = VersionedEdit(form)
    if request.method == "POST" and edit.save(
        lambda version: services.resolution_save(resolution=form.instance, expected_version=version)
    ):
        messages.success(request, f"Resolution {form.instance.citation} saved.")
        return redirect("meetings:resolution_detail", slug=slug, pk=resolution.pk)
    back = reverse("meetings:resolution_detail", args=[slug, resolution.pk])
    return render(
        request,
        "meetings/form.html",
        page_context(
            access,
            form=form,
            title=title,
            back_url=back,
            meeting=resolution.meeting,
            changes=edit.changes,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def response_create(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    resolution = selectors.resolution_get(access.partnership, pk)
    form = ResponseForm(
        request.POST or None,
        resolution=resolution,
        initial={"responded_on": timezone.localdate(), "organisation": access.organisation},
    )
    if request.method == "POST" and form.is_valid():
        services.response_record(
            resolution=resolution,
            responded_on=form.cleaned_data["responded_on"],
            text=form.cleaned_data["text"],
            organisation=form.cleaned_data["organisation"],
            new_status=form.cleaned_data["new_status"],
            recorded_by=request.user,
        )
        messages.success(request, f"Response to resolution {resolution.citation} added.")
        return redirect("meetings:resolution_detail", slug=slug, pk=resolution.pk)
    back = reverse("meetings:resolution_detail", args=[slug, resolution.pk])
    return render(
        request,
        "meetings/form.html",
        page_context(
            access,
            form=form,
            title=f"Add a response to resolution {resolution.citation}",
            back_url=back,
            resolution=resolution,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def resolution_action(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """Link the resolution to an existing action-plan action."""
    access = partnership_access(request.user, slug, Role.EDITOR)
    resolution = selectors.resolution_get(access.partnership, pk)
    form = ActionLinkForm(
        request.POST or None,
        partnership=access.partnership,
        initial={"action": resolution.action_id},
    )
    if request.method == "POST" and form.is_valid():
        services.resolution_action_link(resolution=resolution, action=form.cleaned_data["action"])
        messages.success(request, f"Action link of resolution {resolution.citation} saved.")
        return redirect("meetings:resolution_detail", slug=slug, pk=resolution.pk)
    back = reverse("meetings:resolution_detail", args=[slug, resolution.pk])
    return render(
        request,
        "meetings/form.html",
        page_context(
            access,
            form=form,
            title=f"Link resolution {resolution.citation} to an action",
            back_url=back,
            resolution=resolution,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def resolution_action_create(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """Create the action-plan action that carries the resolution out."""
    access = partnership_access(request.user, slug, Role.EDITOR)
    resolution = selectors.resolution_get(access.partnership, pk)
    form = ActionCreateForm(
        request.POST or None,
        partnership=access.partnership,
        initial={
            "title": default_action_title(resolution.text),
            "lead_organisation": resolution.owner_id,
            "due_date": resolution.due_date,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.resolution_action_create(resolution=resolution, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Action created and linked: {action.title}.")
            return redirect("meetings:resolution_detail", slug=slug, pk=resolution.pk)
    back = reverse("meetings:resolution_detail", args=[slug, resolution.pk])
    return render(
        request,
        "meetings/form.html",
        page_context(
            access,
            form=form,
            title=f"Create an action for resolution {resolution.citation}",
            back_url=back,
            resolution=resolution,
            intro=""
            if form.objectives.exists()
            else "The partnership has no action plan objectives yet: add a plan and an "
            "objective in the Action plan section first.",
        ),
    )
