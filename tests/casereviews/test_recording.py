"""Recording applications and recommendations through the pages, and what bad input
gets: a message naming the field, and nothing saved."""

from datetime import date

import pytest
from django.urls import reverse

from actionplans.models import Action
from casereviews.forms import ApplicationForm
from casereviews.models import CaseReviewApplication, Decision, Recommendation, YesNo
from crimestats.models import Observation
from tests.factories import ActionPlanFactory, ObjectiveFactory, OrganisationFactory
from tests.posting import posted

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: date | None) -> dict[str, str]:
    if day is None:
        return {f"{prefix}_0": "", f"{prefix}_1": "", f"{prefix}_2": ""}
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def _data(cast, **overrides) -> dict[str, str]:
    data = {
        "reference": "CT-2024-007",
        "receiving_organisation": str(cast.council.pk),
        "threshold_used": "Three complaints in six months",
        "threshold_met": Decision.PENDING,
        "decision_reason": "",
        "recommendations_made": "",
        "pcc_review_requested": YesNo.NO,
        "pcc_review_outcome": "",
        **_date("received_on", date(2024, 5, 1)),
        **_date("decided_on", None),
        **_date("reviewed_on", None),
        **_date("outcome_sent_on", None),
    }
    data.update(overrides)
    return data


def _create_url(cast) -> str:
    return reverse("casereviews:application_create", args=[cast.partnership.slug])


def test_the_form_says_no_personal_data_and_has_no_name_or_address(cast, editor_client):
    page = editor_client.get(_create_url(cast)).content.decode()
    assert "Do not enter names, addresses or other personal details" in page
    form = ApplicationForm(partnership=cast.partnership)
    assert not [f for f in form.fields if "name" in f or "address" in f]


def test_the_threshold_defaults_from_the_partnership_settings(cast, editor_client):
    from casereviews.models import CaseReviewSettings

    CaseReviewSettings.objects.create(
        partnership=cast.partnership, threshold_text="Three incidents in six months"
    )
    page = editor_client.get(_create_url(cast))
    assert page.context["form"]["threshold_used"].value() == "Three incidents in six months"


def test_an_editor_records_an_application(cast, editor_client):
    response = editor_client.post(_create_url(cast), _data(cast))
    application = CaseReviewApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "casereviews:application_detail", args=[cast.partnership.slug, application.pk]
    )
    assert application.reference == "CT-2024-007"
    assert application.received_on == date(2024, 5, 1)
    assert application.history.get().history_user == cast.editor
    assert (
        Observation.objects.get(
            measure__code="community-trigger-applications", period_start=date(2024, 4, 1)
        ).value
        == 1
    )


BAD = [
    (
        {**_date("decided_on", date(2024, 4, 30)), "threshold_met": Decision.NOT_MET},
        "decided_on",
        "Decision date: it cannot be before the date received",
    ),
    (
        {"threshold_met": Decision.MET},
        "decided_on",
        "Enter the decision date of the threshold decision",
    ),
    (
        {**_date("decided_on", date(2024, 5, 3))},
        "decided_on",
        "Decision date: leave it empty until the threshold is decided, or say whether the "
        "threshold is met",
    ),
    (
        {
            "threshold_met": Decision.MET,
            **_date("decided_on", date(2024, 5, 10)),
            **_date("reviewed_on", date(2024, 5, 9)),
            "recommendations_made": YesNo.NO,
        },
        "reviewed_on",
        "Review date: it cannot be before the decision date",
    ),
    (
        {
            "threshold_met": Decision.NOT_MET,
            **_date("decided_on", date(2024, 5, 10)),
            **_date("reviewed_on", date(2024, 5, 20)),
            "recommendations_made": YesNo.NO,
        },
        "reviewed_on",
        "Review date: a review is held only when the threshold is met",
    ),
    (
        {
            "threshold_met": Decision.MET,
            **_date("decided_on", date(2024, 5, 10)),
            **_date("reviewed_on", date(2024, 5, 20)),
        },
        "recommendations_made",
        "Recommendations made: say whether the review made recommendations",
    ),
    (
        {"recommendations_made": YesNo.YES},
        "recommendations_made",
        "Recommendations made: say so only once the review date is entered",
    ),
    (
        {
            "threshold_met": Decision.NOT_MET,
            **_date("decided_on", date(2024, 5, 10)),
            **_date("outcome_sent_on", date(2024, 5, 9)),
        },
        "outcome_sent_on",
        "Outcome sent date: it cannot be before the decision date",
    ),
    (
        {
            "threshold_met": Decision.MET,
            **_date("decided_on", date(2024, 5, 10)),
            **_date("outcome_sent_on", date(2024, 5, 12)),
        },
        "outcome_sent_on",
        "Outcome sent date: hold the review before sending its outcome",
    ),
    (
        {**_date("outcome_sent_on", date(2024, 5, 12))},
        "outcome_sent_on",
        "Outcome sent date: decide the threshold before sending the outcome",
    ),
    (
        {"pcc_review_outcome": "Upheld"},
        "pcc_review_outcome",
        "Outcome of the PCC review: only when a PCC review was requested",
    ),
    (
        {**_date("received_on", date(1999, 12, 31))},
        "received_on",
        "Date received: enter a date between 1 January 2000 and 31 December 2100 (you "
        "entered the year 1999)",
    ),
    (
        {"received_on_0": "31", "received_on_1": "2", "received_on_2": "2024"},
        "received_on",
        None,
    ),
    ({"reference": " "}, "reference", "Enter the reference number"),
    ({"threshold_met": "maybe"}, "threshold_met", None),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD)
