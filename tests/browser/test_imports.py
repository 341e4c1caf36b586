"""An editor imports a real police.uk month: upload, preview, confirm (axe-core on
every page); a bad file shows its problems by row and column; the journey also works
with JavaScript off."""

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from crimestats.catalogue import catalogue_load
from crimestats.models import ImportBatch, Measure, Observation
from tests.browser.conftest import axe_check, sign_in
from tests.factories import AreaFactory
from tests.imports.conftest import FIXTURES, MAY_2023

SHOTS = Path(tempfile.gettempdir()) / "imports-shots"


@pytest.fixture
def areas(cast):
    # live_server tests flush the database between tests, catalogue included.
    catalogue_load(Measure)
    AreaFactory(partnership=cast.partnership, name="City of London", gss_code="E09000001")
    AreaFactory(partnership=cast.partnership, name="Camden", gss_code="E09000007")


def test_an_editor_imports_a_police_uk_month(page: Page, live_server, cast, areas):
    SHOTS.mkdir(exist_ok=True)
    sign_in(page, live_server.url, cast.editor.email)
    page.goto(f"{live_server.url}/partnerships/{cast.partnership.slug}/")
    page.get_by_role("link", name="Imports").click()
    expect(page.get_by_role("heading", name="Imports", level=1)).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Import police.uk street-level crime files").click()
    axe_check(page)
    page.get_by_label("police.uk street-level files").set_input_files(str(FIXTURES / MAY_2023))
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", name="Check the import before storing it")).to_be_visible()
    expect(page.get_by_text("May 2023: counts by crime type and area")).to_be_visible()
    axe_check(page)
    page.screenshot(path=str(SHOTS / "preview.png"), full_page=True)
    assert Observation.objects.count() == 0

    page.get_by_role("button", name="Store these figures").click()
    expect(page.get_by_text("Import stored: 30 figures added and 0 changed.")).to_be_visible()
    axe_check(page)
    page.screenshot(path=str(SHOTS / "stored.png"), full_page=True)
    assert ImportBatch.objects.get().status == ImportBatch.Status.STORED
    assert Observation.objects.filter(area__name="City of London").count() == 15


def test_a_bad_file_lists_its_problems(page: Page, live_server, cast, areas):
    SHOTS.mkdir(exist_ok=True)
    bad = Path(tempfile.mkdtemp()) / "2023-05-bad-street.csv"
    lines = (FIXTURES / MAY_2023).read_text().splitlines()
    lines[3] = lines[3].replace(",2023-05,", ",2023/05,")
    bad.write_text("\n".join(lines[:10]) + "\n")
    sign_in(page, live_server.url, cast.editor.email)
    page.goto(f"{live_server.url}/partnerships/{cast.partnership.slug}/imports/policeuk/")
    page.get_by_label("police.uk street-level files").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", name="The file was not imported")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="2023/05")
    expect(row).to_contain_text("4")
    expect(row).to_contain_text("Month")
    expect(page.get_by_role("button", name="Store these figures")).to_have_count(0)
    axe_check(page)
    page.screenshot(path=str(SHOTS / "rejected.png"), full_page=True)


def test_the_import_works_without_javascript(browser, live_server, cast, areas):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server.url, cast.manager.email)
    page.goto(f"{live_server.url}/partnerships/{cast.partnership.slug}/imports/policeuk/")
    page.get_by_label("police.uk street-level files").set_input_files(str(FIXTURES / MAY_2023))
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_role("button", name="Store these figures").click()
    expect(page.get_by_text("Import stored: 30 figures added and 0 changed.")).to_be_visible()
    context.close()
