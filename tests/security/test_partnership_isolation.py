"""A01 (broken access control): walk EVERY URL under /partnerships/<slug>/ as the
outsider (a manager of partnership B, nothing in partnership A) and change ids in URLs.

The routes come from ``get_resolver()``, so a view added later is covered without
editing this file:

1. with A's slug, every GET and POST is refused with 404 (405 where the method is
   not allowed at all): the outsider learns nothing, not even what exists;
2. with B's slug (where the outsider IS a manager) and the ids of A's records, every
   GET and POST is still refused: each view looks records up within the partnership
   of the URL, never by id alone.

A new route with an id parameter needs its segment in ``SEGMENT_MODELS`` (the test
says so); that is the one line to add.
"""

import hashlib
import re
from datetime import date

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tests import factories

PREFIX = "partnerships/<slug:slug>/"
PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")

# The path segment before an id parameter -> the model whose id it takes.
SEGMENT_MODELS = {
    "returns": "crimestats.DataReturn",
    "upload": "crimestats.ImportBatch#template",
    "imports": "crimestats.ImportBatch",
    "figure": "crimestats.Observation",
    "peer-groups": "crimestats.PeerGroup",
    "plan": "actionplans.ActionPlan",
    "objectives": "actionplans.Objective",
    "actions": "actionplans.Action",
    "updates": "actionplans.ActionUpdate",
    "targets": "actionplans.MeasureTarget",
    "meetings": "meetings.Meeting",
    "items": "meetings.AgendaItem",
    "resolutions": "meetings.Resolution",
    "responses": "meetings.ResolutionResponse",
    "reports": "reports.Report",
    "sections": "reports.ReportSection",
    "versions": "reports.ReportVersion",
    "calendar": "meetings.CalendarFeed",
    "areas": "partnerships.Area",
    "members": "partnerships.Membership",
    "groups": "partnerships.ThematicGroup",
    "priorities": "partnerships.Priority",
    "people": "partnerships.PartnershipRole",
}
# Parameters that name a kind of record (a path segment in disguise): every value.
KIND_VALUES = {
    "partnerships:record_add": ["areas", "members", "groups", "priorities"],
    "partnerships:record_edit": ["areas", "members", "groups", "priorities"],
    "partnerships:record_delete": ["areas", "members", "groups", "priorities"],
    "actionplans:target_add": ["objectives", "actions"],
}
# Parameters that are not ids of partnership records: a fixed, valid-looking value.
PLAIN_VALUES = {
    "fmt": "csv",
    "code": "all-crime",
    "table": "headline",
    "kind": "policeuk",
}


def _routes():
    def walk(patterns, prefix="", namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), f"{namespace}{entry.name}"

    return [
        (route, name)
        for route, name in walk(get_resolver().url_patterns)
        if route.startswith(PREFIX)
    ]


def _id_params(route: str) -> list[tuple[str, str]]:
    """(parameter name, the segment before it) for every id-like parameter."""
    found = []
    for match in PARAM.finditer(route):
        name, converter = match.group("name"), match.group("converter")
        if name == "slug" and match.start() == len("partnerships/"):
            continue
        if name in PLAIN_VALUES and converter != "int":
            continue
        before = route[: match.start()].rstrip("/").split("/")[-1]
        found.append((name, before))
    return found


