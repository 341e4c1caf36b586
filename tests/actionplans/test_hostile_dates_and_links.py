"""Action dates and evidence links go through the one validation layer: an
impossible day or an unsafe link is refused naming the field, and nothing changes."""

import pytest
from django.urls import reverse

from actionplans.models import Action, ActionUpdate

SLUG = "safer-testshire"
EVIDENCE = "Link to evidence"
EXAMPLE = ", like https://www.example.gov.uk/papers/item-4.pdf"
PRIVATE = "the link points at a private or local network address; enter a public one"


def _update(**changes):
    data = {"period": "2024-Q4", "rag_status": "amber", "status": "at_risk", "narrative": "x"}
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("link", "why"),
    [
        ("//evil.example/report", "enter the full address, starting https://"),
        ("http://10.0.0.5/report", PRIVATE),
        ("http://169.254.169.254/latest/meta-data/", PRIVATE),
        ("http://[fd00::5]/report", PRIVATE),
        ("http://localhost:8000/", "the link points at this computer; enter a public address"),
    ],
)
def test_evidence_with_an_unsafe_link_is_refused(setup, editor_client, link, why):
    response = editor_client.post(
        reverse("actionplans:update_add", args=[SLUG, setup.council_action.pk]),
        _update(evidence_url=link),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"evidence_url": [f"{EVIDENCE}: {why}{EXAMPLE}"]}
    assert not ActionUpdate.objects.exists()


def test_an_outsider_cannot_post_evidence(setup, outsider_client):
    response = outsider_client.post(
        reverse("actionplans:update_add", args=[SLUG, setup.council_action.pk]),
        _update(evidence_url="https://example.org/report"),
    )
    assert response.status_code == 404
    assert not ActionUpdate.objects.exists()


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        (
            "30",
            "2",
            "2025",
            "Due date: enter a real date, like 11 1 2024 (30 February does not exist)",
        ),
        (
            "1",
            "4",
            "9999",
            "Due date: enter a date between 1 January 2000 and 31 December 2100 "
            "(you entered the year 9999)",
        ),
    ],
)
def test_a_due_date_that_cannot_be_is_refused(
    setup, cast, manager_client, day, month, year, message
):
    response = manager_client.post(
        reverse("actionplans:action_add", args=[SLUG, setup.objective.pk]),
        {
            "title": "Divert",
            "lead_organisation": cast.police.pk,
            "owner_name": "Someone",
            "due_date_0": day,
            "due_date_1": month,
            "due_date_2": year,
            "status": "not_started",
            "display_order": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"due_date": [message]}
    assert not Action.objects.filter(title="Divert").exists()
