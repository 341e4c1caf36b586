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
The statements watched are every ``execute`` and ``executemany`` (Django's execute
wrappers) and every psycopg ``COPY`` (a cursor class on each new PostgreSQL
connection: COPY does not go through ``execute``), once its data is all sent and
the server has finished it. The database is never stood in for: the statement
really ran, and the transaction is really open when the test kills the process.
READY also reports how many figures and history rows the transaction holds at
that moment, counted by the probe's own connection inside it.
"""

import json
import os
import sys
import time
from contextlib import contextmanager
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


class _Stop:
    """Lets the first statement starting with ``prefix`` run, then reports it, the
    tables written so far and the rows the transaction holds, and waits for SIGKILL
    with the transaction open."""

    def __init__(self, prefix: str, ready: Path) -> None:
        self.prefix = prefix
        self.ready = ready
        self.written: dict[str, int] = {}

    def ran(self, sql: str) -> None:
        from django.db import connection

        if sql.startswith(("INSERT", "UPDATE", "DELETE", "COPY")):
            table = sql.split()[1 if sql.startswith(("UPDATE", "COPY")) else 2].strip('"')
            self.written[table] = self.written.get(table, 0) + 1
        if not sql.startswith(self.prefix):
            return
        # Counted on the database connection itself, inside the open transaction,
        # so no execute wrapper sees these two queries.
        rows = {
            table: connection.connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608 (our own table names)
            for table in ("crimestats_observation", "crimestats_historicalobservation")
        }
        report = {
            "pid": os.getpid(),
            "statement": sql[:60],
            "tables_written": self.written,
            "rows_in_transaction": rows,
        }
        self.ready.write_text(json.dumps(report))
        time.sleep(WAIT_TO_BE_KILLED)
        sys.exit("the test never killed this process")

    def execute_wrapper(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        self.ran(sql)
        return result

    def copying_cursor(self, base: type) -> type:
        """A subclass of the psycopg cursor class ``base`` whose ``copy()`` reports
        its statement once the COPY is over (all rows sent, the server done)."""
        stop = self

        class CopyingCursor(base):
            @contextmanager
            def copy(self, statement, *args, **kwargs):
                with super().copy(statement, *args, **kwargs) as copy:
                    yield copy
                stop.ran(statement if isinstance(statement, str) else statement.as_string(self))

        return CopyingCursor

    def connection_created(self, sender, connection, **kwargs) -> None:
        if connection.vendor == "postgresql":
            raw = connection.connection
            raw.cursor_factory = self.copying_cursor(raw.cursor_factory)


@contextmanager
def _stopping(args: list[str]):
    from django.db import connection
    from django.db.backends.signals import connection_created

    if not args:
        yield
        return
    prefix, ready = args
    stop = _Stop(prefix, Path(ready))
    # Every connection from here on copies through the watching cursor (a web
    # request closes the connection it finds and opens its own).
    connection.close()
    connection_created.connect(stop.connection_created)
    try:
        with connection.execute_wrapper(stop.execute_wrapper):
            yield
    finally:
        connection_created.disconnect(stop.connection_created)


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
