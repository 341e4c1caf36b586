"""Helper for the race tests: one process of a race, against a real database.

    python -m tests.operations.race_probe setup              -> JSON ids
    python -m tests.operations.race_probe act ACTION RETURN_ID VERSION GO_FILE
    python -m tests.operations.race_probe state RETURN_ID    -> JSON state

``act`` waits until GO_FILE exists (so both processes start together), then runs one
service call and prints its outcome. Whoever takes the return's row lock first holds
it for half a second, so the other process arrives while the first is mid-write.
"""

import json
import os
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import django

HOLD_SECONDS = 0.5


def setup() -> dict:
    from django.utils import timezone

    from accounts.models import User
    from crimestats.models import DataReturn, Measure, Observation, PartnershipMeasure
    from partnerships.models import Organisation, Partnership, PartnershipRole, Role

    partnership = Partnership.objects.create(name="Race CSP", slug="race")
    police = Organisation.objects.create(name="Race Police", type=Organisation.Type.POLICE)
    measure = Measure.objects.filter(frequency="quarterly", unit="count").order_by("code").first()
    PartnershipMeasure.objects.create(partnership=partnership, measure=measure, supplier=police)
    users = {}
    for name in ("first", "second"):
        user = User.objects.create_user(email=f"{name}@race.example", password="x" * 20)
        PartnershipRole.objects.create(
            user=user, partnership=partnership, role=Role.MANAGER, organisation=police
        )
        users[name] = user.pk
    data_return = DataReturn.objects.create(
        partnership=partnership,
        organisation=police,
        period_type="quarter",
        period_start=date(2024, 4, 1),
        period_end=date(2024, 6, 30),
        status=DataReturn.Status.SUBMITTED,
        version=3,
    )
    observation = Observation.objects.create(
        partnership=partnership,
        measure=measure,
        period_type="quarter",
        period_start=date(2024, 4, 1),
        period_end=date(2024, 6, 30),
        value=Decimal("40"),
        data_return=data_return,
        updated_at=timezone.now(),
    )
    return {
        "return_id": data_return.pk,
        "observation_id": observation.pk,
        "measure_id": measure.pk,
        "users": users,
    }


def _hold_the_lock() -> None:
    from crimestats import services

    take = services._lock_current

    def take_and_hold(data_return, version):
        current = take(data_return, version)
        time.sleep(HOLD_SECONDS)
        return current

    services._lock_current = take_and_hold


def act(action: str, return_id: int, version: int, go_file: Path) -> dict:
    from accounts.models import User
    from crimestats import services
    from crimestats.models import DataReturn, Observation
    from cspportal.lib.versioning import EditConflict

    data_return = DataReturn.objects.get(pk=return_id)
    observation = Observation.objects.get(data_return=data_return)
    who = "first" if action in ("approve", "correct-a") else "second"
    user = User.objects.get(email=f"{who}@race.example")
    value = {"save": "55", "correct-a": "61", "correct-b": "62"}.get(action)
    inputs = []
    if value is not None:
        inputs = [
            services.ObservationInput(
                measure_id=observation.measure_id,
                area_id=None,
                period_type=observation.period_type,
                period_start=observation.period_start,
                period_end=observation.period_end,
                value=Decimal(value),
            )
        ]
    _hold_the_lock()
    while not go_file.exists():
        time.sleep(0.001)
    started = time.monotonic()
    try:
        if action == "approve":
            services.data_return_approve(data_return=data_return, user=user, version=version)
        else:
            services.data_return_save(
                data_return=data_return,
                inputs=inputs,
                user=user,
                version=version,
                correction_reason="" if action == "save" else f"Police re-extract ({action})",
            )
    except EditConflict as stale:
        outcome = f"refused: {stale}"
    else:
        outcome = "won"
    return {"action": action, "outcome": outcome, "seconds": time.monotonic() - started}


def state(return_id: int) -> dict:
    from crimestats.models import DataReturn, Observation

    data_return = DataReturn.objects.get(pk=return_id)
    observation = Observation.objects.get(data_return=data_return)
    history = [
        {
            "value": str(h.value),
            "revision": h.revision,
            "is_approved": h.is_approved,
            "reason": h.history_change_reason,
        }
        for h in observation.history.order_by("history_date", "history_id")
    ]
    return_history = [
        {"version": h.version, "status": h.status, "reason": h.history_change_reason}
        for h in data_return.history.order_by("history_date", "history_id")
    ]
    return {
        "status": data_return.status,
        "version": data_return.version,
        "value": str(observation.value),
        "revision": observation.revision,
        "is_approved": observation.is_approved,
        "history": history,
        "return_history": return_history,
    }


def _out(value) -> None:
    json.dump(value, sys.stdout, default=str)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cspportal.settings")
    django.setup()
    command, *rest = sys.argv[1:]
    if command == "setup":
        _out(setup())
    elif command == "act":
        action, return_id, version, go_file = rest
        _out(act(action, int(return_id), int(version), Path(go_file)))
    elif command == "state":
        _out(state(int(rest[0])))
    else:
        sys.exit("usage: python -m tests.operations.race_probe setup|act|state ...")


if __name__ == "__main__":
    main()
