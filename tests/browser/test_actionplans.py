"""A council editor posts a quarterly update on their action by keyboard; a manager
opens every plan form (axe-core runs on every page) and adds an action with
JavaScript off."""

import re
import tempfile
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from actionplans.models import Action, ActionUpdate
from crimestats.models import Measure
from tests.browser.conftest import axe_check, sign_in
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    ActionUpdateFactory,
    MeasureTargetFactory,
    ObjectiveFactory,
    PriorityFactory,
    ThematicGroupFactory,
)

SHOTS = Path(tempfile.gettempdir()) / "actionplans-shots"


@pytest.fixture
def plan(cast):
    """A 2024/25 plan: it has ended, so it is shown as at 31 March 2025 (Q4 2024/25)
    whatever day the test runs."""
    plan = ActionPlanFactory(
        partnership=cast.partnership,
        title="Community Safety Action Plan 2024/25",
        start_year=2024,
        end_year=2024,
    )
    objective = ObjectiveFactory(
        plan=plan,
        title="Keep victims of domestic abuse safe",
        priority=PriorityFactory(partnership=cast.partnership, name="Violent crime"),
        thematic_group=ThematicGroupFactory(partnership=cast.partnership, name="Officers' group"),
    )
    # live_server tests flush the database, catalogue included, between tests.
    asb, _ = Measure.objects.get_or_create(
        code="asb-incidents",
        defaults={"name": "Anti-social behaviour incidents", "group": "ASB", "kind": "incident"},
    )
    MeasureTargetFactory(objective=objective, measure=asb)
    sanctuary = ActionFactory(
        objective=objective,
        title="Sanctuary Scheme",
        lead_organisation=cast.council,
        owner_name="Housing Options Team Leader",
        start_date=date(2024, 4, 1),
        due_date=date(2025, 3, 31),
        rag_status="green",
    )
    ActionUpdateFactory(action=sanctuary, financial_year=2024, quarter=3, rag_status="green")
    ActionFactory(
        objective=objective,
        title="MARAC",
        lead_organisation=cast.police,
        owner_name="Detective Sergeant",
        due_date=date(2025, 1, 31),
        rag_status="red",
        status="off_track",
    )
    return plan


def _shot(page: Page, name: str) -> None:
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def _sign_in(page: Page, base_url: str, email: str) -> None:
    sign_in(page, base_url, email)
    # Pressing Enter posts the form; wait for the redirect before navigating on.
    page.wait_for_url(re.compile(rf"^{re.escape(base_url)}/partnerships/[a-z0-9-]+/$"))


