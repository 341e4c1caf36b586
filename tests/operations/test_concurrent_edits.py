"""Two people save the same record at the same moment, each from the page they
opened: one save wins, the other is refused with the one conflict message, and the
record holds exactly the winner's text, one version on. One record of each app
(partnerships, action plans, meetings, reports), each side in its own process
against a real database (SQLite file, or PostgreSQL under ``make test-postgres``)."""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.operations.conftest import ROOT, migrated, run_probe

NOUNS = {
    "area": "area",
    "action": "action",
    "meeting": "meeting",
    "report": "report",
    "section": "report section",
}


def _probe(env, *args) -> dict:
    return run_probe(env, "edit_race_probe", *args)


def _race(env, signals: Path, ids: dict[str, int]) -> dict[str, dict[str, str]]:
    """Ann and Bob, each in their own process, save every record at the same moment,
    one record after another."""
    records = [f"{kind}:{ids[kind]}" for kind in NOUNS]
    processes = {
        name: subprocess.Popen(  # noqa: S603 (our own interpreter)
            [sys.executable, "-m", "tests.operations.edit_race_probe", "act", name, signals]
            + records,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("Ann", "Bob")
    }
    for kind in NOUNS:
        deadline = time.monotonic() + 120
        while not all((signals / f"ready-{kind}-{name}").exists() for name in processes):
            assert time.monotonic() < deadline, f"the processes never got to the {kind}"
            time.sleep(0.01)
        (signals / f"go-{kind}").touch()
    outcomes = {}
    for name, process in processes.items():
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        outcomes[name] = json.loads(out)
    return outcomes


@pytest.fixture
def records(new_database):
    env = migrated(new_database())
    return env, _probe(env, "setup")


def test_two_saves_of_one_record_at_once_keep_exactly_one(records, tmp_path):
    env, ids = records

    outcomes = _race(env, tmp_path, ids)

    for kind, noun in NOUNS.items():
        refused = f"refused: Someone else changed this {noun} after you opened it."
        said = {name: outcomes[name][kind] for name in outcomes}
        assert sorted(said.values()) == sorted(["won", refused]), kind
        winner = "Ann" if said["Ann"] == "won" else "Bob"
        assert _probe(env, "state", kind, ids[kind]) == {
            "version": 2,
            "text": f"{kind} by {winner}",
            "saves": 1,
        }, kind
