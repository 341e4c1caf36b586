"""Writes to the case review register. Each validates first and runs in one
transaction; django-simple-history records who made the change (from the request).

Every change to an application writes the register's counts as the partnership's
quarterly figures of the community trigger measures (``figures_sync``), so that
dashboards and reports read them and nobody types them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actionplans.models import Action, Objective
from casereviews import figures, selectors
from casereviews.models import (
    CaseReviewApplication,
    CaseReviewPublication,
    CaseReviewSettings,
    Recommendation,
)
from crimestats.catalogue import CASE_REVIEW_MEASURES
from crimestats.models import Measure, Observation
from crimestats.services import ObservationInput, observations_upsert
from cspportal.lib.periods import PeriodType, financial_year, quarter, quarter_of
from cspportal.lib.versioning import next_version
from partnerships.models import Partnership

if TYPE_CHECKING:
    from accounts.models import User

# Which of the counted figures each register measure takes.
_MEASURE_FIGURE = {
    "community-trigger-applications": "applications",
    "community-trigger-thresholds-met": "thresholds_met",
    "community-trigger-thresholds-not-met": "thresholds_not_met",
    "community-trigger-reviews": "reviews",
    "community-trigger-reviews-with-recommendations": "reviews_with_recommendations",
}

SYNC_NOTE = "Counted from the ASB case review register"


@transaction.atomic
def settings_save(
    *, case_settings: CaseReviewSettings, expected_version: int | None = None
) -> CaseReviewSettings:
    """Create or update the partnership's timescales and threshold text."""
    case_settings.full_clean()
    if case_settings.pk is not None:
        case_settings.version = next_version(case_settings, expected_version)
    case_settings.save()
    return case_settings


@transaction.atomic
def application_save(
    *, application: CaseReviewApplication, user: User | None, expected_version: int | None = None
) -> CaseReviewApplication:
    """Create or update an application, then write the register's figures. An update
    refuses with ``EditConflict`` when the application moved on from
    ``expected_version``."""
    application.full_clean()
    if application.pk is not None:
        application.version = next_version(application, expected_version)
    application.save()
    figures_sync(partnership=application.partnership, user=user)
    return application


@transaction.atomic
def recommendation_save(
    *, recommendation: Recommendation, expected_version: int | None = None
) -> Recommendation:
    recommendation.full_clean()
    if recommendation.pk is not None:
        recommendation.version = next_version(recommendation, expected_version)
    recommendation.save()
    return recommendation


@transaction.atomic
def recommendation_action_create(
    *, recommendation: Recommendation, objective: Objective, due_date: date | None = None
) -> Action:
    """Make the recommendation an action of the partnership's action plan, led by the
    recommendation's owner, and link the two."""
    application = recommendation.application
    if recommendation.action_id is not None:
        raise ValidationError("This recommendation is already an action on the plan.")
    if objective.plan.partnership_id != application.partnership_id:
        raise ValidationError({"objective": "Choose an objective of this partnership's plans."})
    text = " ".join(recommendation.text.split())
    action = Action(
        objective=objective,
        title=text if len(text) <= 300 else text[:297].rstrip() + "...",
        description=(
            f"From a recommendation of ASB case review {application.reference}: "
            f"{recommendation.text}"
        ),
        lead_organisation=recommendation.owner,
        owner_name=f"Lead officer, {recommendation.owner.name}"[:200],
        due_date=due_date,
    )
    action.full_clean()
    action.save()
    recommendation.action = action
    recommendation.version = next_version(recommendation, None)
    recommendation.save(update_fields=["action", "version"])
    return action


def _quarter_starts(days: list[date]) -> set[date]:
    return {quarter(*quarter_of(day)).start for day in days}


def figures_sync(*, partnership: Partnership, user: User | None) -> int:
    """Write the register's counts as the partnership's figures of the community
    trigger measures, for each quarter from the first to the last the register
    touches (a quarter in between with nothing in it is a real 0), and for every
    quarter it wrote before (an application moved out of a quarter leaves a 0 there,
    not the old count). Figures that officers typed for other quarters stay as they
    are. Returns how many figures changed."""
    measures = dict(Measure.objects.filter(code__in=CASE_REVIEW_MEASURES).values_list("code", "id"))
    rows = selectors.register_dates(partnership)
    days = [d for row in rows for d in figures.event_days(row)]
    starts = _quarter_starts(days)
    if starts:
        first, last = min(starts), max(starts)
        fy, number = quarter_of(first)
        while True:
            period = quarter(fy, number)
            starts.add(period.start)
            if period.start >= last:
                break
            fy, number = (fy, number + 1) if number < 4 else (fy + 1, 1)
    written = Observation.objects.filter(
        partnership=partnership,
        measure_id__in=measures.values(),
        area__isnull=True,
        period_type=PeriodType.QUARTER,
        source=Observation.Source.CASE_REVIEWS,
    ).values_list("period_start", flat=True)
    starts.update(written)
    inputs = []
    for start in sorted(starts):
        period = quarter(*quarter_of(start))
        counted = figures.count(rows, period.start, period.end)
        for code, measure_id in measures.items():
            inputs.append(
                ObservationInput(
                    measure_id=measure_id,
                    area_id=None,
                    period_type=PeriodType.QUARTER,
                    period_start=period.start,
                    period_end=period.end,
                    value=Decimal(getattr(counted, _MEASURE_FIGURE[code])),
                    note=SYNC_NOTE,
                )
            )
    if not inputs:
        return 0
    # The register is the record: a quarter approved in a data return still follows
    # it, each change kept in the figure's history with this reason.
    result = observations_upsert(
        partnership=partnership,
        inputs=inputs,
        source=Observation.Source.CASE_REVIEWS,
        user=user,
        reason="Counted again from the ASB case review register",
        allow_approved_changes=True,
    )
    return result.created + result.updated


@transaction.atomic
def publication_publish(
    *, partnership: Partnership, financial_year_start: int, user: User
) -> CaseReviewPublication:
    """Freeze the four figures of a financial year, with the threshold and how to
    apply as they read today, for the public page."""
    period = financial_year(financial_year_start)
    if period.start > timezone.localdate():
        raise ValidationError("A financial year that has not started cannot be published.")
    counted = selectors.figures_for(partnership, period.start, period.end)
    case_settings = selectors.settings_for(partnership)
    publication = CaseReviewPublication(
        partnership=partnership,
        financial_year=financial_year_start,
        applications=counted.applications,
        thresholds_not_met=counted.thresholds_not_met,
        reviews=counted.reviews,
        reviews_with_recommendations=counted.reviews_with_recommendations,
        threshold_text=case_settings.threshold_text,
        how_to_apply=case_settings.how_to_apply,
        published_at=timezone.now(),
        published_by=user,
    )
    publication.full_clean()
    publication.save()
    return publication
