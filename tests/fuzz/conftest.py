"""The fuzz suite's settings profiles and its world: a partnership holding one record of
every kind, a second partnership whose ids are posted where they do not belong, a
reference partnership to set up, an invited person, a site-level import.

Profiles: ``ci`` (the default, seeded, in ``make test``) and ``fuzz`` (``make fuzz``,
many more examples, random). Choose with ``HYPOTHESIS_PROFILE``."""

import os
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, settings

from accounts.models import User
from casereviews.models import CaseReviewApplication
from crimestats.models import GeographyLookup, ImportBatch
from partnerships.models import Partnership, Role
from publishing.services import public_pages_set, version_publish
from tests import factories
from tests.routes import records_of_every_kind

# No example database: a seeded run needs none, and nothing is written into the repo.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=1,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "fuzz",
    derandomize=False,
    database=None,
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@dataclass
class World:
    cast: Any
    records: dict[str, Any]
    reference: Partnership
    invited: User
    site_batch: ImportBatch
    # The ids of partnership B's records, none of which A's forms may take.
    other_ids: list[str] = field(default_factory=list)
    clients: dict[str, Client] = field(default_factory=dict)


def _client(user: User | None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def world(cast) -> World:
    other = cast.other_partnership
    b_org = factories.OrganisationFactory(name="Elsewhere Council")
    b_plan = factories.ActionPlanFactory(partnership=other)
    b_objective = factories.ObjectiveFactory(plan=b_plan)
    b_meeting = factories.MeetingFactory(partnership=other)
    b_records = [
        factories.MembershipFactory(partnership=other, organisation=b_org),
        b_org,
        factories.AreaFactory(partnership=other, name="Elsewhere North", gss_code="E07000901"),
        factories.ThematicGroupFactory(partnership=other),
        factories.PriorityFactory(partnership=other),
        b_plan,
        b_objective,
        factories.ActionFactory(objective=b_objective, lead_organisation=b_org),
        b_meeting,
        factories.AgendaItemFactory(meeting=b_meeting),
        factories.PeerGroupFactory(partnership=other),
        CaseReviewApplication.objects.create(
            partnership=other,
            reference="B-1",
            received_on=date(2017, 5, 2),
            receiving_organisation=b_org,
            threshold_used="Elsewhere's threshold",
        ),
        cast.outsider,
    ]
    reference = factories.PartnershipFactory(
        name="Testford",
        slug="testford-e22000999",
        gss_code="E22000999",
        gss_vintage=2024,
        is_reference=True,
        population=98_700,
        population_year=2022,
    )
    GeographyLookup.objects.create(
        vintage=2024,
        lad_code="E07000999",
        lad_name="Testford",
        csp_code=reference.gss_code,
        csp_name=reference.name,
        pfa_code="E23000099",
        pfa_name="Testshire",
    )
    invited = factories.UserFactory(email="invited@test.example", full_name="Ivy Invited")
    invited.set_unusable_password()
    invited.save()
    factories.PartnershipRoleFactory(
        user=invited, partnership=cast.partnership, role=Role.EDITOR, organisation=cast.council
    )
    # Partnership A publishes, so that its public pages open.
    public_pages_set(partnership=cast.partnership, is_on=True, user=cast.manager)
    version_publish(partnership=cast.partnership, user=cast.manager, expected_latest=0)
    site_batch = ImportBatch.objects.create(
        partnership=None, format="ons_lookup", file_name="lookup.csv", checksum="2" * 64
    )
    return World(
        cast=cast,
        records=records_of_every_kind(cast),
        reference=reference,
        invited=invited,
        site_batch=site_batch,
        other_ids=sorted({str(record.pk) for record in b_records}),
        clients={
            "manager": _client(cast.manager),
            "admin": _client(cast.admin),
            "anonymous": _client(None),
        },
    )
