"""Action-update reminders (on the figures' timetable: due 20 working days after the
quarter, reminded 5 before) and the email when an action becomes overdue, over real
SMTP with time frozen."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    ActionUpdateFactory,
    ObjectiveFactory,
)

UTC = ZoneInfo("UTC")
SITE = "http://127.0.0.1:8000"


def run(when: datetime) -> None:
    with time_machine.travel(when, tick=False):
        call_command("send_reminders", stdout=StringIO())


def sent(smtp_server) -> list[tuple[str, str]]:
    return sorted((m.recipients[0], m.message["Subject"]) for m in smtp_server.messages)


@pytest.fixture
def plan(cast):
    plan = ActionPlanFactory(
        partnership=cast.partnership, title="Safer Testshire Plan", start_year=2026, end_year=2026
    )
    objective = ObjectiveFactory(plan=plan)
    # The police lead two actions: one has its Q2 update, one has not.
    waiting = ActionFactory(
        objective=objective, title="Hate crime training", lead_organisation=cast.police
    )
    done = ActionFactory(
        objective=objective, title="Street lighting", lead_organisation=cast.police
    )
    ActionUpdateFactory(action=done, financial_year=2026, quarter=2)
    # The council's action fell due the day before the reminder day; an older one
    # fell due in September; a complete one is never overdue.
    overdue = ActionFactory(
        objective=objective,
        title="CCTV review",
        lead_organisation=cast.council,
        due_date=date(2026, 10, 20),
    )
    ActionUpdateFactory(action=overdue, financial_year=2026, quarter=2)
    for title, status in (("Old survey", "on_track"), ("Finished survey", "complete")):
        old = ActionFactory(
            objective=objective,
            title=title,
            lead_organisation=cast.council,
            due_date=date(2026, 9, 1) if status == "on_track" else date(2026, 10, 19),
            status=status,
        )
        ActionUpdateFactory(action=old, financial_year=2026, quarter=2)
    return {"plan": plan, "waiting": waiting, "overdue": overdue}


def test_lead_organisations_are_reminded_of_missing_updates_and_told_of_overdue_actions(
    cast, plan, smtp_server, settings
):
    settings.SITE_URL = SITE
    run(datetime(2026, 10, 21, 5, 59, tzinfo=UTC))  # 06:59 BST, still the 20th's
    overdue = "Safer Testshire CSP: the action 'CCTV review' is overdue"
    # The 20th is before the reminder day; the CCTV review was due that day, so on the
    # 20th it is not overdue yet.
    assert smtp_server.messages == []
    run(datetime(2026, 10, 21, 6, 0, tzinfo=UTC))
    reminder = "Safer Testshire CSP: updates on 1 action for Q2 2026/27 are due 28 October 2026"
    assert sent(smtp_server) == [
        ("editor@test.example", overdue),
        ("manager@test.example", overdue),
        ("police@test.example", reminder),
    ]
    police = next(m for m in smtp_server.messages if m.recipients == ["police@test.example"])
    text, _ = smtp_server.bodies(police)
    assert text.replace("\r\n", "\n").startswith(
        "Testshire Police leads 1 action in Safer Testshire Plan with no update for "
        "Q2 2026/27 (July to September 2026). Updates are due on 28 October 2026.\n"
    )
    plan_link = f"{SITE}/partnerships/safer-testshire/plan/{plan['plan'].pk}/"
    assert smtp_server.links(police) == [plan_link, f"{SITE}/notifications/preferences/"]
    editor = next(m for m in smtp_server.messages if m.recipients == ["editor@test.example"])
    action_link = f"{SITE}/partnerships/safer-testshire/plan/actions/{plan['overdue'].pk}/"
    assert smtp_server.links(editor)[0] == action_link
    # Every day up to the due date and after: nothing more.
    for day in (22, 28, 29):
        run(datetime(2026, 10, day, 9, 0, tzinfo=UTC))
    assert len(smtp_server.messages) == 3


def test_an_update_posted_before_the_reminder_day_means_no_reminder(
    cast, plan, smtp_server, settings
):
    settings.SITE_URL = SITE
    ActionUpdateFactory(action=plan["waiting"], financial_year=2026, quarter=2)
    run(datetime(2026, 10, 21, 6, 0, tzinfo=UTC))
    assert [r for r, _ in sent(smtp_server)] == ["editor@test.example", "manager@test.example"]


def test_a_draft_plan_reminds_nobody(cast, plan, smtp_server, settings):
    settings.SITE_URL = SITE
    plan["plan"].status = "draft"
    plan["plan"].save()
    run(datetime(2026, 10, 21, 6, 0, tzinfo=UTC))
    assert smtp_server.messages == []
