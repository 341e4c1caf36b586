"""Killing the process that runs an import, in the middle of writing, leaves no partial
import: no figure, no history row, no no-location count, and no batch that claims to
be stored. Importing again afterwards stores exactly the file's counts, once.

A year of police.uk street-level files for one force (240,000 rows, zipped) is
imported by a real process against a real database (a SQLite file, and PostgreSQL
when the suite runs on it), in the two ways the app runs imports: the
``import_policeuk`` command, and the confirmation page of a web worker. The process
stops right after one real statement of the import's transaction has run (see
``import_kill_probe``); the test sees the transaction open from outside (SQLite's
journal file, PostgreSQL's ``pg_stat_activity``) and sends SIGKILL.
"""

import csv
import io
import json
import signal
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

import psycopg
import pytest

from crimestats.catalogue import POLICEUK_ASB, POLICEUK_CRIME_TYPES
from crimestats.importers.policeuk import HEADER
from tests.operations.conftest import subprocess_env
from tests.operations.import_kill_probe import AREAS, FORCE

ROOT = Path(__file__).resolve().parents[2]
MONTHS = [f"{year}-{month:02d}" for year, month in [(2023, m) for m in range(4, 13)]] + [
    f"2024-{m:02d}" for m in range(1, 4)
]
ROWS_PER_MONTH = 20_000
CRIME_TYPES = [name for name, _rule in POLICEUK_CRIME_TYPES] + [POLICEUK_ASB]
# Rows fall in the partnership's five areas, in a neighbouring district, or nowhere.
PLACES = [*AREAS, "Elsewhere", None]


