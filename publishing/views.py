"""The public pages (no sign-in) and the manager's publishing pages.

A public page is rendered as anyone sees it, whoever asks: the template gets an
anonymous user and no messages, so the same HTML can be cached for everyone. The
cache key carries the published version's number, so a publish shows at once (the
number moves on) and an edit never does (the content was built when publishing)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedRequest
from cspportal.lib.downloads import table_response
from meetings import ical
from partnerships.models import Role
from partnerships.selectors import partnership_access
from publishing import content, selectors, services
from publishing.forms import STALE, PublicPagesForm, PublishForm

PAGE_TIMEOUT = selectors.CONTENT_TIMEOUT


def _public_context(**values: Any) -> dict[str, Any]:
    # The page as the public sees it: no sign-out button, no partnership switcher,
    # no messages meant for the person asking.
    return {"user": AnonymousUser(), "messages": [], **values}


def _nav(
    slug: str, base: str, current: str, *, preview: bool = False, case_reviews: bool = False
) -> list[tuple]:
    found = []
    for key, title, frozen in content.SECTIONS:
        if frozen:
            url = base if key == "profile" else f"{base}{key}/"
        elif preview:
            url = reverse("publishing:preview_meetings", args=[slug])
        else:
            url = reverse("publishing:meetings", args=[slug])
        found.append((title, url, key == current))
    if case_reviews:
        # The ASB case review publication: its own page, live, published by the year.
        found.append(("ASB case reviews", reverse("public:case_reviews", args=[slug]), False))
    return found


def _frozen_html(
    slug: str,
    built: dict[str, Any],
    page: str,
    *,
    base: str,
    is_latest: bool,
    preview: bool = False,
    case_reviews: bool = False,
) -> str:
    found = built["pages"].get(page)
    if found is None:
        raise Http404("No such page.")
    version = None
    if not preview:
        version = {
            "number": built["number"],
            "published_at": datetime.fromisoformat(built["published_at"]),
            "period_label": built["period_label"],
        }
    return render_to_string(
        "publishing/public_page.html",
        _public_context(
            slug=slug,
            partnership_name=built["partnership"],
            title=found["title"],
            html=found["html"],
            charts=found["charts"],
            nav=_nav(slug, base, page, preview=preview, case_reviews=case_reviews),
            version=version,
            is_latest=is_latest,
            preview=preview,
            versions_url=reverse("publishing:versions", args=[slug]),
            latest_url=reverse("publishing:profile", args=[slug]),
        ),
    )


def _cached(key: str, make: Callable[[], str]) -> HttpResponse:
    html = cache.get(key)
    if html is None:
        html = make()
        cache.set(key, html, PAGE_TIMEOUT)
    return HttpResponse(html)


def _csv(built: dict[str, Any], page: str, table: str, filename: str) -> HttpResponse:
    key = f"{page}/{table}"
    found = built["tables"].get(key)
    if found is None:
        raise Http404("No such table.")
    return table_response(
        filename=filename,
        fmt="csv",
        headers=found["headers"],
        rows=found["rows"],
        preamble=content.csv_preamble(content.table_source(built, key), built["as_at"]),
    )


# --- the public pages ------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Every partnership that publishes, live: a partnership turned off leaves at once."""
    return render(
        request,
        "publishing/index.html",
        _public_context(partnerships=selectors.published_partnerships()),
    )


def _page(slug: str, page: str, number: int | None) -> HttpResponse:
    found = selectors.public_partnership(slug)
    shown = found.latest if number is None else number
    if shown > found.latest or shown < 1:
        raise Http404("No such version.")
    is_latest = shown == found.latest
    # The latest address links to the latest pages; a numbered one stays in its version.
    base = (
        reverse("publishing:profile", args=[slug])
        if number is None
        else reverse("publishing:version_profile", args=[slug, shown])
    )
    where = "latest" if number is None else "numbered"
    # The number is in the key: a publish moves it on, so the new version shows at once.
    key = f"publishing:page:{found.id}:{shown}:{page}:{where}:{is_latest}:{found.case_reviews}"

    def make() -> str:
        built = selectors.version_content(found.id, shown)
        return _frozen_html(
            slug, built, page, base=base, is_latest=is_latest, case_reviews=found.case_reviews
        )

    return _cached(key, make)


