"""Case review register pages. Editors of the council and police record; managers set
the timescales and publish; viewers see the figures only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedRequest
from casereviews import exports, selectors, services
from casereviews.forms import (
    NO_PERSONAL_DATA,
    ApplicationForm,
    MakeActionForm,
    PublishForm,
    RecommendationForm,
    SettingsForm,
    ShowForm,
    YearEndingForm,
)
from casereviews.models import CaseReviewApplication, CaseReviewPublication, Recommendation, YesNo
from cspportal.lib.formats import uk_date
from cspportal.lib.periods import financial_year_label, financial_year_of, month_label
from cspportal.lib.versioning import VersionedEdit
from partnerships.models import Partnership, Role
from partnerships.selectors import PartnershipAccess, partnership_access


def page_context(access: PartnershipAccess, **extra) -> dict:
    return {
        "access": access,
        "partnership": access.partnership,
        "may_record": selectors.may_record(access),
        **extra,
    }


def _recorder(request: AuthenticatedRequest, slug: str) -> PartnershipAccess:
    """The access of someone who may see and edit the register's entries (else 403;
    404 for a partnership they cannot see)."""
    access = partnership_access(request.user, slug)
    if not selectors.may_record(access):
        raise PermissionDenied(
            "Only editors of the council or the police record ASB case review applications."
        )
    return access


@login_required
@require_GET
def register(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = _recorder(request, slug)
    form = ShowForm(request.GET or None)
    show = form.chosen()
    today = timezone.localdate()
    found = selectors.register(access.partnership, show=show, today=today)
    return render(
        request,
        "casereviews/register.html",
        page_context(
            access,
            register=found,
            show=show,
            show_labels=selectors.SHOW_LABELS,
            show_label=selectors.SHOW_LABELS[show],
            today=today,
            form=form,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = _recorder(request, slug)
    case_settings = selectors.settings_for(access.partnership)
    application = CaseReviewApplication(partnership=access.partnership)
    initial = {
        "threshold_used": case_settings.threshold_text,
        "receiving_organisation": access.organisation.pk if access.organisation else None,
    }
    return _application_form(
        request, access, application, "Record an ASB case review application", initial
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_update(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = _recorder(request, slug)
    application = selectors.application_get(access.partnership, pk)
    return _application_form(
        request, access, application, f"Change application {application.reference}", None
    )


def _application_form(
    request: AuthenticatedRequest,
    access: PartnershipAccess,
    application: CaseReviewApplication,
    title: str,
    initial: dict | None,
) -> HttpResponse:
    form = ApplicationForm(
        request.POST or None,
        instance=application,
        partnership=access.partnership,
        initial=initial,
    )
    edit = VersionedEdit(form)
    if request.method == "POST" and edit.save(
        lambda version: services.application_save(
            application=form.instance, user=request.user, expected_version=version
        )
    ):
        messages.success(request, f"Application {form.instance.reference} saved.")
        return redirect(
            "casereviews:application_detail", slug=access.partnership.slug, pk=application.pk
        )
    back = (
        reverse("casereviews:application_detail", args=[access.partnership.slug, application.pk])
        if application.pk
        else reverse("casereviews:register", args=[access.partnership.slug])
    )
    return render(
        request,
        "casereviews/form.html",
        page_context(
            access,
            form=form,
            title=title,
            back_url=back,
            changes=edit.changes,
            warning=NO_PERSONAL_DATA,
        ),
    )


@login_required
@require_GET
def application_detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = _recorder(request, slug)
    application = selectors.application_get(access.partnership, pk)
    return _detail_page(request, access, application)


def _detail_page(
    request: AuthenticatedRequest,
    access: PartnershipAccess,
    application: CaseReviewApplication,
    refused: tuple[int, MakeActionForm] | None = None,
) -> HttpResponse:
    """The application's page; ``refused`` is a recommendation's "make it an action"
    form that was refused, shown with its errors."""
    today = timezone.localdate()
    rules = selectors.settings_for(access.partnership).timescales
    return render(
        request,
        "casereviews/application_detail.html",
        page_context(
            access,
            application=application,
            step=application.next_step(rules, today),
            recommendations=selectors.recommendations_of(application),
            action_form=MakeActionForm(partnership=access.partnership),
            refused_pk=refused[0] if refused else None,
            refused_form=refused[1] if refused else None,
            may_add=application.recommendations_made == YesNo.YES,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_create(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = _recorder(request, slug)
    application = selectors.application_get(access.partnership, pk)
    recommendation = Recommendation(application=application)
    form = RecommendationForm(
        request.POST or None, instance=recommendation, partnership=access.partnership
    )
    edit = VersionedEdit(form)
    if request.method == "POST" and edit.save(
        lambda version: services.recommendation_save(recommendation=form.instance)
    ):
        messages.success(request, f"Recommendation added to {application.reference}.")
        return redirect("casereviews:application_detail", slug=slug, pk=application.pk)
    back = reverse("casereviews:application_detail", args=[slug, application.pk])
    return render(
        request,
        "casereviews/form.html",
        page_context(
            access,
            form=form,
            title=f"Add a recommendation of {application.reference}",
            back_url=back,
            warning=NO_PERSONAL_DATA,
        ),
    )


@login_required
@require_POST
def recommendation_action(
    request: AuthenticatedRequest, slug: str, pk: int, recommendation_pk: int
) -> HttpResponse:
    """Make the recommendation an action-plan action, with one button."""
    access = _recorder(request, slug)
    application = selectors.application_get(access.partnership, pk)
    recommendation = selectors.recommendation_get(application, recommendation_pk)
    form = MakeActionForm(request.POST, partnership=access.partnership)
    if form.is_valid():
        try:
            action = services.recommendation_action_create(
                recommendation=recommendation, objective=form.cleaned_data["objective"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Action created on the action plan: {action.title}.")
            return redirect("casereviews:application_detail", slug=slug, pk=application.pk)
    return _detail_page(request, access, application, (recommendation.pk, form))


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.MANAGER)
    form = SettingsForm(request.POST or None, instance=selectors.settings_for(access.partnership))
    edit = VersionedEdit(form)
    if request.method == "POST" and edit.save(
        lambda version: services.settings_save(
            case_settings=form.instance, expected_version=version
        )
    ):
        messages.success(request, "Case review timescales and threshold saved.")
        return redirect("casereviews:figures", slug=slug)
    return render(
        request,
        "casereviews/form.html",
        page_context(
            access,
            form=form,
            title="Case review timescales and threshold",
            back_url=reverse("casereviews:figures", args=[slug]),
            changes=edit.changes,
        ),
    )


@login_required
@require_GET
def figures(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The four statutory figures by financial year and for any 12 months: what every
    role may see, viewers included."""
    access = partnership_access(request.user, slug)
    return _figures_page(request, access)


