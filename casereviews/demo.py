"""Demo ASB case review applications for Safer Chorley and South Ribble, dated back
from the day the demo is first loaded so that the register shows one application of
each kind: reviewed with recommendations, below the threshold, overdue and due.
Idempotent: applications are found by reference, and a second run changes nothing."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from casereviews import services
from casereviews.models import (
    CaseReviewApplication,
    CaseReviewSettings,
    Decision,
    Recommendation,
    YesNo,
)
from cspportal.lib.working_days import add_working_days
from partnerships.models import Organisation, Partnership

SLUG = "safer-chorley-south-ribble"
COUNCIL = "South Ribble Borough Council"
POLICE = "Lancashire Constabulary"
THRESHOLD = (
    "Three complaints about separate incidents of anti-social behaviour in the last "
    "six months, made to the council, the police or a housing provider within 30 days "
    "of each incident."
)
HOW_TO_APPLY = (
    "Ask for an ASB case review by telephone on 01772 421491, by email to "
    "community.safety@southribble.gov.uk, or with the online form on the council's website."
)


def load(stdout) -> None:
    partnership = Partnership.objects.get(slug=SLUG)
    council = Organisation.objects.get(name=COUNCIL)
    police = Organisation.objects.get(name=POLICE)
    CaseReviewSettings.objects.get_or_create(
        partnership=partnership,
        defaults={"threshold_text": THRESHOLD, "how_to_apply": HOW_TO_APPLY},
    )
    today = timezone.localdate()

    def back(days: int) -> date:
        return add_working_days(today, -days)

    specs = [
        (
            "SR-CT-001",
            {
                "received_on": back(60),
                "receiving_organisation": council,
                "threshold_met": Decision.MET,
                "decided_on": back(52),
                "decision_reason": "Four complaints about separate incidents since spring.",
                "reviewed_on": back(35),
                "recommendations_made": YesNo.YES,
                "outcome_sent_on": back(32),
            },
        ),
        (
            "SR-CT-002",
            {
                "received_on": back(45),
                "receiving_organisation": police,
                "threshold_met": Decision.NOT_MET,
                "decided_on": back(38),
                "decision_reason": "One complaint in the last six months.",
                "outcome_sent_on": back(35),
            },
        ),
        ("SR-CT-003", {"received_on": back(18), "receiving_organisation": council}),
        ("SR-CT-004", {"received_on": back(2), "receiving_organisation": police}),
    ]
    created = 0
    for reference, fields in specs:
        if CaseReviewApplication.objects.filter(
            partnership=partnership, reference=reference
        ).exists():
            continue
        application = CaseReviewApplication(
            partnership=partnership, reference=reference, threshold_used=THRESHOLD, **fields
        )
        services.application_save(application=application, user=None)
        created += 1
        if application.recommendations_made == YesNo.YES:
            for owner, text in (
                (police, "Add the street to the neighbourhood team's evening patrols."),
                (council, "Offer mediation between the neighbours through the ASB team."),
            ):
                Recommendation.objects.create(application=application, owner=owner, text=text)
    stdout.write(f"Case reviews: {created} applications loaded.")
