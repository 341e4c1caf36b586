"""The four statutory figures, counted from the register, and the community trigger
figures they write for dashboards and reports."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from casereviews import selectors, services
from casereviews.models import Decision, YesNo
from crimestats.models import DataReturn, Observation
from cspportal.lib.periods import financial_year
from tests.casereviews.conftest import make_application

pytestmark = pytest.mark.django_db

# (reference, received, decision, decided, reviewed, recommendations) over two
# financial years; counted by hand below.
REGISTER = [
    ("A", date(2023, 4, 3), Decision.NOT_MET, date(2023, 4, 12), None, ""),
    ("B", date(2023, 6, 20), Decision.MET, date(2023, 7, 4), date(2023, 8, 1), YesNo.YES),
    ("C", date(2023, 9, 1), Decision.MET, date(2023, 9, 14), date(2023, 10, 2), YesNo.NO),
    # Received in 2023/24, decided and reviewed in 2024/25.
    ("D", date(2024, 3, 25), Decision.MET, date(2024, 4, 8), date(2024, 5, 13), YesNo.YES),
    ("E", date(2024, 4, 30), Decision.NOT_MET, date(2024, 5, 9), None, ""),
    ("F", date(2024, 6, 28), Decision.PENDING, None, None, ""),
]


@pytest.fixture
def register(cast):
    for reference, received, decision, decided, reviewed, recommendations in REGISTER:
        make_application(
            cast,
            reference,
            received_on=received,
            threshold_met=decision,
            decided_on=decided,
            reviewed_on=reviewed,
            recommendations_made=recommendations,
        )


def _figures(cast, year: int):
    period = financial_year(year)
    return selectors.figures_for(cast.partnership, period.start, period.end)


def test_the_four_figures_of_each_financial_year(cast, register):
    # 2023/24: received A, B, C, D; not met A; reviewed B, C; with recommendations B.
    first = _figures(cast, 2023)
    assert (
        first.applications,
        first.thresholds_not_met,
        first.reviews,
        first.reviews_with_recommendations,
    ) == (4, 1, 2, 1)
    assert first.thresholds_met == 2  # B and C (D was decided in April 2024)
    # 2024/25: received E, F; not met E; reviewed D, with recommendations.
    second = _figures(cast, 2024)
    assert (
        second.applications,
        second.thresholds_not_met,
        second.reviews,
        second.reviews_with_recommendations,
        second.thresholds_met,
    ) == (2, 1, 1, 1, 1)


def test_any_twelve_months(cast, register):
    # July 2023 to June 2024: received C, D, E, F; not met E; reviewed B, C, D; with
    # recommendations B and D.
    counted = selectors.figures_for(cast.partnership, date(2023, 7, 1), date(2024, 6, 30))
    assert (
        counted.applications,
        counted.thresholds_not_met,
        counted.reviews,
        counted.reviews_with_recommendations,
    ) == (4, 1, 3, 2)


def _stored(cast, code: str) -> dict[date, Decimal]:
    return dict(
        Observation.objects.filter(
            partnership=cast.partnership, measure__code=code, period_type="quarter"
        ).values_list("period_start", "value")
    )


def test_the_register_writes_each_quarter_of_the_community_trigger_measures(cast, register):
    # Quarters from Q1 2023/24 (April 2023) to Q1 2024/25 (April 2024): five.
    quarters = [date(2023, 4, 1), date(2023, 7, 1), date(2023, 10, 1), date(2024, 1, 1)]
    quarters.append(date(2024, 4, 1))
    assert _stored(cast, "community-trigger-applications") == dict(
        zip(quarters, [Decimal(n) for n in (2, 1, 0, 1, 2)], strict=True)
    )
    assert _stored(cast, "community-trigger-thresholds-not-met") == dict(
        zip(quarters, [Decimal(n) for n in (1, 0, 0, 0, 1)], strict=True)
    )
    assert _stored(cast, "community-trigger-thresholds-met") == dict(
        zip(quarters, [Decimal(n) for n in (0, 2, 0, 0, 1)], strict=True)
    )
    assert _stored(cast, "community-trigger-reviews") == dict(
        zip(quarters, [Decimal(n) for n in (0, 1, 1, 0, 1)], strict=True)
    )
    assert _stored(cast, "community-trigger-reviews-with-recommendations") == dict(
        zip(quarters, [Decimal(n) for n in (0, 1, 0, 0, 1)], strict=True)
    )
    figure = Observation.objects.get(
        partnership=cast.partnership,
        measure__code="community-trigger-reviews",
        period_start=date(2023, 7, 1),
    )
    assert figure.source == Observation.Source.CASE_REVIEWS
    assert figure.area_id is None
    assert figure.period_end == date(2023, 9, 30)
    assert figure.note == "Counted from the ASB case review register"


def test_moving_an_application_out_of_a_quarter_leaves_a_zero_there(cast):
    application = make_application(cast, "X", received_on=date(2024, 7, 2))
    assert _stored(cast, "community-trigger-applications") == {date(2024, 7, 1): Decimal(1)}
    application.received_on = date(2024, 10, 1)
    services.application_save(application=application, user=cast.editor)
    assert _stored(cast, "community-trigger-applications") == {
        date(2024, 7, 1): Decimal(0),
        date(2024, 10, 1): Decimal(1),
    }


def test_typed_figures_of_quarters_the_register_never_touched_stay(cast):
    typed = Observation.objects.create(
        partnership=cast.partnership,
        measure_id=_measure_id("community-trigger-applications"),
        period_type="quarter",
        period_start=date(2022, 4, 1),
        period_end=date(2022, 6, 30),
        value=Decimal(7),
        updated_at=timezone.now(),
    )
    make_application(cast, "Y", received_on=date(2024, 7, 2))
    typed.refresh_from_db()
    assert typed.value == Decimal(7)
    assert typed.source == Observation.Source.FORM


def test_an_approved_quarter_still_follows_the_register_with_a_reason(cast):
    make_application(cast, "Z", received_on=date(2024, 7, 2))
    DataReturn.objects.create(
        partnership=cast.partnership,
        organisation=cast.council,
        period_type="quarter",
        period_start=date(2024, 7, 1),
        period_end=date(2024, 9, 30),
        status=DataReturn.Status.APPROVED,
    )
    Observation.objects.filter(partnership=cast.partnership).update(is_approved=True)
    make_application(cast, "Z2", received_on=date(2024, 8, 5))
    figure = Observation.objects.get(
        partnership=cast.partnership,
        measure__code="community-trigger-applications",
        period_start=date(2024, 7, 1),
    )
    assert figure.value == Decimal(2)
    assert figure.revision == 2
    assert figure.history.latest().history_change_reason == (
        "Counted again from the ASB case review register"
    )


def test_the_other_partnership_gets_no_figures(cast, register):
    assert not Observation.objects.filter(partnership=cast.other_partnership).exists()


def _measure_id(code: str) -> int:
    from crimestats.models import Measure

    return Measure.objects.get(code=code).pk


def test_the_dashboard_names_the_register_as_the_figures_source(cast):
    from reports.dashboard.selectors import records_by_source

    make_application(cast, "S", received_on=date(2024, 5, 1))
    make_application(cast, "T", received_on=date(2024, 8, 1))
    # Quarters April-June and July-September 2024.
    assert records_by_source(cast.partnership) == (
        "the ASB case review register: April to September 2024"
    )
