"""The demo plans load, load again without change, and read as the seeds describe."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from actionplans.models import Action, ActionPlan, ActionUpdate, MeasureTarget
from actionplans.selectors import plan_progress, plan_progress_for_plan
from reports.management.commands import seed_demo


@pytest.fixture
def seeded(db, settings, monkeypatch):
    settings.DEBUG = True
    # Only the partnerships and this app's loader: the figures loader is slow and has
    # its own tests.
    monkeypatch.setattr(seed_demo, "DEMO_LOADERS", ["actionplans.demo.load"])
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_demo_plans_load_and_reload_without_change(seeded):
    counts = (
        ActionPlan.objects.count(),
        Action.objects.count(),
        ActionUpdate.objects.count(),
        MeasureTarget.objects.count(),
    )
    assert counts == (2, 12, 21, 2)
    call_command("seed_demo", stdout=io.StringIO())
    assert counts == (
        ActionPlan.objects.count(),
        Action.objects.count(),
        ActionUpdate.objects.count(),
        MeasureTarget.objects.count(),
    )
    assert "Action plans: 12 actions, 21 quarterly updates." in seeded


def test_the_chorley_plan_reads_as_it_stood_at_the_end_of_2018_19(seeded):
    plan = ActionPlan.objects.get(partnership__slug="safer-chorley-south-ribble")
    progress = plan_progress_for_plan(plan)
    assert progress.as_of == date(2019, 3, 31)
    assert [(row.action.title, row.reasons) for row in progress.exceptions] == [
        ("Leyland Project: PCC-funded diversionary activities", ["RAG status red", "Overdue"]),
        (
            "Hold a monthly MARAC for high-risk domestic abuse cases",
            ["RAG status amber", "No update for Q4 2018/19"],
        ),
    ]
    totals = progress.totals
    assert (totals.red, totals.amber, totals.green, totals.complete, totals.overdue) == (
        1,
        1,
        4,
        2,
        1,
    )


def test_uttlesfords_draft_plan_is_never_reported(seeded):
    plan = ActionPlan.objects.get(partnership__slug="uttlesford")
    assert (plan.status, plan.years_label) == ("draft", "2024/25 to 2026/27")
    assert plan_progress(plan.partnership, as_of=date(2024, 6, 30)) is None
    assert plan_progress_for_plan(plan, date(2024, 6, 30)).exceptions[0].reasons == ["Overdue"]
