"""Figures pages: the measures a partnership reports, data returns in a browser grid
or a spreadsheet template, approval, corrections and each figure's history."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedRequest
from crimestats import data_requests, exports, selectors, services
from crimestats.forms import (
    DataRequestScheduleForm,
    MeasureChoiceForm,
    ReturnActionForm,
    ReturnFilterForm,
    ReturnGridForm,
    ReturnOpenForm,
    TemplateUploadForm,
)
from crimestats.importers.batches import ImportNotAllowed, import_commit, import_preview
from crimestats.models import DataReturn, ImportBatch
from cspportal.lib.downloads import FORMATS, table_response
from cspportal.lib.periods import figure_period_label
from cspportal.lib.versioning import EditConflict, refuse_stale
from partnerships.models import Organisation, Role
from partnerships.selectors import PartnershipAccess, partnership_access


def _context(access: PartnershipAccess, **extra) -> dict:
    return {"access": access, "partnership": access.partnership, **extra}


def _open_form_organisations(access: PartnershipAccess) -> list[Organisation]:
    if access.is_manager:
        return selectors.supplier_organisations(access.partnership)
    return [access.organisation] if access.organisation else []


@login_required
@require_http_methods(["GET", "POST"])
def figures_home(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The partnership's returns, and (for editors) a form to open one."""
    needed = Role.EDITOR if request.method == "POST" else Role.VIEWER
    access = partnership_access(request.user, slug, needed)
    form = None
    if access.is_editor:
        form = ReturnOpenForm(request.POST or None, organisations=_open_form_organisations(access))
        if request.method == "POST" and form.is_valid():
            data_return = services.data_return_open(
                partnership=access.partnership,
                organisation=form.cleaned_data["organisation"],
                period_type=form.cleaned_data["period_type"],
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
            )
            return redirect("crimestats:return_edit", slug=slug, pk=data_return.pk)
    filters = ReturnFilterForm(
        request.GET, suppliers=selectors.return_suppliers(access.partnership)
    )
    filters.is_valid()  # a bad value is shown on its field; the list drops that filter
    chosen = getattr(filters, "cleaned_data", {})
    returns = selectors.returns_by_period(
        access.partnership,
        supplier=chosen.get("organisation", ""),
        status=chosen.get("status", ""),
        page_number=request.GET.get("page", 1),
    )
    kept = {k: v for k, v in chosen.items() if v}
    return render(
        request,
        "crimestats/figures_home.html",
        _context(
            access,
            form=form,
            filters=filters,
            filter_query=urlencode(kept),
            pages=_page_links(returns.page, kept),
            returns=returns,
            to_fill_in=selectors.returns_to_fill_in(access),
            to_approve=selectors.returns_to_approve(access),
            measure_count=len(selectors.partnership_measures(access.partnership)),
        ),
    )


def _page_links(page: Page, query: dict[str, str]) -> dict | None:
    """The GOV.UK pagination component's links, each keeping the filters."""
    if page.paginator.num_pages < 2:
        return None

    def href(number: int) -> str:
        return f"?{urlencode({**query, 'page': number})}#returns"

    return {
        "previous": href(page.number - 1) if page.has_previous() else "",
        "next": href(page.number + 1) if page.has_next() else "",
        "items": [
            {"number": n, "href": "", "current": False}
            if n == Paginator.ELLIPSIS
            else {"number": n, "href": href(int(n)), "current": n == page.number}
            for n in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
        ],
    }


def _grid_mode(access: PartnershipAccess, data_return: DataReturn) -> str:
    """ "edit", "correct" or "view"."""
    if not selectors.can_edit_return(access, data_return):
        return "view"
    if data_return.status == DataReturn.Status.DRAFT:
        return "edit"
    if data_return.status == DataReturn.Status.SUBMITTED:
        return "edit" if access.is_manager else "view"
    return "correct" if access.is_manager else "view"


