"""Who may do what: council and police editors record, managers set timescales and
publish, viewers see the figures only, outsiders get 404, anonymous users sign in."""

import pytest
from django.test import Client
from django.urls import reverse

from casereviews.models import CaseReviewPublication, CaseReviewSettings
from partnerships.models import Organisation, Role
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _register_urls(cast, application, recommendation_pk: int) -> dict[str, str]:
    slug, pk = cast.partnership.slug, application.pk
    return {
        "register": reverse("casereviews:register", args=[slug]),
        "application_create": reverse("casereviews:application_create", args=[slug]),
        "application_detail": reverse("casereviews:application_detail", args=[slug, pk]),
        "application_update": reverse("casereviews:application_update", args=[slug, pk]),
        "recommendation_create": reverse("casereviews:recommendation_create", args=[slug, pk]),
    }


@pytest.fixture
def recommendation(cast, reviewed):
    from casereviews.models import Recommendation

    return Recommendation.objects.create(application=reviewed, owner=cast.police, text="Do X")


@pytest.fixture
def fire_editor_client(cast) -> Client:
    fire = OrganisationFactory(name="Testshire Fire", type=Organisation.Type.FIRE)
    MembershipFactory(partnership=cast.partnership, organisation=fire)
    user = UserFactory(email="fire@test.example")
    PartnershipRoleFactory(
        user=user, partnership=cast.partnership, role=Role.EDITOR, organisation=fire
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "name",
    [
        "register",
        "application_create",
        "application_detail",
        "application_update",
        "recommendation_create",
    ],
)
def test_register_pages_by_role(
    name,
    cast,
    reviewed,
    recommendation,
    editor_client,
    viewer_client,
    fire_editor_client,
    outsider_client,
    manager_client,
):
    url = _register_urls(cast, reviewed, recommendation.pk)[name]
    assert editor_client.get(url).status_code == 200
    assert manager_client.get(url).status_code == 200
    police = Client()
    police.force_login(cast.police_editor)
    assert police.get(url).status_code == 200
    assert viewer_client.get(url).status_code == 403
    assert fire_editor_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))


def test_outsider_cannot_reach_an_application_through_their_own_partnership(
    cast, reviewed, outsider_client
):
    url = reverse("casereviews:application_detail", args=[cast.other_partnership.slug, reviewed.pk])
    assert outsider_client.get(url).status_code == 404


@pytest.mark.parametrize("name", ["figures", "figures_download"])
def test_figures_are_for_every_role_but_not_outsiders(
    name, cast, viewer_client, outsider_client, editor_client
):
    url = reverse(f"casereviews:{name}", args=[cast.partnership.slug])
    assert viewer_client.get(url).status_code == 200
    assert editor_client.get(url).status_code == 200
    assert outsider_client.get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_a_viewer_sees_counts_and_no_register_entry(cast, reviewed, viewer_client):
    page = viewer_client.get(reverse("casereviews:figures", args=[cast.partnership.slug]))
    text = page.content.decode()
    assert "CT-2" not in text
    assert f'href="{reverse("casereviews:register", args=[cast.partnership.slug])}"' not in text
    assert "Publish the year" not in text


def test_only_managers_edit_the_timescales(cast, editor_client, viewer_client, outsider_client):
    url = reverse("casereviews:settings_edit", args=[cast.partnership.slug])
    data = {"threshold_days": "12", "review_days": "20", "outcome_days": "4"}
    assert editor_client.post(url, data).status_code == 403
    assert viewer_client.post(url, data).status_code == 403
    assert outsider_client.post(url, data).status_code == 404
    assert not CaseReviewSettings.objects.exists()


def test_only_managers_publish(cast, reviewed, editor_client, viewer_client, outsider_client):
    url = reverse("casereviews:publish", args=[cast.partnership.slug])
    assert editor_client.post(url, {"financial_year": "2024"}).status_code == 403
    assert viewer_client.post(url, {"financial_year": "2024"}).status_code == 403
    assert outsider_client.post(url, {"financial_year": "2024"}).status_code == 404
    assert Client().post(url, {"financial_year": "2024"}).status_code == 302
    assert not CaseReviewPublication.objects.exists()


def test_a_viewer_cannot_make_a_recommendation_an_action(
    cast, reviewed, recommendation, viewer_client, outsider_client
):
    from tests.factories import ActionPlanFactory, ObjectiveFactory

    objective = ObjectiveFactory(plan=ActionPlanFactory(partnership=cast.partnership))
    url = reverse(
        "casereviews:recommendation_action",
        args=[cast.partnership.slug, reviewed.pk, recommendation.pk],
    )
    assert viewer_client.post(url, {"objective": objective.pk}).status_code == 403
    assert outsider_client.post(url, {"objective": objective.pk}).status_code == 404
    recommendation.refresh_from_db()
    assert recommendation.action_id is None
