"""Reminders benchmark: one send_reminders run for a national instance.

Builds a new database (a SQLite file in a temporary folder, or the empty database
``--database-url`` names) with 300 partnerships and 3,000 users: in each partnership a
manager and three supplying organisations (a council, a police force, a health
trust) with three editors each, their measures, six actions (one of each pair fell
due the day before) and three resolutions whose report-back date has passed. Then,
with the clock at 09:00 on 29 October 2026, the day after Q2 2026/27's figures were
due, it runs the reminders twice and prints, for each run, the time, the query count
and the emails sent (Django's in-memory backend: each email is built in full, none
leaves the machine).

The first run claims and sends every chaser, late list, overdue notice and overdue
report-back list (6,600 emails); the second finds them all claimed and sends nothing.
Budget (issue 19): the first run under 60 s; the reads a fixed number of queries
whatever the number of users, the claims a bulk insert per 500 rows (fewer rows per
insert on SQLite, which limits a statement's parameters), the sending four queries
and a transaction for each batch of ``NOTIFICATIONS_SEND_BATCH`` emails.

    .venv/bin/python benchmarks/reminders.py [--database-url URL]

``BENCH_QUERY_KINDS=1`` also prints the most frequent statements of each run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PARTNERSHIPS = 300
EDITORS_PER_ORGANISATION = 3
SUPPLIES = (("council", "all-crime"), ("police", "marac-cases"), ("health", "asb-incidents"))
NOW = datetime(2026, 10, 29, 9, 0, tzinfo=ZoneInfo("UTC"))
BUDGET_SECONDS = 60.0


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "cspportal.settings"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("SITE_URL", "https://csp.example.gov.uk")
    import django

    django.setup()


def build() -> None:
    from django.core.management import call_command
    from django.db import transaction

    from accounts.models import User
    from actionplans.models import Action, ActionPlan, Objective
    from crimestats.models import Measure, PartnershipMeasure
    from meetings.models import Meeting, Resolution
    from partnerships.models import Organisation, Partnership, PartnershipRole, Role

    call_command("migrate", "--noinput", verbosity=0)
    measures = {m.code: m for m in Measure.objects.filter(code__in=[c for _, c in SUPPLIES])}
    with transaction.atomic():
        partnerships = Partnership.objects.bulk_create(
            Partnership(name=f"Bench {n:03d} CSP", slug=f"bench-{n:03d}")
            for n in range(PARTNERSHIPS)
        )
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Bench {n:03d} {kind}", type=kind)
            for n in range(PARTNERSHIPS)
            for kind, _ in SUPPLIES
        )
        users = User.objects.bulk_create(
            User(email=f"user{n:03d}-{i}@bench.example", password="!")  # noqa: S106 (unusable)
            for n in range(PARTNERSHIPS)
            for i in range(1 + EDITORS_PER_ORGANISATION * len(SUPPLIES))
        )
        roles, supplied, plans, meetings = [], [], [], []
        per = 1 + EDITORS_PER_ORGANISATION * len(SUPPLIES)
        for n, partnership in enumerate(partnerships):
            orgs = organisations[n * len(SUPPLIES) : (n + 1) * len(SUPPLIES)]
            people = users[n * per : (n + 1) * per]
            roles.append(
                PartnershipRole(
                    user=people[0], partnership=partnership, role=Role.MANAGER, organisation=orgs[0]
                )
            )
            for j, org in enumerate(orgs):
                supplied.append(
                    PartnershipMeasure(
                        partnership=partnership, measure=measures[SUPPLIES[j][1]], supplier=org
                    )
                )
                for k in range(EDITORS_PER_ORGANISATION):
                    roles.append(
                        PartnershipRole(
                            user=people[1 + j * EDITORS_PER_ORGANISATION + k],
                            partnership=partnership,
                            role=Role.EDITOR,
                            organisation=org,
                        )
                    )
            plans.append(
                ActionPlan(
                    partnership=partnership,
                    title="Plan",
                    start_year=2026,
                    end_year=2026,
                    status=ActionPlan.Status.ACTIVE,
                )
            )
            meetings.append(
                Meeting(
                    partnership=partnership, body="board", title="Board", date=date(2026, 9, 10)
                )
            )
        PartnershipRole.objects.bulk_create(roles)
        PartnershipMeasure.objects.bulk_create(supplied)
        ActionPlan.objects.bulk_create(plans)
        objectives = Objective.objects.bulk_create(Objective(plan=p, title="Aim") for p in plans)
        Action.objects.bulk_create(
            Action(
                objective=objective,
                title=f"Action {j}-{k}",
                lead_organisation=organisations[n * len(SUPPLIES) + j],
                owner_name="Officer",
                due_date=date(2026, 10, 28) if k == 0 else date(2027, 3, 31),
                status=Action.Status.ON_TRACK,
            )
            for n, objective in enumerate(objectives)
            for j in range(len(SUPPLIES))
            for k in range(2)
        )
        Meeting.objects.bulk_create(meetings)
        Resolution.objects.bulk_create(
            Resolution(
                meeting=meeting,
                number=j + 1,
                text="That a report come back.",
                owner=organisations[n * len(SUPPLIES) + j],
                report_back_date=date(2026, 10, 20),
            )
            for n, meeting in enumerate(meetings)
            for j in range(len(SUPPLIES))
        )


def measure() -> bool:
    import time_machine
    from django.core import mail
    from django.db import connection, reset_queries
    from django.test.utils import setup_test_environment

    from notifications.services import reminders_send

    setup_test_environment()  # the locmem outbox, and queries recorded
    connection.force_debug_cursor = True
    ok = True
    for label in ("first run", "second run"):
        mail.outbox = []
        reset_queries()
        with time_machine.travel(NOW, tick=True):
            start = time.perf_counter()
            result = reminders_send(now=NOW)
            seconds = time.perf_counter() - start
        queries = len(connection.queries)
        if os.environ.get("BENCH_QUERY_KINDS"):
            from collections import Counter

            kinds = Counter(" ".join(q["sql"].split()[:4])[:60] for q in connection.queries)
            for kind, count in kinds.most_common(12):
                print(f"  {count:5d} {kind}")
        print(
            f"{label}: {seconds:.1f} s, {queries} queries, {result.claimed} claimed, "
            f"{result.sent} emails sent ({len(mail.outbox)} in the outbox)"
        )
        if label == "first run" and seconds >= BUDGET_SECONDS:
            ok = False
    print(f"budget: first run under {BUDGET_SECONDS:.0f} s: {'met' if ok else 'MISSED'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="an empty database (default: a SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        _django(args.database_url or f"sqlite:///{Path(folder) / 'reminders.sqlite3'}")
        start = time.perf_counter()
        build()
        print(
            f"built {PARTNERSHIPS} partnerships and "
            f"{PARTNERSHIPS * (1 + EDITORS_PER_ORGANISATION * len(SUPPLIES))} users "
            f"in {time.perf_counter() - start:.0f} s"
        )
        return 0 if measure() else 1


if __name__ == "__main__":
    sys.exit(main())
