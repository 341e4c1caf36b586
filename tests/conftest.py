"""The fixed test cast: in partnership A a manager, an editor (of the council) and a
viewer (a scrutiny member); an outsider who manages partnership B; a site
administrator. Every view has a test where the outsider is refused."""

import os
from dataclasses import dataclass

import pytest
from django.test import Client

from accounts.models import User
from crimestats.catalogue import catalogue_load
from crimestats.models import Measure
from partnerships.models import Organisation, Partnership, Role
from tests.factories import (
    AreaFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipRoleFactory,
    UserFactory,
)
from tests.mail import smtp_server  # noqa: F401 (a fixture for every email test)

# pytest-playwright runs an event loop in the test thread; Django's ORM calls from
# live_server fixtures are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def measure_catalogue(request):
    """The standard measure catalogue, as data migration 0002 leaves it, for every test
    that touches the database. A ``live_server`` (transactional) test empties every
    table when it ends, the migration's rows included, and the next test on the same
    worker would otherwise find no measures."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if names & {"transactional_db", "live_server"} or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        return
    if not Measure.objects.exists():
        catalogue_load(Measure)


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


def pytest_sessionfinish(session):
    """Each test process writes the fuzz suite's figures (tests/fuzz/tally.py)."""
    from tests.fuzz import tally

    if tally.TALLY:
        tally.write(session.config._tmp_path_factory.getbasetemp())


def pytest_terminal_summary(terminalreporter, config):
    """The fuzz suite's figures per category, added up over the test processes."""
    from tests.fuzz import tally

    totals = tally.read_all(config._tmp_path_factory.getbasetemp())
    if totals:
        terminalreporter.section("fuzz: hostile values per category")
        for line in tally.table(totals):
            terminalreporter.write_line(line)