@login_required
@require_http_methods(["GET", "POST"])
def return_edit(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.VIEWER)
    data_return = selectors.data_return_for_access(access, pk)
    mode = _grid_mode(access, data_return)
    if request.method == "POST" and mode == "view":
        raise PermissionDenied("You cannot change this return.")
    # An approved return reads as locked; a manager asks for the correction form.
    show_locked = mode == "correct" and request.method == "GET" and "correct" not in request.GET
    measures = selectors.return_measures(data_return)
    areas = selectors.partnership_areas(access.partnership)
    observations = selectors.return_observations(data_return, measures)
    form = ReturnGridForm(
        request.POST or None,
        data_return=data_return,
        measures=measures,
        areas=areas,
        observations=observations,
    )
    changes = []
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            result = services.data_return_save(
                data_return=data_return,
                inputs=form.cleaned_inputs,
                user=request.user,
                version=form.cleaned_data["version"],
                submit=submit,
                correction_reason=form.cleaned_data.get("correction_reason", ""),
            )
        except EditConflict as conflict:
            changes = refuse_stale(
                form,
                conflict,
                selectors.return_changes_since(data_return, conflict.started_from, measures),
            )
            data_return.refresh_from_db()
        except ValidationError as error:
            form.add_error(None, error)
        except services.ReturnLocked as locked:
            form.add_error("correction_reason", str(locked))
        except services.ApprovedFigureConflict:
            form.add_error(None, "Some figures are approved: give a reason for the correction.")
        else:
            what = f"{result.created} added, {result.updated} changed, {result.unchanged} unchanged"
            if submit:
                messages.success(request, f"Return submitted for approval ({what}).")
            else:
                messages.success(request, f"Return saved ({what}).")
            return redirect("crimestats:return_edit", slug=slug, pk=pk)
    return render(
        request,
        "crimestats/return_edit.html",
        _context(
            access,
            data_return=data_return,
            period=figure_period_label(data_return.period_type, data_return.period_start),
            form=form,
            rows=form.rows(),
            areas=areas,
            mode="locked" if show_locked else mode,
            read_only_reason=selectors.read_only_reason(access, data_return)
            if mode == "view"
            else [],
            changes=changes,
            action_form=ReturnActionForm(initial={"version": data_return.version}),
        ),
    )


def _return_action(request: AuthenticatedRequest, slug: str, pk: int, action) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.MANAGER)
    data_return = selectors.data_return_for_access(access, pk)
    form = ReturnActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The page was out of date: try again.")
        return redirect("crimestats:return_edit", slug=slug, pk=pk)
    try:
        message = action(data_return, form.cleaned_data["version"])
    except EditConflict as conflict:
        messages.error(
            request,
            conflict.sentence("nothing was done") + " Check the figures below and try again.",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, message)
    return redirect("crimestats:return_edit", slug=slug, pk=pk)


