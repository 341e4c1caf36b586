"""The demo register: one application of each kind, loaded once."""

import io
from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from casereviews import selectors
from casereviews.models import CaseReviewApplication, Recommendation
from partnerships.models import Partnership
from reports.management.commands import seed_demo

pytestmark = pytest.mark.django_db


@time_machine.travel(date(2024, 11, 20), tick=False)
def test_the_demo_register_shows_each_kind_and_loads_once(monkeypatch):
    monkeypatch.setattr(seed_demo, "DEMO_LOADERS", ["casereviews.demo.load"])
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out)
    assert "Case reviews: 4 applications loaded." in out.getvalue()
    partnership = Partnership.objects.get(slug="safer-chorley-south-ribble")
    found = selectors.register(partnership, show=selectors.Show.ALL, today=date(2024, 11, 20))
    steps = {row.application.reference: row.step for row in found.rows}
    assert steps["SR-CT-001"].is_closed and steps["SR-CT-002"].is_closed
    # Received 18 working days ago with 10 to decide: 8 working days late.
    assert steps["SR-CT-003"].overdue_by == 8
    assert steps["SR-CT-004"].overdue_by == 0 and not steps["SR-CT-004"].is_closed
    assert Recommendation.objects.count() == 2
    call_command("seed_demo", force=True, stdout=out)
    assert "Case reviews: 0 applications loaded." in out.getvalue()
    assert CaseReviewApplication.objects.count() == 4
