"""A database holding, on purpose, what must never reach the public pages.

The cast's partnership (Safer Testshire) publishes. It has approved all-crime figures
for April 2015 to March 2017 (North 100 then 123 a month, South 50 then 61: 2,208
in 2016/17 against 1,800), police.uk ASB incidents (40 then 45 a month: 540 against
480), and beside them figures that are not approved: drafts of all crime from April
2017 of 6,173 a month in each area, and MARAC cases of 5,309 in a submitted
quarter. Private and internal records carry names no public page may print
(``SECRETS``). Elsewhere CSP published once and then turned its pages off; Second
Published CSP publishes too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from crimestats.models import DataReturn, Measure, Observation
from cspportal.lib.periods import add_months, month_end
from partnerships.models import Area, Partnership
from publishing import services
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    ActionUpdateFactory,
    AreaFactory,
    MeetingFactory,
    MembershipFactory,
    ObjectiveFactory,
    OrganisationFactory,
    PartnershipFactory,
    PriorityFactory,
    ResolutionFactory,
)

SECRETS = [
    "6173",
    "6,173",
    "12346",
    "12,346",
    "5309",
    "5,309",
    "Zebra strategy session",
    "Xylophone depot",
    "Gazebo resolution",
    "Walrus initiative",
    "Marmalade budget",
    "Pelican progress",
    "Owen Quasar",
    "Quokka draft action",
    "Kumquat meeting notes",
    "Elsewhere CSP",
    "Elsewhere Lynx figure",
]


def figures(
    partnership: Partnership,
    code: str,
    start: date,
    values: list[int],
    *,
    area: Area | None = None,
    source: str = Observation.Source.FORM,
    approved: bool = True,
    period_type: str = "month",
    data_return: DataReturn | None = None,
) -> None:
    measure = Measure.objects.get(code=code)
    step = 1 if period_type == "month" else 3
    now = timezone.now()
    Observation.objects.bulk_create(
        Observation(
            partnership=partnership,
            measure=measure,
            area=area,
            period_type=period_type,
            period_start=add_months(start, step * i),
            period_end=month_end(add_months(start, step * i + step - 1)),
            value=Decimal(value),
            source=source,
            is_approved=approved,
            data_return=data_return,
            updated_at=now,
        )
        for i, value in enumerate(values)
    )


@dataclass
class World:
    cast: object
    partnership: Partnership
    second: Partnership
    elsewhere: Partnership


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(cast) -> World:
    p = cast.partnership
    north = Area.objects.get(partnership=p, name="North Testshire")
    south = Area.objects.get(partnership=p, name="South Testshire")
    april_2015 = date(2015, 4, 1)
    figures(p, "all-crime", april_2015, [100] * 12 + [123] * 12, area=north)
    figures(p, "all-crime", april_2015, [50] * 12 + [61] * 12, area=south)
    figures(
        p, "asb-incidents", april_2015, [40] * 12 + [45] * 12, source="policeuk", approved=False
    )
    # Not approved: a draft return's months and a submitted quarter.
    figures(p, "all-crime", date(2017, 4, 1), [6173] * 3, area=north, approved=False)
    figures(p, "all-crime", date(2017, 4, 1), [6173] * 3, area=south, approved=False)
    submitted = DataReturn.objects.create(
        partnership=p,
        organisation=cast.council,
        period_type="quarter",
        period_start=date(2016, 4, 1),
        period_end=date(2016, 6, 30),
        status=DataReturn.Status.SUBMITTED,
    )
    figures(
        p,
        "marac-cases",
        date(2016, 4, 1),
        [5309],
        period_type="quarter",
        approved=False,
        data_return=submitted,
    )
    priority = PriorityFactory(partnership=p, name="Tackling violence")
    plan = ActionPlanFactory(partnership=p, title="Safer Testshire Plan", status="active")
    objective = ObjectiveFactory(plan=plan, title="Fewer assaults", priority=priority)
    ActionFactory(
        objective=objective,
        title="Street lighting review",
        lead_organisation=cast.council,
        rag_status="green",
        description="Marmalade budget line agreed in private.",
        owner_name="Owen Quasar",
        due_date=date(2025, 3, 31),
    )
    ActionFactory(
        objective=objective,
        title="Night-time patrols",
        lead_organisation=cast.police,
        rag_status="red",
    )
    secret = ActionFactory(
        objective=objective, title="Covert Walrus initiative", rag_status="amber", is_private=True
    )
    ActionUpdateFactory(action=secret, narrative="Pelican progress in hand.")
    draft = ActionPlanFactory(partnership=p, title="Next plan", status="draft")
    ActionFactory(objective=ObjectiveFactory(plan=draft), title="Quokka draft action")

    soon = timezone.localdate() + timedelta(days=10)
    scrutiny = MeetingFactory(
        partnership=p,
        title="Scrutiny Committee: community safety",
        date=date(2024, 1, 11),
        notes="Kumquat meeting notes",
    )
    ResolutionFactory(
        meeting=scrutiny, number=1, text="That the lighting review report back.", status="open"
    )
    ResolutionFactory(
        meeting=scrutiny, number=2, text="That the Xylophone depot close.", is_private=True
    )
    private = MeetingFactory(
        partnership=p, body="board", title="Zebra strategy session", date=soon, is_private=True
    )
    ResolutionFactory(meeting=private, number=1, text="Gazebo resolution of the board.")
    MeetingFactory(partnership=p, title="Scrutiny Committee: spring", date=soon)

    elsewhere = cast.other_partnership
    figures(elsewhere, "all-crime", april_2015, [4321] * 24)
    MeetingFactory(partnership=elsewhere, title="Elsewhere Lynx figure meeting", date=soon)
    services.public_pages_set(partnership=elsewhere, is_on=True, user=cast.outsider)
    services.version_publish(partnership=elsewhere, user=cast.outsider, expected_latest=0)
    services.public_pages_set(partnership=elsewhere, is_on=False, user=cast.outsider)

    second = PartnershipFactory(name="Second Published CSP", slug="second-published")
    town = OrganisationFactory(name="Second Town Council")
    MembershipFactory(partnership=second, organisation=town)
    AreaFactory(partnership=second, name="Second Town")
    MeetingFactory(partnership=second, title="Second scrutiny meeting", date=soon)
    services.public_pages_set(partnership=second, is_on=True, user=cast.admin)
    services.version_publish(partnership=second, user=cast.admin, expected_latest=0)

    services.public_pages_set(partnership=p, is_on=True, user=cast.manager)
    services.version_publish(partnership=p, user=cast.manager, expected_latest=0)
    return World(cast, p, second, elsewhere)


@pytest.fixture
def anonymous() -> Client:
    return Client()
