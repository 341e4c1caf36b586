"""The first hour on real data, as a new site administrator and a new manager meet it
(issue 14): from the ONS workbook to an issued committee PDF for City of London, with
nobody's help and no Django admin.

The administrator uploads the ONS workbook, sets up City of London from it and invites
its manager (over a real SMTP server). The manager follows the emailed link, chooses a
password, uploads the 25 police.uk months as one zip, opens the dashboard, builds a
report, checks its draft PDF and issues it; on PostgreSQL the background worker (the
database task backend and the `db_worker` command's Worker) prints it. axe-core on every page,
with the app's CSP on.

Every click, file choice and form submission is counted: the budget is 20. The
figures on the pages and in both PDFs are checked against counts made here straight
from the raw police.uk files.
"""

import csv
import io
import re
import threading
import zipfile
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from crimestats.catalogue import catalogue_load
from crimestats.models import Measure
from partnerships.models import Partnership
from reports.models import ReportVersion
from tests.browser.conftest import axe_check, sign_in
from tests.imports.conftest import CITY_ZIP, FIXTURES, ONS_WORKBOOK

BUDGET = 20
PASSWORD = "a-long-and-unusual-phrase-42"
CITY = "City of London"


def raw_counts() -> tuple[Counter, Counter, int]:
    """Crimes and ASB incidents by month in City of London's own LSOAs (their names
    start with the local authority's), and the number of rows, read with the csv
    module from the zip the manager uploads."""
    crimes: Counter = Counter()
    asb: Counter = Counter()
    rows = 0
    with zipfile.ZipFile(CITY_ZIP) as archive:
        for name in archive.namelist():
            text = io.TextIOWrapper(archive.open(name), encoding="utf-8", newline="")
            for row in csv.DictReader(text):
                rows += 1
                if not row["LSOA name"].startswith(f"{CITY} "):
                    continue
                if row["Crime type"] == "Anti-social behaviour":
                    asb[row["Month"]] += 1
                else:
                    crimes[row["Month"]] += 1
    return crimes, asb, rows


class Journey:
    """Counts what the user does: each click (a link, a button, a submit) and each file
    chosen. Typing into a field is not counted."""

    def __init__(self) -> None:
        self.interactions = 0
        self.steps: list[str] = []

    def click(self, target: Locator, what: str) -> None:
        self.interactions += 1
        self.steps.append(what)
        target.click()

    def choose(self, target: Locator, path, what: str) -> None:
        self.interactions += 1
        self.steps.append(what)
        target.set_input_files(path)

    def count(self, what: str) -> None:
        """Something done outside the page (signing in by Enter, a link in an email)."""
        self.interactions += 1
        self.steps.append(what)


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture
def worker(settings):
    """On PostgreSQL, as `make test` runs this journey: the database task backend and
    its worker taking one job, as a server runs them: the `db_worker` command's own
    Worker, in a thread with its own connection (the command itself installs signal
    handlers, which only the main thread may). SQLite's in-memory test database cannot
    be shared with another connection, so there the tests' immediate backend issues the
    report inside the request; `test_make_run.py` issues one through the real worker
    process on SQLite."""
    if connection.vendor != "postgresql":
        yield None
        return
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    worker = Worker(
        queue_names=["default"],
        interval=0.2,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id="first-hour-journey",
        excluded_queue_names=[],
    )

    def work() -> None:
        try:
            worker.run()
        finally:
            connection.close()

    thread = threading.Thread(target=work, name="db-worker", daemon=True)
    thread.start()
    yield worker
    worker.running = False
    thread.join(timeout=30)