def test_bad_input_is_refused_naming_the_field(cast, editor_client, changes, field, message):
    response = editor_client.post(_create_url(cast), _data(cast, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message is not None:
        assert errors[field] == [message]
    else:
        assert errors[field]
    assert not CaseReviewApplication.objects.exists()
    assert not Observation.objects.exists()


def test_a_reference_is_unique_in_the_partnership(cast, editor_client, application):
    response = editor_client.post(_create_url(cast), _data(cast, reference="ct-1"))
    assert response.context["form"].errors == {
        "reference": [
            "Reference number: this partnership already has an application with this "
            "reference number"
        ]
    }
    assert CaseReviewApplication.objects.count() == 1


def test_an_organisation_outside_the_partnership_is_refused(cast, editor_client):
    stranger = OrganisationFactory(name="Nowhere Council")
    response = editor_client.post(
        _create_url(cast), _data(cast, receiving_organisation=str(stranger.pk))
    )
    assert list(response.context["form"].errors) == ["receiving_organisation"]
    assert not CaseReviewApplication.objects.exists()


def test_an_edit_from_an_old_copy_is_refused(cast, editor_client, application):
    url = reverse("casereviews:application_update", args=[cast.partnership.slug, application.pk])
    form = editor_client.get(url).context["form"]
    stale = posted(form)
    first = {**stale, "decision_reason": "First"}
    assert editor_client.post(url, first).status_code == 302
    second = {**stale, "decision_reason": "Second"}
    response = editor_client.post(url, second)
    assert response.status_code == 200
    assert "Someone else changed this case review application" in response.content.decode()
    application.refresh_from_db()
    assert application.decision_reason == "First"


def test_a_recommendation_becomes_an_action_with_one_button(cast, editor_client, reviewed):
    objective = ObjectiveFactory(plan=ActionPlanFactory(partnership=cast.partnership))
    slug = cast.partnership.slug
    add = reverse("casereviews:recommendation_create", args=[slug, reviewed.pk])
    response = editor_client.post(
        add, {"owner": str(cast.police.pk), "text": "Patrol the park at night"}
    )
    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    make = reverse("casereviews:recommendation_action", args=[slug, reviewed.pk, recommendation.pk])
    editor_client.post(make, {"objective": str(objective.pk)})
    action = Action.objects.get()
    recommendation.refresh_from_db()
    assert recommendation.action == action
    assert action.title == "Patrol the park at night"
    assert action.lead_organisation == cast.police
    assert action.objective == objective
    assert action.description == (
        "From a recommendation of ASB case review CT-2: Patrol the park at night"
    )
    detail = editor_client.get(
        reverse("casereviews:application_detail", args=[slug, reviewed.pk])
    ).content.decode()
    assert reverse("actionplans:action_detail", args=[slug, action.pk]) in detail
    # A second press makes no second action.
    editor_client.post(make, {"objective": str(objective.pk)})
    assert Action.objects.count() == 1


def test_an_objective_of_another_partnership_is_refused(cast, editor_client, reviewed):
    elsewhere = ObjectiveFactory(plan=ActionPlanFactory(partnership=cast.other_partnership))
    recommendation = Recommendation.objects.create(
        application=reviewed, owner=cast.police, text="Do X"
    )
    make = reverse(
        "casereviews:recommendation_action",
        args=[cast.partnership.slug, reviewed.pk, recommendation.pk],
    )
    response = editor_client.post(make, {"objective": str(elsewhere.pk)})
    assert response.status_code == 200
    assert response.context["refused_form"].errors == {
        "objective": ["Objective: choose one of this partnership's objectives"]
    }
    assert f'href="#objective-{recommendation.pk}"' in response.content.decode()
    assert not Action.objects.exists()


def test_a_recommendation_needs_a_review_that_made_some(cast, editor_client, application):
    add = reverse("casereviews:recommendation_create", args=[cast.partnership.slug, application.pk])
    response = editor_client.post(add, {"owner": str(cast.police.pk), "text": "Do X"})
    assert response.context["form"].non_field_errors() == [
        "Record that the review made recommendations before adding one."
    ]
    assert not Recommendation.objects.exists()


def test_a_recommendation_without_owner_or_text_names_both(cast, editor_client, reviewed):
    add = reverse("casereviews:recommendation_create", args=[cast.partnership.slug, reviewed.pk])
    response = editor_client.post(add, {"owner": "", "text": ""})
    assert response.context["form"].errors == {
        "owner": ["Choose the organisation that owns the recommendation"],
        "text": ["Enter the recommendation"],
    }
    assert not Recommendation.objects.exists()