@pytest.fixture
def a_records(cast):
    """At least one record of every kind in partnership A, and nothing in B."""
    from crimestats.models import DataReturn, ImportBatch
    from meetings.models import CalendarFeed, Resolution
    from reports.models import Report, ReportSection, ReportVersion

    a = cast.partnership
    plan = factories.ActionPlanFactory(partnership=a)
    objective = factories.ObjectiveFactory(plan=plan)
    action = factories.ActionFactory(objective=objective, lead_organisation=cast.council)
    meeting = factories.MeetingFactory(partnership=a)
    item = factories.AgendaItemFactory(meeting=meeting)
    item.paper_file.save("paper.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    update = factories.ActionUpdateFactory(action=action)
    update.evidence_file.save("evidence.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    data_return = DataReturn.objects.create(
        partnership=a,
        organisation=cast.police,
        period_type="quarter",
        period_start=date(2017, 4, 1),
        period_end=date(2017, 6, 30),
    )
    resolution = factories.ResolutionFactory(meeting=meeting, agenda_item=item)
    report = Report.objects.create(partnership=a, financial_year=2017, end_month=1)
    pdf = b"%PDF-1.7\n%%EOF\n"
    version = ReportVersion(
        report=report,
        number=1,
        title="Progress Report",
        period_label="April 2017 to January 2018",
        snapshot={},
        checksum=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        page_count=1,
        issued_at=timezone.now(),
    )
    version.pdf.save("a.pdf", ContentFile(pdf), save=True)
    records = {
        "partnerships.Area": a.areas.first(),
        "partnerships.Membership": a.memberships.first(),
        "partnerships.ThematicGroup": factories.ThematicGroupFactory(partnership=a),
        "partnerships.Priority": factories.PriorityFactory(partnership=a),
        "partnerships.PartnershipRole": a.roles.get(user=cast.editor),
        "crimestats.Observation": factories.ObservationFactory(partnership=a),
        "crimestats.PeerGroup": factories.PeerGroupFactory(partnership=a),
        "crimestats.DataReturn": data_return,
        "crimestats.ImportBatch": ImportBatch.objects.create(
            partnership=a, format="policeuk_street", file_name="a.csv", checksum="0" * 64
        ),
        "crimestats.ImportBatch#template": ImportBatch.objects.create(
            partnership=a,
            format="template",
            file_name="b.csv",
            checksum="1" * 64,
            summary={"data_return": data_return.pk},
        ),
        "actionplans.ActionPlan": plan,
        "actionplans.Objective": objective,
        "actionplans.Action": action,
        "actionplans.ActionUpdate": update,
        "actionplans.MeasureTarget": factories.MeasureTargetFactory(objective=objective),
        "meetings.Meeting": meeting,
        "meetings.AgendaItem": item,
        "meetings.Resolution": resolution,
        "meetings.ResolutionResponse": factories.ResolutionResponseFactory(resolution=resolution),
        "meetings.CalendarFeed": CalendarFeed.objects.create(partnership=a, user=cast.manager),
        "reports.Report": report,
        "reports.ReportSection": ReportSection.objects.create(
            report=report, key="custom-a", title="Background", order=1, body="Text"
        ),
        "reports.ReportVersion": version,
    }
    assert Resolution.objects.filter(meeting__partnership=cast.other_partnership).count() == 0
    return records


def _value_for(model_label: str, name: str, records) -> str:
    record = records[model_label]
    if name == "token":
        return str(record.token)
    if name == "number":
        return str(record.number)
    return str(record.pk)


def _urls(route: str, url_name: str, slug: str, records) -> list[str]:
    """Concrete URLs for the route: A's records in every id slot, each kind value."""
    kinds = KIND_VALUES.get(url_name, [None])
    urls = []
    for kind in kinds:
        path = route
        for match in reversed(list(PARAM.finditer(route))):
            name = match.group("name")
            before = route[: match.start()].rstrip("/").split("/")[-1]
            if name == "slug" and match.start() == len("partnerships/"):
                value = slug
            elif name == "kind" and kind is not None:
                value = kind
            elif name in PLAIN_VALUES and match.group("converter") != "int":
                value = PLAIN_VALUES[name]
            else:
                if before == "<str:kind>" or before.startswith("<"):
                    before = kind
                label = SEGMENT_MODELS.get(before)
                assert label, (
                    f"{url_name} ({route}): add the segment {before!r} before <{name}> to "
                    "SEGMENT_MODELS so the isolation test can fill it with a record of A"
                )
                value = _value_for(label, name, records)
            path = path[: match.start()] + value + path[match.end() :]
        urls.append("/" + path)
    return urls


ALLOWED = {"GET": {404, 405}, "POST": {404, 405}}
# Routes where a secret in the URL, not the session, is the credential: calendar
# apps cannot sign in. Holding A's token is being allowed to read A's meeting dates;
# the test checks instead that a guessed token is refused, and (below) that A's token
# does not work under another partnership's slug.
CAPABILITY_URLS = {"meetings:meeting_calendar_feed"}


def _refusals(client, urls):
    wrong = []
    for url in urls:
        for method in ("GET", "POST"):
            response = client.get(url) if method == "GET" else client.post(url, {})
            if response.status_code not in ALLOWED[method]:
                wrong.append(f"{method} {url} -> {response.status_code}")
    return wrong


def test_every_partnership_route_is_walked():
    names = {name for _, name in _routes()}

    # A smoke check that the walk sees each app's views, not only the profile.
    assert {"partnerships:partnership_detail", "partnerships:record_edit"} <= names
    assert len(names) >= 10


def test_the_outsider_gets_404_on_every_route_of_another_partnership(
    cast, a_records, outsider_client
):
    urls = [
        url
        for route, name in _routes()
        if name not in CAPABILITY_URLS
        for url in _urls(route, name, cast.partnership.slug, a_records)
    ]
    a_records["meetings.CalendarFeed"].token = "guessed-" + "x" * 40
    urls += [
        url
        for route, name in _routes()
        if name in CAPABILITY_URLS
        for url in _urls(route, name, cast.partnership.slug, a_records)
    ]

    assert _refusals(outsider_client, urls) == []
    assert len(urls) >= len(_routes())


def test_ids_of_another_partnership_are_refused_under_the_outsiders_own_slug(
    cast, a_records, outsider_client
):
    urls = [
        url
        for route, name in _routes()
        if _id_params(route)
        for url in _urls(route, name, cast.other_partnership.slug, a_records)
    ]

    assert _refusals(outsider_client, urls) == []
    # Nothing of A changed hands or disappeared on the way.
    for label, record in a_records.items():
        model = apps.get_model(label.split("#")[0])
        assert model._default_manager.filter(pk=record.pk).exists(), label


def test_the_ids_used_are_real_records_that_as_manager_open(cast, a_records, manager_client):
    """The control: the same URLs under A's slug work for A's manager, so the 404s
    above come from the access checks, not from ids that point at nothing."""
    missing = []
    for route, name in _routes():
        if not _id_params(route):
            continue
        for url in _urls(route, name, cast.partnership.slug, a_records):
            if manager_client.get(url).status_code == 404:
                missing.append(url)

    assert missing == []
