"""The fixed test cast: in partnership A a manager, an editor (of the council) and a
viewer (a scrutiny member); an outsider who manages partnership B; a site
administrator. Every view has a test where the outsider is refused."""

import os
from dataclasses import dataclass

import pytest
from django.test import Client

from accounts.models import User
from partnerships.models import Organisation, Partnership, Role
from tests.factories import (
    AreaFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipRoleFactory,
    UserFactory,
)

# pytest-playwright runs an event loop in the test thread; Django's ORM calls from
# live_server fixtures are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class Cast:
    partnership: Partnership
    other_partnership: Partnership
    council: Organisation
    police: Organisation
    manager: User
    editor: User
    police_editor: User
    viewer: User
    outsider: User
    admin: User


@pytest.fixture
def cast(db) -> Cast:
    partnership = PartnershipFactory(name="Safer Testshire CSP", slug="safer-testshire")
    other = PartnershipFactory(name="Elsewhere CSP", slug="elsewhere")
    council = OrganisationFactory(name="Testshire Council", type=Organisation.Type.COUNCIL)
    police = OrganisationFactory(name="Testshire Police", type=Organisation.Type.POLICE)
    MembershipFactory(partnership=partnership, organisation=council)
    MembershipFactory(partnership=partnership, organisation=police)
    AreaFactory(partnership=partnership, name="North Testshire", gss_code="E07000001")
    AreaFactory(partnership=partnership, name="South Testshire", gss_code="E07000002")
    manager = UserFactory(email="manager@test.example", full_name="Mary Manager")
    editor = UserFactory(email="editor@test.example", full_name="Eddie Editor")
    police_editor = UserFactory(email="police@test.example", full_name="Pat Police")
    viewer = UserFactory(email="viewer@test.example", full_name="Cllr Vera Viewer")
    outsider = UserFactory(email="outsider@test.example", full_name="Otto Outsider")
    admin = UserFactory(
        email="admin@test.example", full_name="Ada Admin", is_staff=True, is_superuser=True
    )
    PartnershipRoleFactory(
        user=manager, partnership=partnership, role=Role.MANAGER, organisation=council
    )
    PartnershipRoleFactory(
        user=editor, partnership=partnership, role=Role.EDITOR, organisation=council
    )
    PartnershipRoleFactory(
        user=police_editor, partnership=partnership, role=Role.EDITOR, organisation=police
    )
    PartnershipRoleFactory(user=viewer, partnership=partnership, role=Role.VIEWER)
    PartnershipRoleFactory(user=outsider, partnership=other, role=Role.MANAGER)
    return Cast(
        partnership,
        other,
        council,
        police,
        manager,
        editor,
        police_editor,
        viewer,
        outsider,
        admin,
    )


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def manager_client(cast) -> Client:
    return _client_for(cast.manager)


@pytest.fixture
def editor_client(cast) -> Client:
    return _client_for(cast.editor)


@pytest.fixture
def viewer_client(cast) -> Client:
    return _client_for(cast.viewer)


@pytest.fixture
def outsider_client(cast) -> Client:
    return _client_for(cast.outsider)


@pytest.fixture
def admin_client_(cast) -> Client:
    return _client_for(cast.admin)
