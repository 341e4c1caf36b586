"""send_reminders killed mid-run (SIGKILL, after its second email has gone and been
recorded), then run again: every email arrives exactly once. On SQLite, and on
PostgreSQL when the suite runs there. The command runs in its own process, against
a real database and a local SMTP server."""

import os
import signal
import subprocess
import sys

import pytest
from django.conf import settings

from tests.operations.conftest import ROOT, migrated, run_probe, subprocess_env

# After the due date of Q2 2026/27 (28 October 2026), at 09:00 GMT.
AFTER_DUE = "2026-10-29T09:00:00+00:00"
EDITORS = 4
LATE_LIST = "data-request-late-list"


def _engines() -> list[str]:
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return ["sqlite", "postgresql"]
    return ["sqlite"]


@pytest.fixture(params=_engines())
def database_env(request, tmp_path) -> dict[str, str]:
    """A migrated database for the processes: a new SQLite file, or the suite's own
    PostgreSQL test database (the test is transactional: what the processes commit
    there is emptied when it ends)."""
    if request.param == "sqlite":
        return migrated(f"sqlite:///{tmp_path / 'reminders.sqlite3'}")
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return subprocess_env(f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}")


def _run(env: dict[str, str], **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-m", "tests.operations.reminders_probe", "run", AFTER_DUE],
        cwd=ROOT,
        env={**env, **extra},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.django_db(transaction=True)
def test_a_run_killed_mid_way_then_run_again_sends_every_email_exactly_once(
    database_env, smtp_server
):
    env = {
        **database_env,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": smtp_server.host,
        "EMAIL_PORT": str(smtp_server.port),
        "SITE_URL": "https://csp.example.gov.uk",
        "NOTIFICATIONS_SEND_BATCH": "1",
    }
    run_probe(env, "reminders_probe", "seed", EDITORS)
    expected = sorted(
        [f"editor{n}@kill.example" for n in range(EDITORS)] + ["manager@kill.example"]
    )

    killed = _run(env, NOTIFICATIONS_KILL_AFTER_BATCHES="2")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert len(smtp_server.messages) == 2
    statuses = [status for _, _, status in run_probe(env, "reminders_probe", "deliveries")]
    assert sorted(statuses) == ["pending", "pending", "pending", "sent", "sent"]

    again = _run(env)
    assert again.returncode == 0, again.stderr
    assert again.stdout == "0 new notifications, 0 daily summaries, 3 emails sent, 0 failed.\n"
    assert sorted(m.recipients[0] for m in smtp_server.messages) == expected
    rows = run_probe(env, "reminders_probe", "deliveries")
    assert [(email, status) for email, _, status in rows] == [(e, "sent") for e in expected]
    assert [key.split(":")[0] for email, key, _ in rows if email.startswith("manager")] == [
        LATE_LIST
    ]

    third = _run(env)
    assert third.stdout == "0 new notifications, 0 daily summaries, 0 emails sent, 0 failed.\n"
    assert len(smtp_server.messages) == len(expected)
