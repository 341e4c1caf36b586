"""Project-wide pages that belong to no one app."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from partnerships.selectors import partnership_roles_for_user


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Where signing in lands: a user of one partnership goes straight to it; anyone
    with more chooses on "My partnerships" (a site administrator has them all)."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    slugs = {role.partnership.slug for role in partnership_roles_for_user(request.user)}
    if len(slugs) == 1:
        return redirect("partnerships:partnership_detail", slug=slugs.pop())
    return redirect("partnerships:partnership_list")


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")
