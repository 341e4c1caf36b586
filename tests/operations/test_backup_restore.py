"""scripts/backup.sh then scripts/restore.sh into an empty database and media folder
loses nothing: every figure and its revisions, every resolution and its history, every
issued report with its checksum, every stored file.

The scripts run exactly as an operator runs them, in their own processes. The SQLite
branch runs in every test run; the PostgreSQL branch (pg_dump -Fc / pg_restore) runs
when the suite runs on PostgreSQL (``make test-postgres``), on databases of its own.
"""

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.operations.conftest import subprocess_env

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
BASH = shutil.which("bash")


def _attempt(args: list, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own scripts and interpreter)
        [str(a) for a in args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _run(args: list, env: dict[str, str]) -> subprocess.CompletedProcess:
    result = _attempt(args, env)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def _python(env, *args):
    return _run([sys.executable, *args], env)


def _snapshot(env) -> dict:
    return json.loads(_python(env, "-m", "tests.operations.backup_probe", "snapshot").stdout)


@pytest.fixture
def databases(new_database):
    """(source url, empty target url) for the engine."""
    return new_database(), new_database()


def test_a_backup_restored_into_an_empty_database_loses_nothing(databases, tmp_path):
    live_url, restored_url = databases
    live = subprocess_env(live_url, tmp_path / "media-live")
    restored = subprocess_env(restored_url, tmp_path / "media-restored")
    _python(live, "manage.py", "migrate", "--noinput", "-v0")
    _python(live, "manage.py", "seed_demo")
    _python(live, "-m", "tests.operations.backup_probe", "load")
    before = _snapshot(live)

    backup = Path(
        _run([BASH, SCRIPTS / "backup.sh", tmp_path / "backups"], live).stdout.split()[-1]
    )
    _run([BASH, SCRIPTS / "restore.sh", backup], restored)
    after = _snapshot(restored)

    assert sorted(p.name for p in backup.iterdir()) == sorted(
        [
            "database.dump" if "postgres" in live_url else "database.sqlite3",
            "media.tar.gz",
            "manifest.txt",
            "SHA256SUMS",
        ]
    )
    tables_before, tables_after = before["tables"], after["tables"]
    assert tables_after.keys() == tables_before.keys()
    for table, rows in tables_before.items():
        assert tables_after[table] == rows, f"{table} differs after the restore"
    assert after["files"] == before["files"]

    # The things an auditor asks for, by name: figures and their revisions...
    observations = tables_after["crimestats.Observation"]
    assert len(observations) >= 2748  # the demo figures at the time of writing, at least
    corrected = next(o for o in observations if o["revision"] == 3)
    assert corrected["value"] == "127.00"
    revisions = [
        (h["revision"], h["value"], h["history_change_reason"])
        for h in tables_after["crimestats.HistoricalObservation"]
        if h["id"] == corrected["id"]
    ]
    assert revisions[-2:] == [
        (2, "131.00", "Correction 1: police re-extract"),
        (3, "127.00", "Correction 2: police re-extract"),
    ]
    assert len(revisions) == 3
    # ...resolutions with their history and responses...
    resolutions = tables_after["meetings.Resolution"]
    assert len(resolutions) >= 13
    assert [r["status"] for r in resolutions].count("discharged") >= 1
    assert any(
        h["history_change_reason"] == "Discharged at the June meeting"
        for h in tables_after["meetings.HistoricalResolution"]
    )
    assert len(tables_after["meetings.ResolutionResponse"]) == len(
        tables_before["meetings.ResolutionResponse"]
    )
    # ...and the issued reports (the demo's annual report and the probe's), whose
    # restored PDFs still match their checksums.
    versions = tables_after["reports.ReportVersion"]
    assert len(versions) == 2
    for version in versions:
        restored_pdf = (tmp_path / "media-restored" / version["pdf"]).read_bytes()
        assert hashlib.sha256(restored_pdf).hexdigest() == version["checksum"]
    assert hashlib.sha256(
        b"%PDF-1.7\n% CSP Portal backup test: an issued committee report\n%%EOF\n"
    ).hexdigest() in [version["checksum"] for version in versions]
    (batch,) = [b for b in tables_after["crimestats.ImportBatch"] if b["file"]]
    restored_csv = (tmp_path / "media-restored" / batch["file"]).read_bytes()
    assert hashlib.sha256(restored_csv).hexdigest() == batch["checksum"]


def test_restore_refuses_a_database_that_is_not_empty(databases, tmp_path):
    live_url, _ = databases
    live = subprocess_env(live_url, tmp_path / "media-live")
    _python(live, "manage.py", "migrate", "--noinput", "-v0")
    backup = _run([BASH, SCRIPTS / "backup.sh", tmp_path / "backups"], live).stdout.split()[-1]

    result = _attempt(
        [BASH, SCRIPTS / "restore.sh", backup], subprocess_env(live_url, tmp_path / "media-other")
    )

    assert result.returncode == 1
    assert "already" in result.stderr
    assert "restore into" in result.stderr


def test_restore_refuses_a_damaged_backup_and_writes_nothing(tmp_path):
    live = subprocess_env(f"sqlite:///{tmp_path / 'live.sqlite3'}", tmp_path / "media-live")
    _python(live, "manage.py", "migrate", "--noinput", "-v0")
    backup = Path(
        _run([BASH, SCRIPTS / "backup.sh", tmp_path / "backups"], live).stdout.split()[-1]
    )
    with (backup / "database.sqlite3").open("r+b") as damaged:
        damaged.seek(4096)
        damaged.write(b"\x00" * 64)
    target = tmp_path / "restored.sqlite3"

    result = _attempt(
        [BASH, SCRIPTS / "restore.sh", backup],
        subprocess_env(f"sqlite:///{target}", tmp_path / "media-restored"),
    )

    assert result.returncode == 1
    assert "checksums do not match: the backup is damaged; nothing restored." in result.stderr
    assert not target.exists()
    assert not (tmp_path / "media-restored").exists()
