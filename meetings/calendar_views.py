"""The meetings calendar: a download for people signed in, and a secret-address feed
for calendar apps, which cannot sign in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedRequest
from meetings import ical, selectors, services
from meetings.models import CalendarFeed
from meetings.views import page_context
from partnerships.selectors import partnership_access


def _calendar_response(request: HttpRequest, partnership, meetings) -> HttpResponse:
    text = ical.calendar(
        meetings,
        name=f"{partnership.name} meetings",
        domain=request.get_host().split(":")[0] or "cspportal",
        now=timezone.now(),
        meeting_url=lambda m: request.build_absolute_uri(
            reverse("meetings:meeting_detail", args=[partnership.slug, m.pk])
        ),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{partnership.slug}-meetings.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@require_GET
def meeting_calendar(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The iCalendar file, for people signed in (a one-off download or import)."""
    access = partnership_access(request.user, slug)
    meetings = selectors.calendar_meetings(access.partnership, as_of=timezone.localdate())
    return _calendar_response(request, access.partnership, meetings)


@require_GET
def meeting_calendar_feed(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The same calendar at a secret address for calendar apps, which cannot sign in.
    The link's owner must still be active and hold a role in the partnership."""
    feed = (
        CalendarFeed.objects.filter(token=token, partnership__slug=slug)
        .select_related("user", "partnership")
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar.")
    access = partnership_access(feed.user, slug)
    meetings = selectors.calendar_meetings(access.partnership, as_of=timezone.localdate())
    return _calendar_response(request, access.partnership, meetings)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_subscribe(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Show the user's secret calendar address; posting makes a new one."""
    access = partnership_access(request.user, slug)
    if request.method == "POST":
        services.calendar_feed_renew(user=request.user, partnership=access.partnership)
        messages.success(
            request, "Your calendar address is ready. Any older address has stopped working."
        )
        return redirect("meetings:calendar_subscribe", slug=slug)
    feed = selectors.calendar_feed_for(request.user, access.partnership)
    feed_url = (
        request.build_absolute_uri(
            reverse("meetings:meeting_calendar_feed", args=[slug, feed.token])
        )
        if feed
        else ""
    )
    return render(
        request,
        "meetings/calendar_subscribe.html",
        page_context(access, feed=feed, feed_url=feed_url),
    )