@require_GET
def public_page(request: HttpRequest, slug: str, page: str) -> HttpResponse:
    """A frozen page of the latest published version."""
    return _page(slug, page, None)


@require_GET
def version_page(request: HttpRequest, slug: str, number: int, page: str) -> HttpResponse:
    """A frozen page of one published version, at its stable address."""
    return _page(slug, page, number)


def _table(slug: str, page: str, table: str, number: int | None) -> HttpResponse:
    found = selectors.public_partnership(slug)
    shown = found.latest if number is None else number
    if shown > found.latest or shown < 1:
        raise Http404("No such version.")
    built = selectors.version_content(found.id, shown)
    return _csv(built, page, table, f"{slug}-v{shown}-{page}-{table}")


@require_GET
def public_table(request: HttpRequest, slug: str, page: str, table: str) -> HttpResponse:
    return _table(slug, page, table, None)


@require_GET
def version_table(
    request: HttpRequest, slug: str, number: int, page: str, table: str
) -> HttpResponse:
    return _table(slug, page, table, number)


@require_GET
def versions(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.public_partnership(slug)
    return render(
        request,
        "publishing/versions.html",
        _public_context(
            slug=slug,
            partnership_name=found.name,
            title="Published versions",
            nav=_nav(
                slug,
                reverse("publishing:profile", args=[slug]),
                "",
                case_reviews=found.case_reviews,
            ),
            versions=selectors.versions(found.id),
        ),
    )


def _meetings_html(
    request: HttpRequest,
    slug: str,
    *,
    preview: bool,
    name: str,
    pid: int,
    case_reviews: bool = False,
) -> str:
    meetings = selectors.upcoming_public_meetings(pid, as_of=timezone.localdate())
    table = content.meeting_table(meetings)
    base = (
        reverse("publishing:preview_profile", args=[slug])
        if preview
        else reverse("publishing:profile", args=[slug])
    )
    fragment = render_to_string(
        "publishing/fragments/meetings.html",
        {
            "tables": [table],
            "public_downloads": True,
            "csv_prefix": "",
            "calendar_url": reverse("publishing:calendar", args=[slug]),
        },
    )
    return render_to_string(
        "publishing/public_page.html",
        _public_context(
            slug=slug,
            partnership_name=name,
            title=content.TITLES["meetings"],
            html=fragment,
            charts=False,
            nav=_nav(slug, base, "meetings", preview=preview, case_reviews=case_reviews),
            live=True,
            preview=preview,
        ),
        request=request,
    )


@require_GET
def meetings(request: HttpRequest, slug: str) -> HttpResponse:
    """The upcoming public meetings, live (a schedule is not a figure)."""
    found = selectors.public_partnership(slug)
    return HttpResponse(
        _meetings_html(
            request,
            slug,
            preview=False,
            name=found.name,
            pid=found.id,
            case_reviews=found.case_reviews,
        )
    )


@require_GET
def meetings_table(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.public_partnership(slug)
    meetings = selectors.upcoming_public_meetings(found.id, as_of=timezone.localdate())
    table = content.meeting_table(meetings)
    data = content.table_data(table)
    today = timezone.localdate()
    return table_response(
        filename=f"{slug}-upcoming-meetings",
        fmt="csv",
        headers=data["headers"],
        rows=data["rows"],
        preamble=content.csv_preamble(
            f"{found.name}, public pages: upcoming public meetings", today.isoformat()
        ),
    )


@require_GET
def calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The upcoming public meetings as an iCalendar feed, to subscribe to."""
    found = selectors.public_partnership(slug)
    meetings = selectors.upcoming_public_meetings(found.id, as_of=timezone.localdate())
    page_url = request.build_absolute_uri(reverse("publishing:meetings", args=[slug]))
    text = ical.calendar(
        meetings,
        name=f"{found.name} public meetings",
        domain=request.get_host().split(":")[0] or "cspportal",
        now=timezone.now(),
        meeting_url=lambda meeting: page_url,
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slug}-public-meetings.ics"'
    return response


# --- the manager's pages ---------------------------------------------------------------


def _switch_form(slug: str, *args: Any, **kwargs: Any) -> PublicPagesForm:
    form = PublicPagesForm(*args, **kwargs)
    form.helper.form_action = reverse("publishing:switch", args=[slug])
    return form


def _manage_context(access, **values: Any) -> dict[str, Any]:
    partnership = access.partnership
    return {
        "access": access,
        "partnership": partnership,
        "is_on": selectors.public_pages_on(partnership),
        "latest": selectors.latest_number(partnership),
        "versions": selectors.versions(partnership.pk),
        **values,
    }


@login_required
@require_GET
def manage(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.MANAGER)
    context = _manage_context(access)
    context["switch_form"] = _switch_form(
        slug, initial={"is_on": "yes" if context["is_on"] else "no"}
    )
    context["publish_form"] = PublishForm(initial={"latest": context["latest"]})
    return render(request, "publishing/manage.html", context)


@login_required
@require_POST
def switch(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.MANAGER)
    form = _switch_form(slug, request.POST)
    if not form.is_valid():
        context = _manage_context(access, switch_form=form)
        context["publish_form"] = PublishForm(initial={"latest": context["latest"]})
        return render(request, "publishing/manage.html", context, status=400)
    is_on = form.cleaned_data["is_on"]
    services.public_pages_set(partnership=access.partnership, is_on=is_on, user=request.user)
    messages.success(request, "Public pages are on." if is_on else "Public pages are off.")
    return redirect("publishing:manage", slug=slug)


@login_required
@require_POST
def publish(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.MANAGER)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            version = services.version_publish(
                partnership=access.partnership,
                user=request.user,
                expected_latest=form.cleaned_data["latest"],
            )
        except services.StaleVersion as error:
            form.add_error("latest", error.messages[0])
        else:
            messages.success(request, f"Version {version.number} is published.")
            return redirect("publishing:manage", slug=slug)
    context = _manage_context(access, publish_form=form)
    context["switch_form"] = _switch_form(
        slug, initial={"is_on": "yes" if context["is_on"] else "no"}
    )
    context["publish_error"] = form.errors.get("latest", [STALE])[0]
    return render(request, "publishing/manage.html", context, status=400)


@login_required
@require_GET
def preview(request: AuthenticatedRequest, slug: str, page: str) -> HttpResponse:
    """What publishing now would show, built exactly as a publish builds it."""
    access = partnership_access(request.user, slug, Role.MANAGER)
    built = content.build(access.partnership, as_at=timezone.localdate())
    base = reverse("publishing:preview_profile", args=[slug])
    return HttpResponse(
        _frozen_html(
            slug,
            built,
            page,
            base=base,
            is_latest=True,
            preview=True,
            case_reviews=selectors.has_case_reviews(access.partnership.pk),
        )
    )


@login_required
@require_GET
def preview_table(request: AuthenticatedRequest, slug: str, page: str, table: str) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.MANAGER)
    built = content.build(access.partnership, as_at=timezone.localdate())
    return _csv(built, page, table, f"{slug}-preview-{page}-{table}")


@login_required
@require_GET
def preview_meetings(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.MANAGER)
    partnership = access.partnership
    return HttpResponse(
        _meetings_html(
            request,
            slug,
            preview=True,
            name=partnership.name,
            pid=partnership.pk,
            case_reviews=selectors.has_case_reviews(partnership.pk),
        )
    )
