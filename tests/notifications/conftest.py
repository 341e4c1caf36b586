"""The cast's partnership with suppliers: Testshire Police supplies a quarterly
measure, Testshire Council a monthly one, and a fire service only an annual one
(which is never asked for each quarter)."""

from dataclasses import dataclass

import pytest

from crimestats.models import Measure, PartnershipMeasure
from partnerships.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory


@dataclass
class Suppliers:
    fire: Organisation


@pytest.fixture
def suppliers(cast) -> Suppliers:
    fire = OrganisationFactory(name="Testshire Fire", type=Organisation.Type.FIRE)
    MembershipFactory(partnership=cast.partnership, organisation=fire)
    for code, supplier in (
        ("marac-cases", cast.police),
        ("all-crime", cast.council),
        ("residents-feeling-safe-pct", fire),
    ):
        PartnershipMeasure.objects.create(
            partnership=cast.partnership,
            measure=Measure.objects.get(code=code),
            supplier=supplier,
        )
    return Suppliers(fire=fire)