def _follow(page: Page, name: str) -> None:
    page.get_by_role("link", name=name, exact=True).first.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_council_editor_posts_a_quarterly_update_by_keyboard(cast, plan, live_server, page: Page):
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, live_server.url, cast.editor.email)
    page.goto(f"{live_server.url}/partnerships/{cast.partnership.slug}/")
    _shot(page, "00-profile")
    _follow(page, "Action plan")
    expect(page.get_by_role("heading", name="Action plans", level=1)).to_be_visible()
    axe_check(page)
    _shot(page, "01-plans")

    _follow(page, "Community Safety Action Plan 2024/25")
    expect(page.get_by_role("heading", name="Exceptions")).to_be_visible()
    expect(page.get_by_text("RAG status red; Overdue; No update for Q4 2024/25")).to_be_visible()
    # The editor may update the council's action, not the police one.
    expect(page.get_by_role("link", name="Post an update on Sanctuary Scheme")).to_be_visible()
    expect(page.get_by_role("link", name="Post an update on MARAC")).to_have_count(0)
    axe_check(page)
    _shot(page, "02-plan")

    _follow(page, "Post an update on Sanctuary Scheme")
    expect(
        page.get_by_role("heading", name="Post a quarterly update on Sanctuary Scheme")
    ).to_be_visible()
    expect(page.get_by_label("Quarter", exact=True)).to_have_value("2024-Q4")
    axe_check(page)
    _shot(page, "03-update-form")

    # Submitting nothing gives an error summary naming each field.
    page.get_by_role("button", name="Post update").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Choose a RAG status.")
    expect(summary).to_contain_text("Describe the progress this quarter.")
    axe_check(page)
    _shot(page, "04-update-errors")
    assert not ActionUpdate.objects.filter(quarter=4).exists()

    page.get_by_label("Amber: at risk, being managed").focus()
    page.keyboard.press("Space")
    page.get_by_label("Status of the action").focus()
    page.get_by_label("Status of the action").select_option("at_risk")
    page.get_by_label("Progress this quarter").focus()
    page.keyboard.type("Six referrals waiting for installations; grant bid submitted.")
    page.keyboard.press("Tab")
    page.keyboard.type("https://example.org/sanctuary-q4")
    page.get_by_role("button", name="Post update").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    expect(page.get_by_text("Update for Q4 2024/25 posted.")).to_be_visible()
    expect(page.get_by_role("heading", name="Sanctuary Scheme", level=1)).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("Q4 2024/25")
    expect(rows.nth(1)).to_contain_text("Amber")
    expect(rows.nth(1)).to_contain_text("Six referrals waiting")
    axe_check(page)
    _shot(page, "05-action-history")

    update = ActionUpdate.objects.get(quarter=4)
    assert (update.rag_status, update.status, update.author) == ("amber", "at_risk", cast.editor)
    assert update.evidence_url == "https://example.org/sanctuary-q4"


def test_manager_plan_forms_pass_axe(cast, plan, live_server, page: Page):
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, live_server.url, cast.manager.email)
    page.goto(f"{live_server.url}/partnerships/{cast.partnership.slug}/plan/")
    page.get_by_role("link", name="Create an action plan").click()
    expect(page.get_by_role("heading", name="Create an action plan", level=1)).to_be_visible()
    axe_check(page)
    page.go_back()
    page.get_by_role("link", name="Community Safety Action Plan 2024/25").click()
    plan_url = page.url
    objective = "Keep victims of domestic abuse safe"
    for link, heading, shot in [
        ("Change the plan's details", "Edit Community Safety Action Plan 2024/25", "10-plan-edit"),
        ("Add an objective", "Add an objective", "11-objective"),
        (f"Add an action to {objective}", f"Add an action to {objective}", "12-action"),
        (f"Add a target to {objective}", f"Add a target to {objective}", "13-target"),
        ("Remove target", "Remove the target", "14-target-delete"),
        ("MARAC", "MARAC", "16-action-detail"),
    ]:
        page.goto(plan_url)
        page.get_by_role("link", name=link).first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        axe_check(page)
        _shot(page, shot)
    page.get_by_role("link", name="Change the action").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit MARAC")
    axe_check(page)
    _shot(page, "17-action-edit")


def test_manager_adds_an_action_without_javascript(cast, plan, live_server, browser):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    _sign_in(page, live_server.url, cast.manager.email)
    page.goto(f"{live_server.url}/partnerships/{cast.partnership.slug}/plan/")
    page.get_by_role("link", name="Community Safety Action Plan 2024/25").click()
    page.get_by_role("link", name="Add an action to Keep victims").click()
    page.get_by_label("Title").fill("Divert")
    page.get_by_label("Lead organisation").select_option(label="Testshire Police")
    page.get_by_label("Owner").fill("Neighbourhood Sergeant")
    page.locator("#id_due_date_0").fill("31")
    page.locator("#id_due_date_1").fill("13")
    page.locator("#id_due_date_2").fill("2025")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_be_visible()
    _shot(page, "15-action-error")
    assert not Action.objects.filter(title="Divert").exists()
    page.locator("#id_due_date_1").fill("3")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Divert", level=1)).to_be_visible()
    assert Action.objects.get(title="Divert").due_date == date(2025, 3, 31)
    context.close()
