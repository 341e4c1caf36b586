"""Helper for the send_reminders kill test, run in its own process against a real
database (``DATABASE_URL``) and SMTP server (``EMAIL_HOST``, ``EMAIL_PORT``):

    python -m tests.operations.reminders_probe seed EDITORS   # a partnership, late figures
    python -m tests.operations.reminders_probe run WHEN       # send_reminders at WHEN (ISO)
    python -m tests.operations.reminders_probe deliveries     # every delivery, as JSON

``run`` freezes the clock with time-machine, so the run is the command a timer
starts, at a chosen moment.
"""

import json
import sys
from datetime import datetime

import django


def seed(editors: int) -> None:
    from accounts.models import User
    from crimestats.models import Measure, PartnershipMeasure
    from partnerships.models import Membership, Organisation, Partnership, PartnershipRole, Role

    partnership = Partnership.objects.create(name="Killshire CSP", slug="killshire")
    police = Organisation.objects.create(name="Killshire Police", type=Organisation.Type.POLICE)
    Membership.objects.create(partnership=partnership, organisation=police)
    PartnershipMeasure.objects.create(
        partnership=partnership, measure=Measure.objects.get(code="marac-cases"), supplier=police
    )
    manager = User.objects.create_user("manager@kill.example")
    PartnershipRole.objects.create(user=manager, partnership=partnership, role=Role.MANAGER)
    for n in range(editors):
        user = User.objects.create_user(f"editor{n}@kill.example")
        PartnershipRole.objects.create(
            user=user, partnership=partnership, role=Role.EDITOR, organisation=police
        )
    print(json.dumps({"partnership": partnership.pk}))


def run(when: str) -> None:
    import time_machine
    from django.core.management import call_command

    with time_machine.travel(datetime.fromisoformat(when), tick=False):
        call_command("send_reminders")


def deliveries() -> None:
    from notifications.models import Delivery

    rows = Delivery.objects.order_by("email").values_list("email", "reason_key", "status")
    print(json.dumps([list(row) for row in rows]))


if __name__ == "__main__":
    django.setup()
    command, *args = sys.argv[1:]
    if command == "seed":
        seed(int(args[0]))
    elif command == "run":
        run(args[0])
    else:
        deliveries()
