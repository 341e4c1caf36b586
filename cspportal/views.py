"""Project-wide pages that belong to no one app."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from partnerships.models import PartnershipRole


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Where signing in lands: a user of one partnership goes straight to it; anyone
    with more (or a site administrator) chooses on "My partnerships"."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if not user.is_superuser:
        slugs = list(
            PartnershipRole.objects.for_user(user)
            .filter(user=user)
            .values_list("partnership__slug", flat=True)
            .distinct()[:2]
        )
        if len(slugs) == 1:
            return redirect("partnerships:partnership_detail", slug=slugs[0])
    return redirect("partnerships:partnership_list")


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")
