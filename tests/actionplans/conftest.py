"""A small plan in the cast's partnership: one objective under a priority, owned by a
thematic group, with an action led by the council and one led by the police."""

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import pytest
import time_machine

from actionplans.models import Action, ActionPlan, Objective
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    ObjectiveFactory,
    PriorityFactory,
    ThematicGroupFactory,
)

LONDON = ZoneInfo("Europe/London")


@dataclass
class PlanSetup:
    plan: ActionPlan
    objective: Objective
    council_action: Action
    police_action: Action


@pytest.fixture
def frozen_today():
    """10 February 2025, noon in London: Q4 2024/25."""
    with time_machine.travel(date(2025, 2, 10).isoformat() + "T12:00:00+00:00", tick=False):
        yield date(2025, 2, 10)


@pytest.fixture
def setup(cast, frozen_today) -> PlanSetup:
    priority = PriorityFactory(partnership=cast.partnership, name="Violent crime")
    group = ThematicGroupFactory(partnership=cast.partnership, name="Domestic abuse group")
    plan = ActionPlanFactory(
        partnership=cast.partnership, title="Community Safety Action Plan 2024-2027"
    )
    objective = ObjectiveFactory(
        plan=plan, title="Reduce domestic abuse", priority=priority, thematic_group=group
    )
    council_action = ActionFactory(
        objective=objective,
        title="Sanctuary Scheme",
        lead_organisation=cast.council,
        owner_name="Housing Options Manager",
        start_date=date(2024, 4, 1),
        due_date=date(2025, 3, 31),
        rag_status="green",
        display_order=1,
    )
    police_action = ActionFactory(
        objective=objective,
        title="Operation Genga",
        lead_organisation=cast.police,
        owner_name="Partnerships Police Inspector",
        start_date=date(2024, 4, 1),
        due_date=date(2025, 1, 31),
        rag_status="red",
        status="off_track",
        display_order=2,
    )
    return PlanSetup(plan, objective, council_action, police_action)
