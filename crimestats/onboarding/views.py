"""Set up a partnership: search the ONS list, check what it holds, confirm."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedRequest
from crimestats.importers.views import SITE_PAGES, upload_form_for
from crimestats.onboarding import selectors
from partnerships import services
from partnerships.forms import ReferenceSearchForm, SetUpForm
from partnerships.models import Partnership


def _require_site_admin(request: AuthenticatedRequest) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied("Only a site administrator can set up a partnership.")


@login_required
@require_GET
def set_up_search(request: AuthenticatedRequest) -> HttpResponse:
    _require_site_admin(request)
    form = ReferenceSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = selectors.reference_search(query)
    if len(results) == 1 and results[0].gss_code.casefold() == query.strip().casefold():
        # A whole GSS code names one partnership: straight on to checking it.
        return redirect("onboarding:set_up_confirm", slug=results[0].slug)
    references_exist = selectors.references_exist()
    ons = SITE_PAGES["ons-tables"]
    return render(
        request,
        "partnerships/set_up_search.html",
        {
            "form": form,
            "query": query,
            "results": results,
            "references_exist": references_exist,
            "limit": selectors.SEARCH_LIMIT,
            "ons_form": None
            if references_exist
            else upload_form_for(
                ons, action=reverse("site_imports:import_upload", args=[ons.slug])
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def set_up_confirm(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    _require_site_admin(request)
    partnership = get_object_or_404(Partnership, slug=slug)
    if not partnership.is_reference:
        return render(
            request,
            "partnerships/set_up_done_already.html",
            {"partnership": partnership, "message": str(services.AlreadySetUp(partnership))},
            status=409 if request.method == "POST" else 200,
        )
    preview = selectors.set_up_preview(partnership)
    form = SetUpForm(
        request.POST or None,
        initial={
            "lead_council": preview.suggested_lead_council,
            "manager_email": request.user.email,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.partnership_set_up(
                partnership=partnership,
                local_authorities=preview.local_authorities,
                lead_council_name=form.cleaned_data["lead_council"],
                manager_email=form.cleaned_data["manager_email"],
                set_up_by=request.user,
                site_url=request.build_absolute_uri("/"),
            )
        except services.AlreadySetUp as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error("manager_email", exc.messages)
        else:
            manager = outcome.manager
            who = (
                f" An invitation has been sent to {manager.role.user.email}."
                if manager and manager.invited
                else ""
            )
            messages.success(request, f"{partnership.name} is set up.{who}")
            return redirect("partnerships:partnership_detail", slug=partnership.slug)
    return render(
        request,
        "partnerships/set_up_confirm.html",
        {"form": form, "preview": preview, "partnership": partnership},
    )
