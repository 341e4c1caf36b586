"""The user's notifications and email preferences, and a partnership's email log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedRequest
from notifications import selectors, services
from notifications.forms import EmailPreferenceForm
from partnerships.models import Role
from partnerships.selectors import partnership_access


@login_required
@require_GET
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    """The signed-in user's notifications, newest first."""
    page = selectors.notifications_page(request.user, request.GET.get("page", 1))
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_read_all(request: AuthenticatedRequest) -> HttpResponse:
    count = services.notifications_mark_read(user=request.user, now=timezone.now())
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notifications:notification_list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    """Which emails the user gets, and how often."""
    data = request.POST if request.method == "POST" else None
    form = EmailPreferenceForm(data, instance=selectors.email_preference_for(request.user))
    if request.method == "POST" and form.is_valid():
        services.email_preference_set(preference=form.save(commit=False))
        messages.success(request, "Email preferences saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
@require_GET
def delivery_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """For managers: which emails went to whom and when."""
    access = partnership_access(request.user, slug, Role.MANAGER)
    page = selectors.delivery_log(access.partnership, request.GET.get("page", 1))
    return render(
        request,
        "notifications/delivery_list.html",
        {"access": access, "partnership": access.partnership, "page": page},
    )
