"""An editor records three ASB case review applications, the register shows the one
past its timescale, the manager publishes the year and the public page shows the four
figures; axe-core on every page, the app's CSP on."""

from datetime import date

from django.utils import timezone
from playwright.sync_api import Page, expect

from actionplans.models import Action
from casereviews.models import CaseReviewPublication, CaseReviewSettings
from cspportal.lib.periods import financial_year_label, financial_year_of
from cspportal.lib.working_days import add_working_days, working_days_between
from tests.browser.conftest import axe_check, sign_in
from tests.factories import ActionPlanFactory, ObjectiveFactory


def _date(page: Page, name: str, day: date) -> None:
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def _radio(page: Page, name: str, value: str) -> None:
    page.locator(f"input[name={name}][value={value}]").check()


def _record(page: Page, reference: str, received: date, organisation: str) -> None:
    page.get_by_role("link", name="Record an application").click()
    expect(
        page.get_by_text("Do not enter names, addresses or other personal details")
    ).to_be_visible()
    page.get_by_label("Reference number").fill(reference)
    _date(page, "received_on", received)
    page.get_by_label("Organisation that received it").select_option(label=organisation)


def _save(page: Page, reference: str) -> None:
    page.get_by_role("button", name="Save the application").click()
    expect(page.get_by_text(f"Application {reference} saved.")).to_be_visible()
    axe_check(page)


def test_the_case_review_register_and_its_publication(cast, live_server, page: Page, watched_page):
    ObjectiveFactory(
        plan=ActionPlanFactory(partnership=cast.partnership), title="Tackle anti-social behaviour"
    )
    CaseReviewSettings.objects.create(
        partnership=cast.partnership,
        threshold_text="Three complaints about separate incidents in six months.",
        how_to_apply="Ring 01234 567890.",
    )
    # Every date in the last financial year, so its figures are final whatever today is.
    today = timezone.localdate()
    year = financial_year_of(today) - 1
    slug = cast.partnership.slug
    sign_in(page, live_server.url, cast.editor.email)
    page.goto(f"{live_server.url}/partnerships/{slug}/")
    page.get_by_role("link", name="Case reviews", exact=True).click()
    expect(page.get_by_role("heading", name="ASB case review figures")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Register of applications").click()
    expect(page.get_by_role("heading", name="ASB case review register")).to_be_visible()
    axe_check(page)

    # Below the threshold.
    _record(page, "CT-BELOW", date(year, 5, 1), "Testshire Council")
    axe_check(page)
    _radio(page, "threshold_met", "not_met")
    _date(page, "decided_on", date(year, 5, 8))
    page.get_by_label("Reason for the decision").fill("One complaint in six months.")
    _date(page, "outcome_sent_on", date(year, 5, 10))
    _save(page, "CT-BELOW")

    # Reviewed, with a recommendation that becomes an action.
    page.get_by_role("link", name="Register of applications").click()
    _record(page, "CT-REVIEWED", date(year, 6, 3), "Testshire Police")
    _radio(page, "threshold_met", "met")
    _date(page, "decided_on", date(year, 6, 10))
    _date(page, "reviewed_on", date(year, 7, 1))
    _radio(page, "recommendations_made", "yes")
    _date(page, "outcome_sent_on", date(year, 7, 3))
    _save(page, "CT-REVIEWED")
    page.get_by_role("link", name="Add a recommendation").click()
    axe_check(page)
    page.get_by_label("Owner organisation").select_option(label="Testshire Police")
    page.get_by_label("Recommendation").fill("Add the street to the evening patrols.")
    page.get_by_role("button", name="Save the recommendation").click()
    expect(page.get_by_text("Recommendation added to CT-REVIEWED.")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Make it an action").click()
    expect(
        page.get_by_text(
            "Action created on the action plan: Add the street to the evening patrols."
        )
    ).to_be_visible()
    expect(page.get_by_role("link", name="Add the street to the evening patrols.")).to_be_visible()
    axe_check(page)
    action = Action.objects.get()
    assert action.lead_organisation == cast.police
    assert action.case_review_recommendations.get().application.reference == "CT-REVIEWED"

    # Pending, past its timescale of 10 working days.
    page.get_by_role("link", name="Register of applications").click()
    received = date(year, 9, 2)
    _record(page, "CT-PENDING", received, "Testshire Council")
    _save(page, "CT-PENDING")

    page.get_by_role("link", name="Register of applications").click()
    page.get_by_label("Show").select_option(label="Overdue")
    page.get_by_role("button", name="Show").click()
    late = working_days_between(add_working_days(received, 10), today)
    row = page.get_by_role("row", name="CT-PENDING")
    expect(row).to_contain_text("Decide whether the threshold is met")
    expect(row).to_contain_text(f"Overdue by {late:,} working days")
    expect(page.get_by_role("link", name="CT-BELOW")).to_have_count(0)
    axe_check(page)

    manager = watched_page()
    sign_in(manager, live_server.url, cast.manager.email)
    manager.goto(f"{live_server.url}/partnerships/{slug}/case-reviews/figures/")
    axe_check(manager)
    label = financial_year_label(year)
    manager.get_by_label("Financial year to publish").select_option(label=label)
    manager.get_by_role("button", name="Publish the year").click()
    expect(manager.get_by_text(f"Published the case review figures of {label}.")).to_be_visible()
    axe_check(manager)
    assert CaseReviewPublication.objects.get().financial_year == year

    public = watched_page()
    public.goto(f"{live_server.url}/public/{slug}/case-reviews/")
    expect(
        public.get_by_role("heading", name="ASB case reviews (the community trigger)")
    ).to_be_visible()
    # Three applications; CT-BELOW did not meet the threshold; CT-REVIEWED was the one
    # review, and it made recommendations.
    figures = public.get_by_role("row", name=label)
    expect(figures.get_by_role("cell")).to_have_text(["3", "1", "1", "1"])
    expect(
        public.get_by_text("Three complaints about separate incidents in six months.")
    ).to_be_visible()
    expect(public.get_by_text("Ring 01234 567890.")).to_be_visible()
    expect(public.get_by_text("CT-PENDING")).to_have_count(0)
    axe_check(public)