def _rows(month: str, codes: dict[str, str]):
    for i in range(ROWS_PER_MONTH):
        crime_type = CRIME_TYPES[(i * 7 + i // 11) % len(CRIME_TYPES)]
        place = PLACES[(i * 5 + i // 3) % len(PLACES)]
        located = place is not None
        lsoa = f"{place} {i % 17 + 1:03d}{'ABCD'[i % 4]}" if located else ""
        if located:
            codes.setdefault(lsoa, f"E01{len(codes) + 1:06d}")
        yield [
            "" if crime_type == POLICEUK_ASB else f"{i:08x}{month}".ljust(64, "f"),
            month,
            FORCE,
            FORCE,
            "-0.1" if located else "",
            "51.5" if located else "",
            "On or near High Street" if located else "No location",
            codes[lsoa] if located else "",
            lsoa,
            crime_type,
            "" if crime_type == POLICEUK_ASB else "Under investigation",
            "",
        ]


@pytest.fixture(scope="module")
def police_year(tmp_path_factory):
    """The zip of twelve monthly files, and what a correct import stores: the
    figures, the no-location counts and the rows stored, counted here from the rows
    as written, without the importer."""
    folder = tmp_path_factory.mktemp("policeuk")
    path = folder / "killtest-2023-24.zip"
    codes: dict[str, str] = {}
    cells: Counter = Counter()
    unlocated: Counter = Counter()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for month in MONTHS:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow(HEADER)
            for row in _rows(month, codes):
                writer.writerow(row)
                crime_type, lsoa_name = row[9], row[8]
                area = lsoa_name.rsplit(" ", 1)[0]
                if not lsoa_name:
                    unlocated[(FORCE, month, crime_type)] += 1
                elif area in AREAS:
                    cells[(crime_type, area, month)] += 1
            archive.writestr(f"{month}-killtest-street.csv", buffer.getvalue())
    figures = []
    for month in MONTHS:
        for area in AREAS:
            for crime_type in CRIME_TYPES:
                figures.append([crime_type, area, month, cells[(crime_type, area, month)]])
            crime = sum(cells[(t, area, month)] for t in CRIME_TYPES if t != POLICEUK_ASB)
            figures.append(["all-crime", area, month, crime])
    return {
        "zip": path,
        "figures": sorted(figures),
        "unallocated": sorted([*key, n] for key, n in unlocated.items()),
        "rows_stored": sum(cells.values()) + sum(unlocated.values()),
    }


def _run(env, *args) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603 (our own interpreter and modules)
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def _probe(env, *args):
    return _run(env, "-m", "tests.operations.import_kill_probe", *map(str, args))


def _state(env) -> dict:
    return json.loads(_probe(env, "state").stdout)


@pytest.fixture
def database(new_database, tmp_path):
    url = new_database()
    env = subprocess_env(url, tmp_path / "media")
    _run(env, "manage.py", "migrate", "--noinput", "-v0")
    _probe(env, "setup")
    return url, env


def _transaction_is_open(url: str, pid: int) -> bool:
    """Seen from outside the killed process: its transaction holds uncommitted work."""
    if url.startswith("sqlite"):
        # In SQLite's default journal mode a write transaction keeps a -journal file
        # beside the database until it commits or rolls back.
        return Path(url.removeprefix("sqlite:///") + "-journal").exists()
    with psycopg.connect(url, autocommit=True) as conn:
        states = conn.execute(
            "SELECT state FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return states == [("idle in transaction",)]


def _wait_until_gone(url: str) -> None:
    """PostgreSQL ends the killed client's backend (rolling its transaction back) as
    soon as it sees the closed socket; wait for that before looking."""
    if url.startswith("sqlite"):
        return  # the next process to open the file rolls the hot journal back
    deadline = time.monotonic() + 30
    with psycopg.connect(url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            others = conn.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()[0]
            if others == 0:
                return
            time.sleep(0.1)
    raise AssertionError("the killed process's connection is still open after 30 s")


def _kill_mid_write(env, url: str, tmp_path: Path, stop: str, *args) -> dict:
    """Start the probe, wait until it has run ``stop`` inside the import's
    transaction, check the transaction is open, and SIGKILL it. Returns what the
    probe reported: the statement it stopped after and the tables written."""
    ready = tmp_path / f"ready-{time.monotonic_ns()}"
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [
            sys.executable,
            "-m",
            "tests.operations.import_kill_probe",
            *map(str, args),
            stop,
            str(ready),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 300
        while not ready.exists():
            assert process.poll() is None, process.communicate()[1].decode()
            assert time.monotonic() < deadline, "the import never reached the statement"
            time.sleep(0.05)
        time.sleep(0.05)  # the file is written in one call; let it be closed
        report = json.loads(ready.read_text())
        assert report["pid"] == process.pid
        assert _transaction_is_open(url, process.pid)
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    _wait_until_gone(url)
    return report


def _first_figures_write(url: str, figures: int) -> tuple[str, int]:
    """The statement that writes the import's first figures, and how many of its
    ``figures`` the transaction holds once that has run (``crimestats.bulk_insert``):
    on PostgreSQL one COPY writes them all; on SQLite an INSERT of the first figure
    takes the write lock, and the rest follow."""
    if url.startswith("postgres"):
        return 'COPY "crimestats_observation"', figures
    return 'INSERT INTO "crimestats_observation"', 1


def _assert_nothing_stored(state: dict) -> None:
    assert state["observations"] == []
    assert state["history"] == 0
    assert state["unallocated"] == []


def test_killing_the_import_command_mid_write_leaves_no_partial_import(
    database, police_year, tmp_path
):
    url, env = database
    zip_path, figures, unallocated = (police_year[k] for k in ("zip", "figures", "unallocated"))

    stop, figures_written = _first_figures_write(url, len(figures))

    report = _kill_mid_write(env, url, tmp_path, stop, "command", zip_path)

    assert report["statement"].startswith(stop)
    # The batch's preview row was committed before the import's transaction began.
    assert sorted(report["tables_written"]) == ["crimestats_importbatch", "crimestats_observation"]
    # Figures were really written, inside the transaction the kill interrupts.
    assert report["rows_in_transaction"] == {
        "crimestats_observation": figures_written,
        "crimestats_historicalobservation": 0,
    }
    state = _state(env)
    _assert_nothing_stored(state)
    # The preview, recorded before the transaction began, says nothing was stored.
    assert state["batches"] == [
        {
            "status": "previewed",
            "rows_read": len(MONTHS) * ROWS_PER_MONTH,
            "rows_stored": 0,
            "stored_at": None,
            "stored": None,
            "file_kept": False,
        }
    ]

    again = _probe(env, "command", zip_path)

    assert (
        f"Stored: {len(figures)} figures created, 0 changed, 0 unchanged; "
        f"unallocated changed {len(unallocated)}."
    ) in again.stdout
    assert "imported before" not in again.stdout
    state = _state(env)
    assert state["observations"] == figures
    assert state["history"] == len(figures)
    assert state["unallocated"] == unallocated
    assert [b["status"] for b in state["batches"]] == ["previewed", "stored"]

    # A third run finds everything in place and changes nothing.
    third = _probe(env, "command", zip_path)
    assert "This file was imported before: importing it again changes nothing." in third.stdout
    assert f"0 figures created, 0 changed, {len(figures)} unchanged" in third.stdout
    assert _state(env)["history"] == len(figures)


def test_killing_a_web_worker_confirming_an_import_leaves_it_to_confirm_again(
    database, police_year, tmp_path
):
    url, env = database
    zip_path, figures, unallocated = (police_year[k] for k in ("zip", "figures", "unallocated"))
    batch = json.loads(_probe(env, "upload", zip_path).stdout)["batch"]

    # The last statement of the transaction: everything is written, and the batch is
    # being marked stored, when the worker dies.
    report = _kill_mid_write(
        env, url, tmp_path, 'UPDATE "crimestats_importbatch"', "confirm", batch
    )

    assert report["statement"].startswith('UPDATE "crimestats_importbatch"')
    assert sorted(report["tables_written"]) == [
        "crimestats_historicalobservation",
        "crimestats_importbatch",
        "crimestats_observation",
        "crimestats_unallocatedcount",
    ]
    assert report["rows_in_transaction"] == {
        "crimestats_observation": len(figures),
        "crimestats_historicalobservation": len(figures),
    }
    state = _state(env)
    _assert_nothing_stored(state)
    assert state["batches"] == [
        {
            "status": "previewed",
            "rows_read": len(MONTHS) * ROWS_PER_MONTH,
            "rows_stored": 0,
            "stored_at": None,
            "stored": None,
            "file_kept": True,
        }
    ]

    confirmed = json.loads(_probe(env, "confirm", batch).stdout)

    assert confirmed["status"] == 302
    state = _state(env)
    assert state["observations"] == figures
    assert state["history"] == len(figures)
    assert state["unallocated"] == unallocated
    (stored,) = state["batches"]
    assert stored["status"] == "stored"
    assert stored["rows_stored"] == police_year["rows_stored"]
    assert stored["stored"]["created"] == len(figures)
    assert stored["stored"]["updated"] == 0
    assert stored["stored"]["unallocated_changed"] == len(unallocated)