def _figures_page(
    request: AuthenticatedRequest,
    access: PartnershipAccess,
    publish_form: PublishForm | None = None,
) -> HttpResponse:
    """The figures page; ``publish_form`` is a refused publication, shown with its errors."""
    today = timezone.localdate()
    years = selectors.figures_by_year(access.partnership, today)
    period_form = YearEndingForm(request.GET or None, today=today)
    start, end = period_form.period()
    period_label = f"{month_label(start)} to {month_label(end)}"
    published = selectors.latest_publications(access.partnership)
    return render(
        request,
        "casereviews/figures.html",
        page_context(
            access,
            year_rows=[(y.period.label, y.figures) for y in years],
            period_form=period_form,
            period_value=f"{end:%Y-%m}",
            period_caption=f"The four figures for {period_label}",
            period_rows=[(period_label, selectors.figures_for(access.partnership, start, end))],
            published=[
                (
                    f"{financial_year_label(p.financial_year)}, published "
                    f"{uk_date(timezone.localdate(p.published_at))}",
                    p,
                )
                for p in published
            ],
            publish_form=publish_form or PublishForm(years=_publishable(years, today)),
            case_settings=selectors.settings_for(access.partnership),
            today=today,
        ),
    )


def _publishable(years: list[selectors.YearFigures], today) -> list[int]:
    current = financial_year_of(today)
    return [y.period.financial_year for y in years if y.period.financial_year <= current]


@login_required
@require_GET
def figures_download(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = partnership_access(request.user, slug)
    today = timezone.localdate()
    years = selectors.figures_by_year(access.partnership, today)
    return exports.figures_response(
        partnership=access.partnership,
        rows=[(y.period.financial_year, y.figures) for y in years],
        as_at=today,
        note="Counted from the register (not yet published)",
    )


@login_required
@require_POST
def publish(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.MANAGER)
    today = timezone.localdate()
    years = selectors.figures_by_year(access.partnership, today)
    form = PublishForm(request.POST, years=_publishable(years, today))
    if form.is_valid():
        publication = services.publication_publish(
            partnership=access.partnership,
            financial_year_start=form.cleaned_data["financial_year"],
            user=request.user,
        )
        messages.success(
            request, f"Published the case review figures of {exports.year_label(publication)}."
        )
        return redirect("casereviews:figures", slug=slug)
    return _figures_page(request, access, form)


# The public pages: no sign-in, published years only.


def _published(slug: str) -> tuple[Partnership, list[CaseReviewPublication]]:
    partnership = Partnership.objects.filter(slug=slug, is_reference=False).first()
    if partnership is None:
        raise Http404("No such partnership.")
    publications = selectors.latest_publications(partnership)
    if not publications:
        raise Http404("This partnership has published no case review figures.")
    return partnership, publications


@require_GET
def public_page(request, slug: str) -> HttpResponse:
    partnership, publications = _published(slug)
    return render(
        request,
        "casereviews/public.html",
        {
            "public_partnership": partnership,
            "rows": [(financial_year_label(p.financial_year), p) for p in publications],
            "latest": max(publications, key=lambda p: p.published_at),
            "as_at": max(p.published_at for p in publications),
        },
    )


@require_GET
def public_download(request, slug: str) -> HttpResponse:
    partnership, publications = _published(slug)
    return exports.figures_response(
        partnership=partnership,
        rows=[(p.financial_year, p) for p in publications],
        as_at=timezone.localdate(max(p.published_at for p in publications)),
        note="Published",
    )
