"""Helper for the edit race tests: one process of a race between two people saving
the same record, against a real database.

    python -m tests.operations.edit_race_probe setup                         -> JSON ids
    python -m tests.operations.edit_race_probe act NAME SIGNALS KIND:PK ...  -> JSON outcomes
    python -m tests.operations.edit_race_probe state KIND PK                 -> JSON state

For each record in turn, ``act`` writes SIGNALS/ready-KIND-NAME and waits for
SIGNALS/go-KIND (so both processes start each save together), then saves the record
through its app's service, as the edit page does, from version 1 with "KIND by NAME"
in one field. Whoever takes the row lock first holds it for half a second, so the
other process arrives while the first is mid-write.
"""

import json
import os
import sys
import time
from datetime import date
from pathlib import Path

import django

HOLD_SECONDS = 0.5


def setup() -> dict:
    from actionplans.models import Action, ActionPlan, Objective
    from meetings.models import Meeting
    from partnerships.models import Area, Organisation, Partnership
    from reports import services as reports

    partnership = Partnership.objects.create(name="Edit Race CSP", slug="edit-race")
    council = Organisation.objects.create(name="Race Council", type="district_council")
    area = Area.objects.create(partnership=partnership, name="Raceby")
    plan = ActionPlan.objects.create(
        partnership=partnership, title="Race plan", start_year=2024, end_year=2026
    )
    objective = Objective.objects.create(plan=plan, title="Race objective")
    action = Action.objects.create(
        objective=objective, title="Race action", lead_organisation=council, owner_name="Nobody"
    )
    meeting = Meeting.objects.create(
        partnership=partnership, body="scrutiny", title="Race committee", date=date(2024, 6, 1)
    )
    report, other = (
        reports.report_create(
            partnership=partnership,
            created_by=None,
            type="annual",
            title=title,
            financial_year=2024,
            end_month=3,
            committee_name="Race committee",
            meeting_date=None,
            lead_member="",
            lead_officer="",
        )
        for title in ("Race report", "Race report with a section")
    )
    # A section of another report: every section save moves its report's version on.
    section = other.sections.get(key="background")
    return {
        "area": area.pk,
        "action": action.pk,
        "meeting": meeting.pk,
        "report": report.pk,
        "section": section.pk,
    }


def _hold_the_lock() -> None:
    """Every versioned save checks through ``check_version`` with the row locked."""
    from cspportal.lib import versioning

    check = versioning.check_version

    def check_and_hold(record, current, expected):
        check(record, current, expected)
        time.sleep(HOLD_SECONDS)

    versioning.check_version = check_and_hold


def _record(kind: str, pk: int):
    from actionplans.models import Action
    from meetings.models import Meeting
    from partnerships.models import Area
    from reports.models import Report, ReportSection

    model = {
        "area": Area,
        "action": Action,
        "meeting": Meeting,
        "report": Report,
        "section": ReportSection,
    }[kind]
    return model.objects.get(pk=pk)


def _text(kind: str, record) -> str:
    return {
        "area": lambda: record.name,
        "action": lambda: record.owner_name,
        "meeting": lambda: record.title,
        "report": lambda: record.lead_officer,
        "section": lambda: record.body,
    }[kind]()


def _save(kind: str, record, version: int, text: str) -> None:
    from actionplans import services as actionplans
    from meetings import services as meetings
    from partnerships import services as partnerships
    from reports import services as reports

    if kind == "area":
        record.name = text
        partnerships.partnership_record_save(instance=record, expected_version=version)
    elif kind == "action":
        record.owner_name = text
        actionplans.action_save(action=record, expected_version=version)
    elif kind == "meeting":
        record.title = text
        meetings.meeting_save(meeting=record, organisations=[], expected_version=version)
    elif kind == "report":
        reports.report_update(report=record, version=version, lead_officer=text)
    elif kind == "section":
        reports.section_update(
            section=record, version=version, title=record.title, body=text, included=True
        )


def act(name: str, signals: Path, records: list[str]) -> dict:
    from cspportal.lib.versioning import EditConflict

    _hold_the_lock()
    outcomes = {}
    for spec in records:
        kind, pk = spec.split(":")
        record = _record(kind, int(pk))
        (signals / f"ready-{kind}-{name}").touch()
        while not (signals / f"go-{kind}").exists():
            time.sleep(0.01)
        try:
            _save(kind, record, 1, f"{kind} by {name}")
        except EditConflict as conflict:
            outcomes[kind] = f"refused: {conflict}"
        else:
            outcomes[kind] = "won"
    return outcomes


def state(kind: str, pk: int) -> dict:
    record = _record(kind, pk)
    return {
        "version": record.version,
        "text": _text(kind, record),
        "saves": record.history.filter(version__gt=1).count(),
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cspportal.settings")
    django.setup()
    command, *rest = sys.argv[1:]
    if command == "setup":
        result = setup()
    elif command == "act":
        name, signals, *records = rest
        result = act(name, Path(signals), records)
    elif command == "state":
        result = state(rest[0], int(rest[1]))
    else:
        sys.exit("usage: python -m tests.operations.edit_race_probe setup|act|state ...")
    json.dump(result, sys.stdout, default=str)


if __name__ == "__main__":
    main()