def test_a_new_administrator_and_manager_get_city_of_london_to_an_issued_report(
    page: Page, live_server, cast, smtp_server, watched_page, worker
):
    # live_server tests flush the database between tests, the catalogue included.
    catalogue_load(Measure)
    Partnership.objects.filter(is_reference=True).delete()
    crimes, asb, rows = raw_counts()
    journey = Journey()

    # The site administrator: the ONS workbook, then City of London from its list.
    sign_in(page, live_server.url, cast.admin.email)
    journey.count("sign in (Enter)")
    journey.click(page.get_by_role("link", name="Set up a partnership").first, "Set up")
    expect(page.get_by_text("No ONS tables have been imported yet")).to_be_visible()
    axe_check(page)
    journey.choose(page.get_by_label("ONS workbook"), FIXTURES / ONS_WORKBOOK, "workbook")
    journey.click(page.get_by_role("button", name="Upload and preview"), "upload")
    expect(page.get_by_role("heading", name="Check the import before storing it")).to_be_visible()
    axe_check(page)
    journey.click(page.get_by_role("button", name="Store these figures"), "store")
    expect(page.get_by_text("Import stored: 14,444 figures added and 0 changed.")).to_be_visible()
    axe_check(page)
    page.get_by_label("CSP name or GSS code").fill("E22000180")
    journey.click(page.get_by_role("button", name="Search"), "search")
    expect(page.get_by_role("heading", name=f"Check and set up {CITY}")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="E09000001")).to_contain_text("10,800")
    axe_check(page)
    page.get_by_label("Email address of the first manager").fill("clerk@city.example")
    journey.click(page.get_by_role("button", name="Set up partnership"), "set up")
    expect(
        page.get_by_text(f"{CITY} is set up. An invitation has been sent to clerk@city.example.")
    ).to_be_visible()
    axe_check(page)

    # The manager: the emailed link, a password, then the police.uk months.
    link = urlsplit(smtp_server.links(smtp_server.only_message())[0])
    manager = watched_page(accept_downloads=True)
    journey.count("the invitation link in the email")
    manager.goto(f"{live_server.url}{link.path}")
    expect(manager.get_by_role("heading", name="Choose your password")).to_be_visible()
    axe_check(manager)
    manager.get_by_label("New password", exact=True).fill(PASSWORD)
    manager.get_by_label("New password confirmation").fill(PASSWORD)
    journey.click(manager.get_by_role("button", name="Set password"), "set password")
    expect(manager.get_by_role("heading", name=CITY, level=1)).to_be_visible()
    axe_check(manager)

    journey.click(manager.get_by_role("link", name="Imports", exact=True), "Imports")
    axe_check(manager)
    journey.choose(manager.get_by_label("police.uk street-level files"), CITY_ZIP, "zip")
    journey.click(manager.get_by_role("button", name="Upload and preview"), "upload")
    expect(
        manager.get_by_role("heading", name="Check the import before storing it")
    ).to_be_visible()
    expect(manager.get_by_text(f"{rows:,} read, 0 rejected")).to_be_visible()
    axe_check(manager)
    journey.click(manager.get_by_role("button", name="Store these figures"), "store")
    expect(manager.get_by_text("Import stored:")).to_be_visible()
    axe_check(manager)

    # The dashboard and the report open on the latest month with figures: April to May
    # 2025, compared with April to May 2024, both months on record in both years.
    now = crimes["2025-04"] + crimes["2025-05"]
    before = crimes["2024-04"] + crimes["2024-05"]
    journey.click(manager.get_by_role("link", name="Open the dashboard"), "dashboard")
    expect(manager.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(manager.locator("#period-label")).to_have_text(
        "April to May 2025/26 compared with April to May 2024/25"
    )
    change = (now - before) / before * 100
    # The first screen: all crime's card (no action plan yet, so all crime and ASB).
    card = manager.locator(".app-card").first
    expect(card.locator(".app-card__value")).to_have_text(f"{now:,} in Apr-May 2025/26")
    expect(card.locator(".app-card__line")).to_have_text(f"Apr-May 2024/25: {before:,}")
    # The full table is in its section, folded: read from the page, not clicked
    # open (the journey's clicks are what a new manager needs, and this is not one).
    all_crime = manager.locator("#table-headline-crime tbody tr").first
    assert all_crime.locator("td").evaluate_all("cells => cells.map(c => c.textContent.trim())")[
        :4
    ] == [
        f"{before:,}",
        f"{now:,}",
        f"{now - before:+,}",
        f"{change:+.1f}%",
    ]
    axe_check(manager)
    journey.click(
        manager.get_by_role("link", name="Create a committee report from these figures"),
        "create a report",
    )
    axe_check(manager)
    manager.get_by_label("Committee", exact=True).fill("Police Authority Board")
    journey.click(manager.get_by_role("button", name="Save report details"), "save")
    expect(
        manager.get_by_role("heading", name="Progress Report: April 2025 to May 2025")
    ).to_be_visible()
    axe_check(manager)

    with manager.expect_download() as draft:
        journey.click(manager.get_by_role("link", name="Download a draft PDF"), "draft")
    text = pdf_text(draft.value.path())
    assert text.count("DRAFT: not issued") == len(PdfReader(draft.value.path()).pages)
    assert f"All crime {before:,} {now:,}" in text

    journey.click(manager.get_by_role("link", name="Issue the report"), "issue")
    expect(manager.get_by_role("heading", name="Issue version 1 of the report?")).to_be_visible()
    axe_check(manager)
    journey.click(manager.get_by_role("button", name="Yes, issue version 1"), "yes")
    issued = manager.get_by_role("link", name=re.compile(r"^Download version 1 .*\(PDF"))
    expect(issued).to_be_visible(timeout=90_000)
    axe_check(manager)
    with manager.expect_download() as download:
        journey.click(issued, "download")
    text = pdf_text(download.value.path())
    assert "DRAFT" not in text
    assert f"All crime {before:,} {now:,}" in text
    version = ReportVersion.objects.get()
    assert version.report.partnership.gss_code == "E22000180"
    if worker is not None:
        from django_tasks_db.models import DBTaskResult

        assert DBTaskResult.objects.get().status == "SUCCESSFUL", "the worker issued it"

    print(f"first hour: {journey.interactions} interactions: {', '.join(journey.steps)}")
    assert journey.interactions <= BUDGET, journey.steps
    assert journey.interactions == 20, "a step was added or saved: update the count"
