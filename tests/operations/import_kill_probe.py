"""Helper for the import kill test: one process against a real database and media
folder (``DATABASE_URL``, ``MEDIA_ROOT``).

    python -m tests.operations.import_kill_probe setup                -> JSON ids
    python -m tests.operations.import_kill_probe command ZIP [STOP READY]
    python -m tests.operations.import_kill_probe upload ZIP           -> JSON batch id
    python -m tests.operations.import_kill_probe confirm BATCH [STOP READY]
    python -m tests.operations.import_kill_probe state                -> JSON state

``command`` runs ``manage.py import_policeuk`` as an operator does; ``upload`` and
``confirm`` post the file and the confirmation to the import pages as an editor's
browser does, through the whole request stack. With STOP and READY, the process
stops right after its first SQL statement that starts with STOP (the statement has
run, inside the import's transaction), writes READY and waits there to be killed.
The database is never stood in for: the statement really ran, and the transaction
is really open when the test kills the process.
"""

import json
import os
import sys
import time
from pathlib import Path

import django

PARTNERSHIP = "kill-test"
EDITOR = "editor@kill-test.example"
FORCE = "Killtest Constabulary"
AREAS = ["Northby", "Southby", "Eastby", "Westby", "Midby"]
WAIT_TO_BE_KILLED = 300


def setup() -> dict:
    from accounts.models import User
    from partnerships.models import Area, Partnership, PartnershipRole, Role

    partnership = Partnership.objects.create(name="Kill Test CSP", slug=PARTNERSHIP)
    for name in AREAS:
        Area.objects.create(partnership=partnership, name=name)
    editor = User.objects.create_user(email=EDITOR, password="x" * 20)
    PartnershipRole.objects.create(user=editor, partnership=partnership, role=Role.EDITOR)
    return {"partnership": partnership.pk, "editor": editor.pk}


def _stop_after(prefix: str, ready: Path):
    """An execute wrapper that lets the first statement starting with ``prefix`` run,
    then reports it and the tables written so far, and waits for SIGKILL with the
    transaction open."""

    written: dict[str, int] = {}

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith(("INSERT", "UPDATE", "DELETE")):
            table = sql.split()[2 if sql.startswith(("INSERT", "DELETE")) else 1]
            written[table.strip('"')] = written.get(table.strip('"'), 0) + 1
        if sql.startswith(prefix):
            report = {"pid": os.getpid(), "statement": sql[:60], "tables_written": written}
            ready.write_text(json.dumps(report))
            time.sleep(WAIT_TO_BE_KILLED)
            sys.exit("the test never killed this process")
        return result

    return wrapper


def _stopping(args: list[str]):
    from contextlib import nullcontext

    from django.db import connection

    if not args:
        return nullcontext()
    prefix, ready = args
    return connection.execute_wrapper(_stop_after(prefix, Path(ready)))


def command(zip_path: str, *stop: str) -> None:
    from django.core.management import call_command

    with _stopping(list(stop)):
        call_command("import_policeuk", "--partnership", PARTNERSHIP, zip_path)


def _client():
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import User

    setup_test_environment()  # lets the test client's host name in; nothing else
    client = Client()
    client.force_login(User.objects.get(email=EDITOR))
    return client


def upload(zip_path: str) -> dict:
    from django.urls import reverse

    path = Path(zip_path)
    with path.open("rb") as handle:
        response = _client().post(
            reverse("crimestats:import_upload", args=[PARTNERSHIP, "policeuk"]),
            {"files": [handle]},
        )
    assert response.status_code == 302, response.status_code
    return {"batch": int(response["Location"].rstrip("/").rsplit("/", 1)[1])}


def confirm(batch: str, *stop: str) -> dict:
    from django.urls import reverse

    client = _client()
    with _stopping(list(stop)):
        response = client.post(
            reverse("crimestats:import_confirm", args=[PARTNERSHIP, int(batch)]), {}
        )
    return {"status": response.status_code, "location": response.get("Location", "")}


def state() -> dict:
    from django.core.files.storage import default_storage

    from crimestats.models import ImportBatch, Observation, UnallocatedCount

    observations = sorted(
        [
            o.measure.policeuk_crime_type or o.measure.code,
            o.area.name,
            o.period_start.isoformat()[:7],
            int(o.value),
        ]
        for o in Observation.objects.select_related("measure", "area")
    )
    unallocated = sorted(
        [u.force, u.month.isoformat()[:7], u.measure.policeuk_crime_type, u.count]
        for u in UnallocatedCount.objects.select_related("measure")
    )
    batches = [
        {
            "status": b.status,
            "rows_read": b.rows_read,
            "rows_stored": b.rows_stored,
            "stored_at": b.stored_at.isoformat() if b.stored_at else None,
            "stored": b.summary.get("stored"),
            "file_kept": bool(b.file) and default_storage.exists(b.file.name),
        }
        for b in ImportBatch.objects.order_by("pk")
    ]
    return {
        "observations": observations,
        "history": Observation.history.count(),
        "unallocated": unallocated,
        "batches": batches,
    }


def _out(value) -> None:
    json.dump(value, sys.stdout)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cspportal.settings")
    django.setup()
    name, *args = sys.argv[1:]
    if name == "setup":
        _out(setup())
    elif name == "command":
        command(*args)
    elif name == "upload":
        _out(upload(*args))
    elif name == "confirm":
        _out(confirm(*args))
    elif name == "state":
        _out(state())
    else:
        sys.exit(
            "usage: python -m tests.operations.import_kill_probe setup|command|upload|confirm|state"
        )


if __name__ == "__main__":
    main()
