"""Dashboard pages: the partnership dashboard, a measure's page, their downloads and
a manager's peer groups. Views stay thin: access -> page (``reports.dashboard.pages``)
-> render, or one of the page's tables as a download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedRequest
from crimestats.models import PeerGroup
from cspportal.lib.downloads import FORMATS, table_response
from cspportal.lib.periods import PERIOD_KIND_LABELS
from partnerships.models import Role
from partnerships.selectors import partnership_access
from reports.dashboard import pages, selectors, services
from reports.dashboard.forms import PERIOD_HINTS, PeerGroupForm


def _render(request: HttpRequest, template: str, page: pages.PageBase) -> HttpResponse:
    context = page.context()
    context["period_hints"] = [(PERIOD_KIND_LABELS[k], h) for k, h in PERIOD_HINTS.items()]
    return render(request, template, context)


def _download(page: pages.PageBase, table_id: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Downloads are CSV or XLSX.")
    table = page.table(table_id)
    label = page.download_label
    return table_response(
        filename=f"{page.choice.access.partnership.slug}-{table.id}",
        fmt=fmt,
        headers=[*table.headers, "Period"],
        rows=[[*row, label] for row in table.download_rows()],
    )


@login_required
@require_GET
def dashboard(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.VIEWER)
    page = pages.dashboard_page(access, request.GET)
    return _render(request, "reports/dashboard/dashboard.html", page)


@login_required
@require_GET
def dashboard_download(
    request: AuthenticatedRequest, slug: str, table: str, fmt: str
) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.VIEWER)
    page = pages.dashboard_page(access, request.GET)
    if page.choice.data is None:
        raise Http404("No figures yet.")
    return _download(page, table, fmt)


@login_required
@require_GET
def measure_detail(request: AuthenticatedRequest, slug: str, code: str) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.VIEWER)
    page = pages.measure_page(access, request.GET, code)
    return _render(request, "reports/dashboard/measure_detail.html", page)


@login_required
@require_GET
def measure_download(
    request: AuthenticatedRequest, slug: str, code: str, table: str, fmt: str
) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.VIEWER)
    return _download(pages.measure_page(access, request.GET, code), table, fmt)


# --- peer groups ------------------------------------------------------------------


@login_required
@require_GET
def peer_group_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.VIEWER)
    groups = selectors.peer_groups(access.partnership)
    return render(
        request,
        "reports/dashboard/peer_group_list.html",
        {"access": access, "partnership": access.partnership, "groups": groups},
    )


@login_required
@require_http_methods(["GET", "POST"])
def peer_group_edit(
    request: AuthenticatedRequest, slug: str, pk: int | None = None
) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.MANAGER)
    group = None
    if pk is not None:
        group = get_object_or_404(PeerGroup, pk=pk, partnership=access.partnership)
    initial = {"name": group.name, "members": list(group.members.all())} if group else None
    form = PeerGroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.peer_group_save(
                partnership=access.partnership,
                group=group,
                name=form.cleaned_data["name"],
                members=list(form.cleaned_data["members"]),
                user=request.user,
            )
        except services.ValidationError as error:
            form.add_error("name", error.messages[0])
        else:
            messages.success(request, f"Peer group '{saved.name}' saved.")
            return redirect("reports:peer_group_list", slug=slug)
    title = f"Change peer group '{group.name}'" if group else "Add a peer group"
    return render(
        request,
        "reports/dashboard/peer_group_form.html",
        {"access": access, "partnership": access.partnership, "form": form, "title": title},
    )
