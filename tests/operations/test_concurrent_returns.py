"""Two processes act on the same data return at the same moment: one wins, the other
is refused with a clear message, and no revision is lost or half-written.

Each side runs in its own process against a real database (SQLite file, or
PostgreSQL under ``make test-postgres``), started together; whoever takes the
return's row lock first holds it for half a second while the other arrives.
"""

import json
import subprocess
import sys
import time

import pytest

from tests.operations.conftest import ROOT, migrated, run_probe

STALE = "refused: Someone else changed this data return after you opened it."


def _probe(env, *args) -> dict:
    return run_probe(env, "race_probe", *args)


def _race(env, tmp_path, return_id: int, version: int, actions: list[str]) -> dict[str, str]:
    go = tmp_path / f"go-{'-'.join(actions)}"
    processes = [
        subprocess.Popen(  # noqa: S603 (our own interpreter)
            [
                sys.executable,
                "-m",
                "tests.operations.race_probe",
                "act",
                action,
                str(return_id),
                str(version),
                str(go),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for action in actions
    ]
    time.sleep(4)  # both processes have Django loaded and are waiting for the signal
    go.touch()
    outcomes = {}
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        result = json.loads(out)
        outcomes[result["action"]] = result["outcome"]
    return outcomes


@pytest.fixture
def race(new_database, tmp_path):
    env = migrated(new_database())
    return env, _probe(env, "setup")


def test_approving_and_correcting_at_once_has_one_winner_and_one_clear_refusal(race, tmp_path):
    env, ids = race

    outcomes = _race(env, tmp_path, ids["return_id"], 3, ["approve", "save"])

    assert sorted(outcomes.values()) == sorted(["won", STALE])
    state = _probe(env, "state", ids["return_id"])
    assert state["version"] == 4
    if outcomes["approve"] == "won":
        assert (state["status"], state["value"], state["revision"], state["is_approved"]) == (
            "approved",
            "40.00",
            1,
            True,
        )
        assert [(h["value"], h["is_approved"], h["reason"]) for h in state["history"]] == [
            ("40.00", False, None),
            ("40.00", True, "Return approved"),
        ]
    else:
        assert (state["status"], state["value"], state["revision"], state["is_approved"]) == (
            "submitted",
            "55.00",
            2,
            False,
        )
        assert [(h["value"], h["revision"]) for h in state["history"]] == [
            ("40.00", 1),
            ("55.00", 2),
        ]
    assert [h["version"] for h in state["return_history"]] == [3, 4]


def test_two_corrections_of_an_approved_return_at_once_keep_exactly_one(race, tmp_path):
    env, ids = race
    assert _race(env, tmp_path, ids["return_id"], 3, ["approve"]) == {"approve": "won"}

    outcomes = _race(env, tmp_path, ids["return_id"], 4, ["correct-a", "correct-b"])

    assert sorted(outcomes.values()) == sorted(["won", STALE])
    winner = "correct-a" if outcomes["correct-a"] == "won" else "correct-b"
    value = {"correct-a": "61.00", "correct-b": "62.00"}[winner]
    state = _probe(env, "state", ids["return_id"])
    assert (state["status"], state["version"], state["value"], state["revision"]) == (
        "approved",
        5,
        value,
        2,
    )
    assert state["is_approved"] is True
    corrections = [h for h in state["history"] if h["revision"] == 2]
    assert [(h["value"], h["reason"]) for h in corrections] == [
        (value, f"Police re-extract ({winner})")
    ]
    loser_value = {"61.00", "62.00"} - {value}
    assert not [h for h in state["history"] if h["value"] in loser_value]
