"""Who may see and change a plan: viewers read, editors update their own
organisation's actions, managers change everything, outsiders see nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplans.models import ActionUpdate
from tests.factories import ActionUpdateFactory, MeasureTargetFactory

SLUG = "safer-testshire"


def _urls(setup) -> dict[str, str]:
    plan, objective, action = setup.plan, setup.objective, setup.council_action
    update = ActionUpdateFactory(
        action=action,
        financial_year=2024,
        quarter=3,
        evidence_file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
    )
    target = MeasureTargetFactory(objective=objective)
    return {
        "plan_list": reverse("actionplans:plan_list", args=[SLUG]),
        "plan_add": reverse("actionplans:plan_add", args=[SLUG]),
        "plan_detail": reverse("actionplans:plan_detail", args=[SLUG, plan.pk]),
        "plan_edit": reverse("actionplans:plan_edit", args=[SLUG, plan.pk]),
        "plan_history": reverse("actionplans:plan_history", args=[SLUG, plan.pk]),
        "plan_export_csv": reverse("actionplans:plan_export", args=[SLUG, plan.pk, "csv"]),
        "plan_export_xlsx": reverse("actionplans:plan_export", args=[SLUG, plan.pk, "xlsx"]),
        "objective_add": reverse("actionplans:objective_add", args=[SLUG, plan.pk]),
        "objective_edit": reverse("actionplans:objective_edit", args=[SLUG, objective.pk]),
        "action_add": reverse("actionplans:action_add", args=[SLUG, objective.pk]),
        "action_detail": reverse("actionplans:action_detail", args=[SLUG, action.pk]),
        "action_edit": reverse("actionplans:action_edit", args=[SLUG, action.pk]),
        "update_add": reverse("actionplans:update_add", args=[SLUG, action.pk]),
        "update_evidence": reverse("actionplans:update_evidence", args=[SLUG, update.pk]),
        "target_add_objective": reverse(
            "actionplans:target_add", args=[SLUG, "objectives", objective.pk]
        ),
        "target_add_action": reverse("actionplans:target_add", args=[SLUG, "actions", action.pk]),
        "target_delete": reverse("actionplans:target_delete", args=[SLUG, target.pk]),
    }


ALL_VIEWS = [
    "plan_list",
    "plan_add",
    "plan_detail",
    "plan_edit",
    "plan_history",
    "plan_export_csv",
    "plan_export_xlsx",
    "objective_add",
    "objective_edit",
    "action_add",
    "action_detail",
    "action_edit",
    "update_add",
    "update_evidence",
    "target_add_objective",
    "target_add_action",
    "target_delete",
]
READ_VIEWS = [
    "plan_list",
    "plan_detail",
    "plan_export_csv",
    "plan_export_xlsx",
    "action_detail",
    "update_evidence",
]
# Read only, and only for managers: the audit trail.
MANAGER_READ_VIEWS = ["plan_history"]
MANAGER_VIEWS = [
    name
    for name in ALL_VIEWS
    if name not in READ_VIEWS and name not in MANAGER_READ_VIEWS and name != "update_add"
]


@pytest.mark.parametrize("name", ALL_VIEWS)
def test_outsider_gets_404_for_every_action_plan_page(setup, outsider_client, name):
    url = _urls(setup)[name]
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(url, {}).status_code in (404, 405)


@pytest.mark.parametrize("name", ALL_VIEWS)
def test_anonymous_visitor_is_sent_to_sign_in(setup, client, name):
    response = client.get(_urls(setup)[name])
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize("name", READ_VIEWS)
def test_viewer_reads_the_plan(setup, viewer_client, name):
    assert viewer_client.get(_urls(setup)[name]).status_code == 200


@pytest.mark.parametrize("name", [*MANAGER_VIEWS, "update_add"])
def test_viewer_is_refused_every_change(setup, viewer_client, name):
    url = _urls(setup)[name]
    assert viewer_client.get(url).status_code == 403
    assert viewer_client.post(url, {}).status_code == 403


@pytest.mark.parametrize("name", MANAGER_VIEWS)
def test_editor_is_refused_plan_changes(setup, editor_client, name):
    assert editor_client.post(_urls(setup)[name], {}).status_code == 403


@pytest.mark.parametrize("name", MANAGER_READ_VIEWS)
def test_only_a_manager_reads_the_history(
    setup, viewer_client, editor_client, manager_client, name
):
    url = _urls(setup)[name]
    assert viewer_client.get(url).status_code == 403
    assert editor_client.get(url).status_code == 403
    assert manager_client.get(url).status_code == 200
    assert manager_client.post(url, {}).status_code == 405


@pytest.mark.parametrize("name", MANAGER_VIEWS)
def test_manager_opens_every_change_page(setup, manager_client, name):
    assert manager_client.get(_urls(setup)[name]).status_code == 200


def _update(quarter="2024-Q4", rag="amber", status="at_risk", narrative="Two referrals."):
    return {"period": quarter, "rag_status": rag, "status": status, "narrative": narrative}


def test_an_editor_of_the_lead_organisation_posts_an_update(setup, editor_client, cast):
    url = reverse("actionplans:update_add", args=[SLUG, setup.council_action.pk])
    response = editor_client.post(url, _update())
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "actionplans:action_detail", args=[SLUG, setup.council_action.pk]
    )
    update = ActionUpdate.objects.get(action=setup.council_action)
    assert (update.financial_year, update.quarter, update.author) == (2024, 4, cast.editor)
    setup.council_action.refresh_from_db()
    assert (setup.council_action.rag_status, setup.council_action.status) == ("amber", "at_risk")


def test_an_editor_of_another_organisation_is_refused_and_nothing_changes(setup, editor_client):
    url = reverse("actionplans:update_add", args=[SLUG, setup.police_action.pk])
    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, _update()).status_code == 403
    assert not ActionUpdate.objects.exists()
    setup.police_action.refresh_from_db()
    assert setup.police_action.rag_status == "red"


def test_the_police_editor_updates_the_police_action(setup, cast):
    from django.test import Client

    client = Client()
    client.force_login(cast.police_editor)
    url = reverse("actionplans:update_add", args=[SLUG, setup.police_action.pk])
    assert client.post(url, _update(rag="green", status="on_track")).status_code == 302
    council_url = reverse("actionplans:update_add", args=[SLUG, setup.council_action.pk])
    assert client.post(council_url, _update()).status_code == 403
    assert ActionUpdate.objects.get().action == setup.police_action


def test_a_manager_updates_any_action(setup, manager_client):
    for action in (setup.council_action, setup.police_action):
        url = reverse("actionplans:update_add", args=[SLUG, action.pk])
        assert manager_client.post(url, _update()).status_code == 302
    assert ActionUpdate.objects.count() == 2


def test_the_plan_page_offers_updates_only_where_the_user_may_post(setup, editor_client):
    body = editor_client.get(reverse("actionplans:plan_detail", args=[SLUG, setup.plan.pk]))
    html = body.content.decode()
    assert reverse("actionplans:update_add", args=[SLUG, setup.council_action.pk]) in html
    assert reverse("actionplans:update_add", args=[SLUG, setup.police_action.pk]) not in html
    assert "Add an objective" not in html


def test_an_action_of_another_partnership_is_404_even_for_a_manager(setup, cast):
    from django.test import Client

    from tests.factories import ActionFactory, ActionPlanFactory, ObjectiveFactory

    other_action = ActionFactory(
        objective=ObjectiveFactory(plan=ActionPlanFactory(partnership=cast.other_partnership))
    )
    client = Client()
    client.force_login(cast.manager)
    for name in ("action_detail", "action_edit", "update_add"):
        url = reverse(f"actionplans:{name}", args=[SLUG, other_action.pk])
        assert client.get(url).status_code == 404
