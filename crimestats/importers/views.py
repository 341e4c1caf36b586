"""Import pages: upload -> preview (nothing stored) -> confirm (all or nothing).

Most imports belong to one partnership (``/partnerships/<slug>/imports/``). The ONS
workbook and lookup describe every partnership in England and Wales, so a site
administrator also imports them at site level (``/imports/``), before any partnership
exists: that is where setting up a partnership from the ONS list begins."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedRequest
from crimestats.importers.batches import (
    KINDS,
    ImportNotAllowed,
    conflict_rows_from,
    import_commit,
    import_preview,
)
from crimestats.importers.forms import ImportConfirmForm, ImportUploadForm
from crimestats.models import ImportBatch
from crimestats.services import ApprovedFigureConflict
from partnerships.models import Role
from partnerships.selectors import partnership_access

Format = ImportBatch.Format


@dataclass(frozen=True)
class UploadPage:
    """One upload page: its format, who may use it and what it asks for."""

    slug: str
    format: str
    role: str
    title: str
    label: str
    help_text: str
    multiple: bool
    # What one of its files is called in a message: "The ONS workbook tables.xlsx ...".
    noun: str = "file"


UPLOAD_PAGES = {
    page.slug: page
    for page in [
        UploadPage(
            "policeuk",
            Format.POLICEUK_STREET,
            Role.EDITOR,
            "Import police.uk street-level crime files",
            "police.uk street-level files",
            "Monthly street-level CSV files from data.police.uk, like "
            "2024-05-city-of-london-street.csv: choose one or several, or a zip of them.",
            True,
            noun="police.uk file",
        ),
        UploadPage(
            "ons-tables",
            Format.ONS_PFA_TABLES,
            Role.MANAGER,
            "Import ONS police force area tables",
            "ONS workbook",
            "The 'Police force area data tables' workbook (.xlsx) as published by ONS, "
            "with the Community Safety Partnership tables C1 to C5.",
            False,
            noun="ONS workbook",
        ),
        UploadPage(
            "ons-lookup",
            Format.ONS_LOOKUP,
            Role.MANAGER,
            "Import the ONS local authority to CSP lookup",
            "ONS lookup CSV",
            "The ONS lookup with columns LADyyCD, LADyyNM, CSPyyCD, CSPyyNM, PFAyyCD and "
            "PFAyyNM (yy is the year of the codes).",
            False,
            noun="ONS lookup",
        ),
        UploadPage(
            "lsoa-lookup",
            Format.LSOA_LOOKUP,
            Role.MANAGER,
            "Upload an LSOA to area lookup",
            "LSOA lookup CSV",
            "A CSV with an 'LSOA code' column and an 'Area' column (the area's name) or an "
            "'Area code' column (its GSS code). ONS lookups with LSOA21CD and LAD24CD work "
            "as they are. It replaces this partnership's current lookup.",
            False,
            noun="LSOA lookup",
        ),
    ]
}
ROLE_FOR_FORMAT = {page.format: page.role for page in UPLOAD_PAGES.values()}


def _page(kind: str) -> UploadPage:
    try:
        return UPLOAD_PAGES[kind]
    except KeyError:
        raise Http404("No such import.") from None


@login_required
@require_GET
def import_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    batches = (
        ImportBatch.objects.filter(partnership=access.partnership)
        .select_related("imported_by")
        .order_by("-created_at")[:50]
    )
    # The import officers make most, offered on the page itself.
    police = UPLOAD_PAGES["policeuk"]
    police_form = upload_form_for(
        police, action=reverse("crimestats:import_upload", args=[slug, police.slug])
    )
    return render(
        request,
        "crimestats/imports/import_list.html",
        {
            "access": access,
            "partnership": access.partnership,
            "batches": batches,
            "pages": UPLOAD_PAGES.values(),
            "police_page": police,
            "police_form": police_form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthenticatedRequest, slug: str, kind: str) -> HttpResponse:
    page = _page(kind)
    access = partnership_access(request.user, slug, page.role)
    form = _upload_form(page, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch, _parsed = import_preview(
            format=page.format,
            sources=form.sources(),
            partnership=access.partnership,
            user=request.user,
        )
        return redirect("crimestats:import_detail", slug=slug, pk=batch.pk)
    return render(
        request,
        "crimestats/imports/import_upload.html",
        {
            "access": access,
            "partnership": access.partnership,
            "form": form,
            "page": page,
            "back_url": reverse("crimestats:import_list", args=[slug]),
        },
    )


def upload_form_for(page: UploadPage, *, action: str) -> ImportUploadForm:
    """An empty upload form for ``page`` that posts to ``action``: for offering an
    upload on another page (the imports list, setting up a partnership)."""
    form = _upload_form(page)
    form.helper.form_action = action
    return form


def _upload_form(page: UploadPage, data=None, files=None) -> ImportUploadForm:
    return ImportUploadForm(
        data,
        files,
        label=page.label,
        help_text=page.help_text
        + f" Up to {settings.IMPORT_MAX_UPLOAD_MB} MB"
        + (" each." if page.multiple else "."),
        accept=KINDS[page.format].accept,
        multiple=page.multiple,
        noun=page.noun,
    )


def _batch_for(access, pk: int) -> ImportBatch:
    return get_object_or_404(
        ImportBatch.objects.select_related("imported_by"), pk=pk, partnership=access.partnership
    )


@login_required
@require_GET
def import_detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    batch = _batch_for(access, pk)
    if batch.format == ImportBatch.Format.TEMPLATE:
        return _template_batch_page(slug, batch)
    return _render_detail(request, access, batch, None)


def _template_batch_page(slug: str, batch: ImportBatch) -> HttpResponse:
    """A template upload belongs to its data return: it is shown and confirmed there,
    where the return's own permission (the supplier's editors, or a manager) applies."""
    return redirect(
        "crimestats:return_upload_confirm",
        slug=slug,
        pk=batch.summary["data_return"],
        batch=batch.pk,
    )


def _render_detail(request, access, batch: ImportBatch, form) -> HttpResponse:
    return _detail_page(
        request,
        batch,
        form,
        access=access,
        may_confirm=access.allows(ROLE_FOR_FORMAT[batch.format]),
        is_manager=access.is_manager,
        confirm_url=reverse("crimestats:import_confirm", args=[access.partnership.slug, batch.pk]),
        back_url=reverse("crimestats:import_list", args=[access.partnership.slug]),
    )


def _detail_page(
    request,
    batch: ImportBatch,
    form,
    *,
    access,
    may_confirm: bool,
    is_manager: bool,
    confirm_url: str,
    back_url: str,
) -> HttpResponse:
    """An import's preview or record, with the confirm form when it may be stored."""
    conflicts = batch.summary.get("conflicts", [])
    may_confirm = batch.status == ImportBatch.Status.PREVIEWED and may_confirm
    if may_confirm and form is None:
        form = ImportConfirmForm(has_conflicts=bool(conflicts), is_manager=is_manager)
    if may_confirm:
        form.helper.form_action = confirm_url
    return render(
        request,
        "crimestats/imports/import_detail.html",
        {
            "access": access,
            "partnership": access.partnership if access else None,
            "is_manager": is_manager,
            "batch": batch,
            "summary": batch.summary,
            "conflicts": conflicts,
            "form": form if may_confirm else None,
            "template": f"crimestats/imports/_{batch.format}.html",
            "back_url": back_url,
        },
        status=200 if form is None or not form.is_bound else 400,
    )


