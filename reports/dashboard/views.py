"""Dashboard pages: the partnership dashboard, a measure's page, their downloads and
a manager's peer groups. Views stay thin: access -> form -> selectors -> tables."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from crimestats.models import PeerGroup
from cspportal.lib.downloads import FORMATS, table_response
from cspportal.lib.periods import PERIOD_KIND_LABELS, PeriodKind
from partnerships.models import Role
from partnerships.selectors import PartnershipAccess, partnership_access
from reports.dashboard import narrative, selectors, services, tables
from reports.dashboard.forms import PERIOD_HINTS, PeerGroupForm, PeriodForm


@dataclass
class DashboardPage:
    access: PartnershipAccess
    form: PeriodForm
    data: selectors.DashboardData | None
    query: str


def _dashboard_page(request: HttpRequest, slug: str) -> DashboardPage:
    access = partnership_access(request.user, slug, Role.VIEWER)
    catalogue = selectors.dashboard_catalogue(access.partnership)
    found = catalogue.data_range
    bound = "period" in request.GET or "month" in request.GET
    period = selectors.default_period(found)
    initial = {
        "period": period.kind.value if period else PeriodKind.FYTD.value,
        "month": f"{period.end:%Y-%m}" if period else "",
    }
    form = PeriodForm(request.GET if bound else None, initial=initial, months=found.months)
    if bound and form.is_valid():
        period = form.chosen_period
    data = (
        selectors.dashboard_data(access.partnership, period, catalogue=catalogue)
        if period is not None
        else None
    )
    query = request.GET.urlencode() if bound and form.is_valid() else ""
    return DashboardPage(access, form, data, query)


def _measure_url(slug: str, query: str):
    def url_for(measure: selectors.MeasureInfo) -> str:
        url = reverse("reports:measure_detail", args=[slug, measure.code])
        return f"{url}?{query}" if query else url

    return url_for


def _dashboard_tables(page: DashboardPage, slug: str) -> dict:
    data = page.data
    url_for = _measure_url(slug, page.query)
    sections = []
    for code, title, _ in selectors.SECTIONS:
        table = tables.comparison_table(data, code, url_for)
        if table is None:
            continue
        measures = [m for m in data.measures if m.section == code]
        charts = []
        chosen = measures if code == "partnership" else measures[:1]
        for m in chosen:
            chart = tables.trend_chart(data, m)
            if chart is not None:
                charts.append((chart, tables.chart_table(chart)))
        if code == "crime" and measures:
            chart = tables.area_chart(data, measures[0])
            if chart is not None:
                charts.append((chart, tables.chart_table(chart)))
        rows = {r["measure"]: r for r in data.comparison.to_dict("records")}
        sentences = [narrative.headline(m, rows[m.code], data.period) for m in measures]
        sections.append(
            {"code": code, "title": title, "table": table, "charts": charts, "sentences": sentences}
        )
    return {
        "sections": sections,
        "area_table": tables.area_table(data, url_for),
        "completeness": tables.completeness_table(data),
        "notes": narrative.comparison_notes(data),
    }


@login_required
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    page = _dashboard_page(request, slug)
    context = {
        "access": page.access,
        "partnership": page.access.partnership,
        "form": page.form,
        "data": page.data,
        "query": page.query,
        "period_hints": [(PERIOD_KIND_LABELS[k], h) for k, h in PERIOD_HINTS.items()],
    }
    if page.data is not None:
        context.update(_dashboard_tables(page, slug))
        context["months_label"] = tables.months_label(
            page.data.data_range.first_month, page.data.data_range.latest_month
        )
    return render(request, "reports/dashboard/dashboard.html", context)


def _find_table(found: dict, table_id: str) -> tables.Table:
    candidates = [s["table"] for s in found.get("sections", [])]
    candidates += [t for s in found.get("sections", []) for _, t in s["charts"]]
    candidates += [found.get("area_table"), found.get("completeness")]
    candidates += found.get("extra_tables", [])
    for table in candidates:
        if table is not None and table.id == table_id:
            return table
    raise Http404("No such table.")


def _download(table: tables.Table, slug: str, fmt: str, period_label: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Downloads are CSV or XLSX.")
    return table_response(
        filename=f"{slug}-{table.id}",
        fmt=fmt,
        headers=[*table.headers, "Period"],
        rows=[[*row, period_label] for row in table.download_rows()],
    )


@login_required
@require_GET
def dashboard_download(request: HttpRequest, slug: str, table: str, fmt: str) -> HttpResponse:
    page = _dashboard_page(request, slug)
    if page.data is None:
        raise Http404("No figures yet.")
    found = _dashboard_tables(page, slug)
    return _download(_find_table(found, table), slug, fmt, page.data.period.comparison_label())


def _measure_page(request: HttpRequest, slug: str, code: str) -> tuple[DashboardPage, dict]:
    page = _dashboard_page(request, slug)
    data = page.data
    if data is None:
        raise Http404("No figures yet.")
    measure = data.measure_by_code.get(code)
    if measure is None:
        raise Http404("This partnership has no figures for that measure.")
    url_for = _measure_url(slug, page.query)
    row = next(r for r in data.comparison.to_dict("records") if r["measure"] == code)
    section_table = tables.comparison_table(data, measure.section, url_for)
    section_table.rows = [
        r
        for r, m in zip(
            section_table.rows,
            [m for m in data.measures if m.section == measure.section],
            strict=True,
        )
        if m.code == code
    ]
    section_table.id = "comparison"
    charts = []
    history = selectors.measure_history(
        data.partnership, measure, data.period, area_count=len(data.areas)
    )
    long_chart = tables.long_trend_chart(measure, history)
    if long_chart is not None:
        charts.append((long_chart, tables.chart_table(long_chart)))
    overlay = tables.trend_chart(data, measure)
    if overlay is not None:
        charts.append((overlay, tables.chart_table(overlay)))
    area_chart = tables.area_chart(data, measure)
    if area_chart is not None:
        charts.append((area_chart, tables.chart_table(area_chart)))
    groups = selectors.peer_groups(data.partnership)
    group = None
    group_id = request.GET.get("group", "")
    if group_id.isdigit():
        group = next((g for g in groups if g.pk == int(group_id)), None)
    elif groups:
        group = groups[0]
    peer_table = peer_chart = peer_window = None
    if group is not None:
        peer_window, peers = selectors.peer_figures(data.partnership, group, measure, data.period)
        peer_table = tables.peer_table(peers, measure, group, peer_window)
        peer_chart = tables.peer_chart(peers, measure, data.partnership.name, peer_window)
    extra = [section_table]
    if peer_table is not None:
        extra.append(peer_table)
    context = {
        "measure": measure,
        "row": row,
        "sentence": narrative.headline(measure, row, data.period),
        "comparison": section_table,
        "charts": charts,
        "area_table": tables.area_table(data, url_for, [measure]),
        "groups": groups,
        "group": group,
        "peer_table": peer_table,
        "peer_chart": (peer_chart, tables.chart_table(peer_chart)) if peer_chart else None,
        "peer_window": peer_window,
        "extra_tables": extra + ([tables.chart_table(peer_chart)] if peer_chart else []),
        "sections": [{"table": section_table, "charts": charts}],
    }
    return page, context


@login_required
@require_GET
def measure_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    page, context = _measure_page(request, slug, code)
    context.update(
        {
            "access": page.access,
            "partnership": page.access.partnership,
            "form": page.form,
            "data": page.data,
            "query": page.query,
            "notes": narrative.comparison_notes(page.data, only=context["measure"].code),
            "period_hints": [(PERIOD_KIND_LABELS[k], h) for k, h in PERIOD_HINTS.items()],
        }
    )
    return render(request, "reports/dashboard/measure_detail.html", context)


@login_required
@require_GET
def measure_download(
    request: HttpRequest, slug: str, code: str, table: str, fmt: str
) -> HttpResponse:
    page, context = _measure_page(request, slug, code)
    return _download(_find_table(context, table), slug, fmt, page.data.period.comparison_label())


# --- peer groups ------------------------------------------------------------------


@login_required
@require_GET
def peer_group_list(request: HttpRequest, slug: str) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.VIEWER)
    groups = selectors.peer_groups(access.partnership)
    return render(
        request,
        "reports/dashboard/peer_group_list.html",
        {"access": access, "partnership": access.partnership, "groups": groups},
    )


@login_required
@require_http_methods(["GET", "POST"])
def peer_group_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
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
