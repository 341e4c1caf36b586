"""Creating and changing plans, objectives, actions, updates and targets: clear
messages on bad input that change nothing, no silent overwrites, every change audited."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplans.models import Action, ActionPlan, ActionUpdate, MeasureTarget, Objective
from crimestats.models import Measure
from tests.factories import ActionUpdateFactory, PriorityFactory

SLUG = "safer-testshire"


def test_a_manager_creates_a_plan(cast, manager_client):
    response = manager_client.post(
        reverse("actionplans:plan_add", args=[SLUG]),
        {
            "title": "Community Safety Action Plan 2024-2027",
            "summary": "",
            "start_year": "2024",
            "end_year": "2026",
            "status": "draft",
        },
    )
    plan = ActionPlan.objects.get()
    assert response["Location"] == reverse("actionplans:plan_detail", args=[SLUG, plan.pk])
    assert (plan.partnership, plan.years_label) == (cast.partnership, "2024/25 to 2026/27")
    assert plan.history.get().history_user == cast.manager


def test_a_plan_ending_before_it_starts_is_refused(cast, manager_client):
    response = manager_client.post(
        reverse("actionplans:plan_add", args=[SLUG]),
        {"title": "Backwards", "start_year": "2024", "end_year": "2023", "status": "draft"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "end_year": ["The last year cannot be before the first year."]
    }
    assert not ActionPlan.objects.exists()


def test_a_second_plan_with_the_same_title_is_refused(setup, manager_client):
    response = manager_client.post(
        reverse("actionplans:plan_add", args=[SLUG]),
        {"title": setup.plan.title, "start_year": "2024", "end_year": "2026", "status": "draft"},
    )
    assert response.context["form"].errors == {
        "__all__": ["This partnership already has a plan with this title."]
    }


def test_an_objective_offers_only_this_partnerships_priorities(setup, cast, manager_client):
    foreign = PriorityFactory(partnership=cast.other_partnership, name="Foreign priority")
    url = reverse("actionplans:objective_add", args=[SLUG, setup.plan.pk])
    assert "Foreign priority" not in manager_client.get(url).content.decode()
    response = manager_client.post(
        url, {"title": "Sneaky", "priority": foreign.pk, "display_order": "0"}
    )
    assert response.context["form"].errors == {
        "priority": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert Objective.objects.count() == 1


def test_a_manager_adds_an_action_with_gov_uk_date_inputs(setup, cast, manager_client):
    response = manager_client.post(
        reverse("actionplans:action_add", args=[SLUG, setup.objective.pk]),
        {
            "title": "Divert",
            "lead_organisation": cast.police.pk,
            "owner_name": "Neighbourhood Inspector",
            "start_date_0": "1",
            "start_date_1": "4",
            "start_date_2": "2024",
            "due_date_0": "31",
            "due_date_1": "3",
            "due_date_2": "2025",
            "status": "not_started",
            "rag_status": "",
            "display_order": "3",
        },
    )
    action = Action.objects.get(title="Divert")
    assert response["Location"] == reverse("actionplans:action_detail", args=[SLUG, action.pk])
    assert (action.start_date, action.due_date) == (date(2024, 4, 1), date(2025, 3, 31))
    assert action.rag_status == ""


def test_an_action_due_before_it_starts_is_refused(setup, cast, manager_client):
    response = manager_client.post(
        reverse("actionplans:action_add", args=[SLUG, setup.objective.pk]),
        {
            "title": "Backwards",
            "lead_organisation": cast.police.pk,
            "owner_name": "Someone",
            "start_date_0": "1",
            "start_date_1": "4",
            "start_date_2": "2025",
            "due_date_0": "31",
            "due_date_1": "3",
            "due_date_2": "2025",
            "status": "not_started",
            "display_order": "0",
        },
    )
    assert response.context["form"].errors == {
        "due_date": ["The due date cannot be before the start date."]
    }
    assert not Action.objects.filter(title="Backwards").exists()


def _action_data(action, **changes):
    data = {
        "title": action.title,
        "lead_organisation": action.lead_organisation_id,
        "owner_name": action.owner_name,
        "status": action.status,
        "rag_status": action.rag_status,
        "display_order": action.display_order,
        "version": action.version,
    }
    data.update(changes)
    return data


def test_an_edit_from_an_older_copy_is_refused_and_changes_nothing(setup, manager_client):
    action = setup.council_action
    url = reverse("actionplans:action_edit", args=[SLUG, action.pk])
    stale = _action_data(action, owner_name="Second editor")
    first = manager_client.post(url, _action_data(action, owner_name="First editor"))
    assert first.status_code == 302
    response = manager_client.post(url, stale)
    assert response.status_code == 200
    # The one wording of every versioned edit (cspportal.lib.versioning).
    assert response.context["form"].non_field_errors() == [
        "Someone else changed this action after you opened it, so your changes were not "
        "saved. Their changes are listed below. Check them against yours, then save again "
        "to replace them."
    ]
    assert [
        (c.who, [(f.label, f.old, f.new) for f in c.fields]) for c in response.context["changes"]
    ] == [
        (
            "Mary Manager",
            [
                ("Owner", "Housing Options Manager", "First editor"),
                ("Start date", "1 April 2024", "(blank)"),
                ("Due date", "31 March 2025", "(blank)"),
            ],
        )
    ]
    action.refresh_from_db()
    assert (action.owner_name, action.version) == ("First editor", 2)


def _update(**changes):
    data = {"period": "2024-Q4", "rag_status": "amber", "status": "at_risk", "narrative": "x"}
    data.update(changes)
    return data


def test_a_second_update_for_the_same_quarter_is_refused(setup, editor_client):
    ActionUpdateFactory(action=setup.council_action, financial_year=2024, quarter=4)
    response = editor_client.post(
        reverse("actionplans:update_add", args=[SLUG, setup.council_action.pk]), _update()
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "period": ["There is already an update for Q4 2024/25. Choose another quarter."]
    }
    assert ActionUpdate.objects.count() == 1


def test_an_update_offers_only_quarters_of_the_plan_up_to_now(setup, editor_client):
    url = reverse("actionplans:update_add", args=[SLUG, setup.council_action.pk])
    form = editor_client.get(url).context["form"]
    assert [code for code, _ in form.fields["period"].choices] == [
        "2024-Q4",
        "2024-Q3",
        "2024-Q2",
        "2024-Q1",
    ]
    response = editor_client.post(url, _update(period="2025-Q1"))
    assert "period" in response.context["form"].errors
    assert not ActionUpdate.objects.exists()


def test_an_update_for_an_earlier_quarter_keeps_the_latest_status(setup, editor_client):
    action = setup.council_action
    url = reverse("actionplans:update_add", args=[SLUG, action.pk])
    editor_client.post(url, _update(period="2024-Q4", rag_status="green", status="on_track"))
    editor_client.post(url, _update(period="2024-Q2", rag_status="red", status="off_track"))
    action.refresh_from_db()
    assert (action.rag_status, action.status) == ("green", "on_track")
    assert [(u.period.label, u.rag_status) for u in action.updates.all()] == [
        ("Q2 2024/25", "red"),
        ("Q4 2024/25", "green"),
    ]
    # Both the action and its updates are audited, with who made each change.
    assert action.history.first().history_user.email == "editor@test.example"
    assert ActionUpdate.history.count() == 2


def test_a_blank_narrative_is_refused(setup, editor_client):
    response = editor_client.post(
        reverse("actionplans:update_add", args=[SLUG, setup.council_action.pk]),
        _update(narrative="   "),
    )
    assert response.context["form"].errors["narrative"] == ["Describe the progress this quarter."]


def test_evidence_of_an_unknown_type_is_refused(setup, editor_client):
    data = _update(evidence_file=SimpleUploadedFile("payload.html", b"<script>"))
    response = editor_client.post(
        reverse("actionplans:update_add", args=[SLUG, setup.council_action.pk]), data
    )
    assert response.context["form"].errors == {
        "evidence_file": [
            "payload.html is not a file type we accept: attach a PDF, Word, Excel, CSV, "
            "text or image file."
        ]
    }
    assert not ActionUpdate.objects.exists()


def test_evidence_is_stored_and_downloaded_as_an_attachment(setup, editor_client, viewer_client):
    data = _update(
        evidence_file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
        evidence_url="https://example.org/report",
    )
    editor_client.post(
        reverse("actionplans:update_add", args=[SLUG, setup.council_action.pk]), data
    )
    update = ActionUpdate.objects.get()
    assert update.evidence_url == "https://example.org/report"
    response = viewer_client.get(reverse("actionplans:update_evidence", args=[SLUG, update.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="minutes')
    assert b"".join(response.streaming_content) == b"%PDF-1.4 minutes"


def test_a_manager_adds_and_removes_a_target(setup, manager_client):
    asb = Measure.objects.get(code="asb-incidents")
    url = reverse("actionplans:target_add", args=[SLUG, "objectives", setup.objective.pk])
    assert manager_client.get(url).context["form"]["baseline_year"].value() == 2023
    response = manager_client.post(
        url,
        {
            "measure": asb.pk,
            "direction": "reduce",
            "change_pct": "5",
            "baseline_year": "2023",
            "baseline_value": "",
        },
    )
    assert response.status_code == 302
    target = MeasureTarget.objects.get()
    assert target.label == "Reduce Anti-social behaviour incidents by 5% against 2023/24"
    delete_url = reverse("actionplans:target_delete", args=[SLUG, target.pk])
    assert manager_client.post(delete_url, {"version": "1"}).status_code == 302
    assert not MeasureTarget.objects.exists()
    assert MeasureTarget.history.count() == 2


def test_a_target_over_100_percent_is_refused(setup, manager_client):
    response = manager_client.post(
        reverse("actionplans:target_add", args=[SLUG, "actions", setup.council_action.pk]),
        {
            "measure": Measure.objects.get(code="all-crime").pk,
            "direction": "reduce",
            "change_pct": "150",
            "baseline_year": "2023",
        },
    )
    assert response.context["form"].errors == {
        "change_pct": ["By (%): enter a number from 0 to 100 (you entered “150”)"]
    }


def test_an_impossible_date_is_refused_in_plain_english(setup, cast, manager_client):
    response = manager_client.post(
        reverse("actionplans:action_add", args=[SLUG, setup.objective.pk]),
        {
            "title": "Divert",
            "lead_organisation": cast.police.pk,
            "owner_name": "Someone",
            "due_date_0": "31",
            "due_date_1": "13",
            "due_date_2": "2025",
            "status": "not_started",
            "display_order": "0",
        },
    )
    assert response.context["form"].errors == {
        "due_date": ["Due date: enter a real date, like 11 1 2024 (there is no month 13)"]
    }
    assert not Action.objects.filter(title="Divert").exists()


def _date_fields(name, day) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def test_the_plan_history_shows_who_changed_what(setup, cast, editor_client, manager_client):
    with time_machine.travel("2025-02-11T09:00:00+00:00", tick=False):
        editor_client.force_login(cast.editor)  # a session of that day
        editor_client.post(
            reverse("actionplans:update_add", args=[SLUG, setup.council_action.pk]),
            _update(rag_status="amber", status="at_risk", narrative="Waiting list growing."),
        )
    action = setup.council_action
    action.refresh_from_db()
    with time_machine.travel("2025-02-12T09:00:00+00:00", tick=False):
        manager_client.force_login(cast.manager)  # a session of that day
        manager_client.post(
            reverse("actionplans:action_edit", args=[SLUG, action.pk]),
            _action_data(
                action,
                lead_organisation=cast.police.pk,
                **_date_fields("start_date", action.start_date),
                **_date_fields("due_date", action.due_date),
            ),
        )
        response = manager_client.get(
            reverse("actionplans:plan_history", args=[SLUG, setup.plan.pk])
        )
    assert response.status_code == 200
    assert "{#" not in response.content.decode()  # template comments never reach the page
    entries = response.context["entries"]
    assert [(e.who, e.action, e.record_type, e.record) for e in entries[:3]] == [
        ("Mary Manager", "Changed", "Action", "Sanctuary Scheme"),
        ("Eddie Editor", "Changed", "Action", "Sanctuary Scheme"),
        ("Eddie Editor", "Created", "Quarterly update", "Sanctuary Scheme, Q4 2024/25"),
    ]
    assert [(c.field, c.old, c.new) for c in entries[0].changes] == [
        ("Lead organisation", "Testshire Council", "Testshire Police")
    ]
    assert [(c.field, c.old, c.new) for c in entries[1].changes] == [
        ("Status", "On track", "At risk"),
        ("RAG status", "Green", "Amber"),
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("change_pct", "١٠", "By (%): enter a number, like 12.5 (you entered “١٠”)"),
        ("change_pct", "1e1", "By (%): enter a number, like 12.5 (you entered “1e1”)"),
        ("change_pct", "+5", "By (%): enter a number, like 12.5 (you entered “+5”)"),
        (
            "change_pct",
            "5.25",
            "By (%): use no more than 1 decimal place, like 12.5 (you entered “5.25”)",
        ),
        (
            "baseline_value",
            "１,２００",
            "Baseline for the whole year: enter a number, like 12.5 (you entered “１,２００”)",
        ),
        (
            "baseline_value",
            "1_200",
            "Baseline for the whole year: enter a number, like 12.5 (you entered “1_200”)",
        ),
    ],
)
def test_a_target_figure_that_is_not_plain_digits_is_refused(
    setup, manager_client, field, value, message
):
    data = {
        "measure": Measure.objects.get(code="all-crime").pk,
        "direction": "reduce",
        "change_pct": "5",
        "baseline_year": "2023",
        "baseline_value": "",
        field: value,
    }
    response = manager_client.post(
        reverse("actionplans:target_add", args=[SLUG, "actions", setup.council_action.pk]), data
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert not MeasureTarget.objects.exists()
