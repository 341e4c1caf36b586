"""The app's routes, read from the URL resolver, and concrete URLs for them filled with
records of one partnership. The isolation tests (tests/security) and the fuzz suite
(tests/fuzz) walk the same routes, so a view added later is covered by both without
editing either.

A new route with an id parameter needs its segment in ``SEGMENT_MODELS`` (the tests
say so); that is the one line to add.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from crimestats.importers.views import UPLOAD_PAGES
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
    "case-reviews": "casereviews.CaseReviewApplication",
    "recommendations": "casereviews.Recommendation",
}
# Parameters that name a kind of record (a path segment in disguise): every value.
KIND_VALUES = {
    "partnerships:record_add": ["areas", "members", "groups", "priorities"],
    "partnerships:record_edit": ["areas", "members", "groups", "priorities"],
    "partnerships:record_delete": ["areas", "members", "groups", "priorities"],
    "actionplans:target_add": ["objectives", "actions"],
    "crimestats:import_upload": list(UPLOAD_PAGES),
}
# Parameters that are not ids of partnership records: a fixed, valid-looking value.
PLAIN_VALUES = {
    "fmt": "csv",
    "code": "all-crime",
    "table": "headline",
    "kind": "policeuk",
}


def all_routes() -> list[tuple[str, str]]:
    """(route, namespaced URL name) for every URL pattern the resolver knows."""

    def walk(patterns, prefix="", namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), f"{namespace}{entry.name}"

    return list(walk(get_resolver().url_patterns))


def partnership_routes() -> list[tuple[str, str]]:
    """The routes under /partnerships/<slug>/."""
    return [(route, name) for route, name in all_routes() if route.startswith(PREFIX)]


def id_params(route: str) -> list[tuple[str, str]]:
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


def records_of_every_kind(cast) -> dict[str, Any]:
    """At least one record of every kind in the cast's partnership A, keyed by the
    labels of ``SEGMENT_MODELS``."""
    from casereviews.models import (
        CaseReviewApplication,
        CaseReviewSettings,
        Decision,
        Recommendation,
        YesNo,
    )
    from crimestats.models import DataReturn, ImportBatch
    from meetings.models import CalendarFeed
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
    application = CaseReviewApplication.objects.create(
        partnership=a,
        reference="CT-ROUTES",
        received_on=date(2017, 5, 2),
        receiving_organisation=cast.council,
        threshold_used="Three complaints in six months",
        threshold_met=Decision.MET,
        decided_on=date(2017, 5, 9),
        reviewed_on=date(2017, 6, 1),
        recommendations_made=YesNo.YES,
    )
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
    version.pdf.save("a.pdf", ContentFile(pdf), save=False)
    docx = b"PK\x03\x04 a stored Word document"
    version.docx_checksum, version.docx_size = hashlib.sha256(docx).hexdigest(), len(docx)
    version.docx.save("a.docx", ContentFile(docx), save=True)
    return {
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
        # Saved once already, so its page edits a record with a version.
        "casereviews.CaseReviewSettings": CaseReviewSettings.objects.create(partnership=a),
        "casereviews.CaseReviewApplication": application,
        "casereviews.Recommendation": Recommendation.objects.create(
            application=application, owner=cast.police, text="Patrol the park"
        ),
    }


def _value_for(model_label: str, name: str, records) -> str:
    record = records[model_label]
    if name == "token":
        return str(record.token)
    if name == "number":
        return str(record.number)
    return str(record.pk)


def partnership_urls(route: str, url_name: str, slug: str, records) -> list[str]:
    """Concrete URLs for a route under /partnerships/<slug>/: the given records in
    every id slot, each kind value."""
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
                    "SEGMENT_MODELS in tests/routes.py so the walk can fill it with a record"
                )
                value = _value_for(label, name, records)
            path = path[: match.start()] + value + path[match.end() :]
        urls.append("/" + path)
    return urls
