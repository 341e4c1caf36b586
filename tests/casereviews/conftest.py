"""Case review records for the cast's partnership A."""

from datetime import date

import pytest

from casereviews import services
from casereviews.models import CaseReviewApplication, Decision, YesNo


def make_application(cast, reference: str = "CT-1", **fields) -> CaseReviewApplication:
    """An application of partnership A, saved through the service (so its figures are
    written, as a user's save writes them)."""
    values = {
        "received_on": date(2024, 5, 1),
        "receiving_organisation": cast.council,
        "threshold_used": "Three complaints in six months",
        "threshold_met": Decision.PENDING,
        "pcc_review_requested": YesNo.NO,
        **fields,
    }
    application = CaseReviewApplication(partnership=cast.partnership, reference=reference, **values)
    return services.application_save(application=application, user=cast.editor)


@pytest.fixture
def application(cast) -> CaseReviewApplication:
    return make_application(cast)


@pytest.fixture
def reviewed(cast) -> CaseReviewApplication:
    """An application reviewed with recommendations (none recorded yet)."""
    return make_application(
        cast,
        "CT-2",
        received_on=date(2024, 5, 2),
        threshold_met=Decision.MET,
        decided_on=date(2024, 5, 10),
        reviewed_on=date(2024, 6, 3),
        recommendations_made=YesNo.YES,
    )