@login_required
@require_POST
def import_confirm(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    batch = _batch_for(access, pk)
    if batch.format == ImportBatch.Format.TEMPLATE:
        return _template_batch_page(slug, batch)
    access = partnership_access(request.user, slug, ROLE_FOR_FORMAT[batch.format])
    conflicts = batch.summary.get("conflicts", [])
    form = ImportConfirmForm(
        request.POST, has_conflicts=bool(conflicts), is_manager=access.is_manager
    )
    if not form.is_valid():
        return _render_detail(request, access, batch, form)
    _commit(request, batch, form, allow_approved_changes=bool(conflicts))
    return redirect("crimestats:import_detail", slug=slug, pk=pk)


def _commit(request, batch: ImportBatch, form, *, allow_approved_changes: bool) -> None:
    """Store a previewed import and say what happened (or why it was refused)."""
    try:
        batch = import_commit(
            batch=batch,
            user=request.user,
            reason=form.cleaned_data.get("reason", ""),
            allow_approved_changes=allow_approved_changes,
        )
    except ApprovedFigureConflict as exc:
        # Figures were approved after the preview: show them and ask again.
        batch.summary = {**batch.summary, "conflicts": conflict_rows_from(exc.conflicts)}
        batch.save(update_fields=["summary"])
        messages.error(
            request,
            "Figures in this import were approved after the preview: nothing was stored. "
            "Check the approved figures below.",
        )
        return
    except ImportNotAllowed as exc:
        messages.error(request, str(exc))
        return
    if batch.status == ImportBatch.Status.UNCHANGED:
        messages.success(
            request, "Import complete: everything in it was already stored, so nothing changed."
        )
    else:
        stored = batch.summary["stored"]
        figures = (
            f": {stored['created']:,} figures added and {stored['updated']:,} changed"
            if stored["created"] or stored["updated"]
            else ""
        )
        messages.success(request, f"Import stored{figures}.")


# --- site-level imports: the ONS workbook and lookup, by a site administrator ------

SITE_PAGES = {slug: UPLOAD_PAGES[slug] for slug in ("ons-tables", "ons-lookup")}


def _site_admin(request: AuthenticatedRequest) -> None:
    """Site-level imports are a site administrator's: anyone else gets 404, as for a
    partnership they do not belong to."""
    if not request.user.is_superuser:
        raise Http404("No such page.")


def _site_batch(pk: int) -> ImportBatch:
    return get_object_or_404(
        ImportBatch.objects.select_related("imported_by"),
        pk=pk,
        partnership__isnull=True,
        format__in=[page.format for page in SITE_PAGES.values()],
    )


def _site_detail(request, batch: ImportBatch, form) -> HttpResponse:
    return _detail_page(
        request,
        batch,
        form,
        access=None,
        may_confirm=True,
        is_manager=True,
        confirm_url=reverse("site_imports:import_confirm", args=[batch.pk]),
        back_url=reverse("site_imports:import_list"),
    )


@login_required
@require_GET
def site_import_list(request: AuthenticatedRequest) -> HttpResponse:
    _site_admin(request)
    batches = (
        ImportBatch.objects.filter(
            partnership__isnull=True, format__in=[p.format for p in SITE_PAGES.values()]
        )
        .select_related("imported_by")
        .order_by("-created_at")[:50]
    )
    return render(
        request,
        "crimestats/imports/site_import_list.html",
        {"batches": batches, "pages": SITE_PAGES.values()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def site_import_upload(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    _site_admin(request)
    page = SITE_PAGES.get(kind)
    if page is None:
        raise Http404("No such import.")
    form = _upload_form(page, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch, _parsed = import_preview(
            format=page.format, sources=form.sources(), partnership=None, user=request.user
        )
        return redirect("site_imports:import_detail", pk=batch.pk)
    return render(
        request,
        "crimestats/imports/import_upload.html",
        {
            "access": None,
            "partnership": None,
            "form": form,
            "page": page,
            "back_url": reverse("site_imports:import_list"),
        },
    )


@login_required
@require_GET
def site_import_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _site_admin(request)
    return _site_detail(request, _site_batch(pk), None)


@login_required
@require_POST
def site_import_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _site_admin(request)
    batch = _site_batch(pk)
    conflicts = batch.summary.get("conflicts", [])
    form = ImportConfirmForm(request.POST, has_conflicts=bool(conflicts), is_manager=True)
    if not form.is_valid():
        return _site_detail(request, batch, form)
    _commit(request, batch, form, allow_approved_changes=bool(conflicts))
    batch.refresh_from_db(fields=["status"])
    stored = batch.status in (ImportBatch.Status.STORED, ImportBatch.Status.UNCHANGED)
    if stored and batch.format == Format.ONS_PFA_TABLES:
        # The ONS list is what setting up a partnership chooses from: go on to it.
        return redirect("onboarding:set_up_search")
    return redirect("site_imports:import_detail", pk=pk)