@login_required
@require_POST
def return_approve(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    def approve(data_return, version):
        count = services.data_return_approve(
            data_return=data_return, user=request.user, version=version
        )
        return f"Return approved and locked ({count} figures approved)."

    return _return_action(request, slug, pk, approve)


@login_required
@require_POST
def return_send_back(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    def send_back(data_return, version):
        services.data_return_send_back(data_return=data_return, user=request.user, version=version)
        return "Return sent back to draft."

    return _return_action(request, slug, pk, send_back)


@login_required
@require_GET
def return_download(request: AuthenticatedRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.VIEWER)
    if fmt not in FORMATS:
        raise Http404("No such format.")
    data_return = selectors.data_return_for_access(access, pk)
    measures = selectors.return_measures(data_return)
    areas = selectors.partnership_areas(access.partnership)
    observations = selectors.return_observations(data_return, measures)
    organisation = data_return.organisation.name if data_return.organisation else "partnership"
    return table_response(
        filename=f"{slug}-{organisation}-{data_return.period_type}-"
        f"{data_return.period_start:%Y-%m}".lower().replace(" ", "-"),
        fmt=fmt,
        headers=exports.RETURN_HEADERS,
        rows=exports.return_rows(data_return, measures, areas, observations),
    )


def _editable_return(request, slug: str, pk: int) -> tuple[PartnershipAccess, DataReturn]:
    access = partnership_access(request.user, slug, Role.EDITOR)
    data_return = selectors.data_return_for_access(access, pk)
    if _grid_mode(access, data_return) == "view":
        raise PermissionDenied("You cannot change this return.")
    return access, data_return


@login_required
@require_http_methods(["GET", "POST"])
def return_upload(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """Upload a filled-in template: check every row, keep the file, and show what would
    change (crimestats.importers.template, through the import preview)."""
    access, data_return = _editable_return(request, slug, pk)
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    period = figure_period_label(data_return.period_type, data_return.period_start)
    context = _context(access, data_return=data_return, period=period, form=form)
    if request.method == "POST" and form.is_valid():
        batch, parsed = import_preview(
            format=ImportBatch.Format.TEMPLATE,
            sources=form.sources(),
            partnership=access.partnership,
            user=request.user,
            data_return=data_return,
        )
        if parsed.ok:
            return redirect("crimestats:return_upload_confirm", slug=slug, pk=pk, batch=batch.pk)
        context["upload_errors"] = parsed.errors
    return render(request, "crimestats/return_upload.html", context)


def _template_batch(access: PartnershipAccess, data_return: DataReturn, pk: int) -> ImportBatch:
    """A template upload into this return, or 404."""
    return get_object_or_404(
        ImportBatch,
        pk=pk,
        partnership=access.partnership,
        format=ImportBatch.Format.TEMPLATE,
        summary__data_return=data_return.pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_upload_confirm(
    request: AuthenticatedRequest, slug: str, pk: int, batch: int
) -> HttpResponse:
    """The preview of an uploaded template; confirming stores the kept file, read and
    checked again, all or nothing."""
    access, data_return = _editable_return(request, slug, pk)
    import_batch = _template_batch(access, data_return, batch)
    error = ""
    if request.method == "POST":
        reason = request.POST.get("correction_reason", "").strip()[:200]
        try:
            stored = import_commit(batch=import_batch, user=request.user, reason=reason)
        except EditConflict:
            error = (
                "Someone saved this return after you uploaded the file, so nothing was "
                "saved. Upload the file again to see what would change now."
            )
        except (services.ReturnLocked, services.ApprovedFigureConflict):
            error = "This return is approved: give a reason for the correction."
        except ImportNotAllowed as refused:
            error = str(refused)
        else:
            outcome = stored.summary["stored"]
            messages.success(
                request,
                f"Template stored: {outcome['created']} added, {outcome['updated']} changed, "
                f"{outcome['unchanged']} unchanged.",
            )
            return redirect("crimestats:return_edit", slug=slug, pk=pk)
    return render(
        request,
        "crimestats/return_upload_confirm.html",
        _context(
            access,
            data_return=data_return,
            period=figure_period_label(data_return.period_type, data_return.period_start),
            batch=import_batch,
            preview=import_batch.summary.get("preview", []),
            error=error,
            stale=import_batch.summary.get("version") != data_return.version,
        ),
    )


@login_required
@require_GET
def observation_history(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.VIEWER)
    observation = selectors.observation_for_access(access, pk)
    return render(
        request,
        "crimestats/observation_history.html",
        _context(
            access,
            observation=observation,
            period=figure_period_label(observation.period_type, observation.period_start),
            revisions=selectors.observation_history(observation),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_choice(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The manager's choice of measures and who supplies each."""
    access = partnership_access(request.user, slug, Role.MANAGER)
    measures = selectors.catalogue()
    organisations = list(
        Organisation.objects.filter(memberships__partnership=access.partnership)
        .distinct()
        .order_by("name")
    )
    chosen = {pm.measure_id: pm for pm in selectors.partnership_measures(access.partnership)}
    form = MeasureChoiceForm(
        request.POST or None, measures=measures, organisations=organisations, chosen=chosen
    )
    if request.method == "POST" and form.is_valid():
        result = services.partnership_measures_set(
            partnership=access.partnership,
            choices=form.choices_made(),
            allowed_suppliers={o.pk for o in organisations},
        )
        messages.success(
            request,
            f"Measures saved: {result['added']} added, {result['changed']} changed, "
            f"{result['removed']} removed.",
        )
        return redirect(reverse("crimestats:measure_choice", kwargs={"slug": slug}))
    groups: dict[str, list] = {}
    for row in form.rows():
        groups.setdefault(row[0].group, []).append(row)
    return render(
        request, "crimestats/measure_choice.html", _context(access, form=form, groups=groups)
    )


@login_required
@require_GET
def measure_catalogue(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.VIEWER)
    groups: dict[str, list] = {}
    for measure in selectors.catalogue():
        groups.setdefault(measure.group, []).append(measure)
    return render(request, "crimestats/measure_catalogue.html", _context(access, groups=groups))


@login_required
@require_http_methods(["GET", "POST"])
def returns_outstanding(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The latest ended quarter's data requests: who has submitted, who is on a
    draft, who has not started and who is late; managers set the due dates."""
    needed = Role.MANAGER if request.method == "POST" else Role.VIEWER
    access = partnership_access(request.user, slug, needed)
    form = None
    if access.is_manager:
        data = request.POST if request.method == "POST" else None
        form = DataRequestScheduleForm(
            data, instance=data_requests.schedule_for(access.partnership)
        )
        if request.method == "POST" and form.is_valid():
            services.data_request_schedule_set(
                partnership=access.partnership,
                due_working_days=form.cleaned_data["due_working_days"],
                reminder_working_days=form.cleaned_data["reminder_working_days"],
            )
            messages.success(request, "Due dates saved.")
            return redirect("crimestats:returns_outstanding", slug=slug)
    outstanding = data_requests.returns_outstanding(access.partnership, timezone.localdate())
    return render(
        request,
        "crimestats/returns_outstanding.html",
        _context(access, form=form, outstanding=outstanding),
    )
