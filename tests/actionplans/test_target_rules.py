"""A target's baseline is a plausible figure for its measure: never below 0. A refusal
names the field, says why, and saves nothing."""

import pytest
from django.urls import reverse

from actionplans.models import MeasureTarget
from crimestats.models import Measure

SLUG = "safer-testshire"


def _add(client, objective, measure_code, baseline):
    return client.post(
        reverse("actionplans:target_add", args=[SLUG, "objectives", objective.pk]),
        {
            "measure": Measure.objects.get(code=measure_code).pk,
            "direction": "reduce",
            "change_pct": "5",
            "baseline_year": "2023",
            "baseline_value": baseline,
        },
    )


@pytest.mark.parametrize(
    ("code", "baseline", "message"),
    [
        (
            "asb-incidents",
            "-1",
            "The baseline for the whole year cannot be below 0: Anti-social behaviour "
            "incidents is a count. Enter 0 or more, or leave it blank.",
        ),
        (
            "funding-gbp",
            "-2500.50",
            "The baseline for the whole year cannot be below 0: Funding received is an "
            "amount of money. Enter 0 or more, or leave it blank.",
        ),
        (
            "marac-repeat-pct",
            "-0.5",
            "The baseline for the whole year cannot be below 0: MARAC repeat cases (%) is a "
            "percentage. Enter 0 or more, or leave it blank.",
        ),
    ],
)
def test_a_negative_baseline_is_refused_and_nothing_saved(
    setup, manager_client, code, baseline, message
):
    response = _add(manager_client, setup.objective, code, baseline)

    assert response.status_code == 200
    assert response.context["form"].errors == {"baseline_value": [message]}
    assert not MeasureTarget.objects.exists()


@pytest.mark.parametrize("baseline", ["0", "1250"])
def test_a_baseline_of_0_or_more_is_saved(setup, manager_client, baseline):
    response = _add(manager_client, setup.objective, "asb-incidents", baseline)

    assert response.status_code == 302
    assert str(MeasureTarget.objects.get().baseline_value) == f"{baseline}.00"


def test_an_outsider_cannot_add_a_target(setup, outsider_client):
    response = _add(outsider_client, setup.objective, "asb-incidents", "10")

    assert response.status_code in (403, 404)
    assert not MeasureTarget.objects.exists()
