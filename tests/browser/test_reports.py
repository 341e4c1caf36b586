"""An officer builds a report, edits a section, previews it, downloads a draft Word
document and issues it; the issued PDF and Word document download. axe-core on each
page."""

import re

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from reports import sources
from reports.models import ReportVersion
from tests.browser.conftest import axe_check, sign_in
from tests.reports.conftest import seed_crime_figures, seed_measures, seed_plan, seed_resolutions


@pytest.fixture
def seed_sources(monkeypatch):
    monkeypatch.setattr(
        sources, "read_dashboard", lambda p, **k: (seed_crime_figures(), seed_measures())
    )
    monkeypatch.setattr(sources, "read_plan_progress", lambda p, **k: seed_plan())
    monkeypatch.setattr(sources, "read_resolutions", lambda p, **k: seed_resolutions())


def version_report(cast):
    from reports.models import Report

    return Report.objects.get(partnership=cast.partnership)


def test_editor_builds_previews_and_issues_a_report(cast, live_server, page: Page, seed_sources):
    base = f"{live_server.url}/partnerships/{cast.partnership.slug}"
    sign_in(page, live_server.url, cast.editor.email)
    expect(page.get_by_role("heading", name=cast.partnership.name, level=1)).to_be_visible()
    page.goto(f"{base}/")
    page.get_by_role("link", name="Reports", exact=True).click()
    expect(page.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Create a report").click()
    expect(page.get_by_role("heading", name="Create a report")).to_be_visible()
    axe_check(page)
    page.get_by_label("Annual report to the crime and disorder scrutiny committee").check()
    page.get_by_label("Financial year").select_option("2017")
    page.get_by_label("Figures up to the end of").select_option("1")
    page.get_by_label("Committee", exact=True).fill("Scrutiny Committee")
    page.get_by_label("Day", exact=True).fill("15")
    page.get_by_label("Month", exact=True).fill("3")
    page.get_by_label("Year", exact=True).fill("2018")
    page.get_by_label("Lead Member").fill("Councillor Jacqui Mort")
    page.get_by_label("Lead Officer").fill("Jennifer Mullin")
    page.get_by_role("button", name="Save report details").click()
    expect(
        page.get_by_role("heading", name="Progress Report: April 2017 to January 2018")
    ).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Edit Overall position").click()
    expect(page.get_by_role("heading", name="Edit section: Overall position")).to_be_visible()
    expect(page.get_by_label("Text")).to_contain_text("All crime rose by 20.4%")
    axe_check(page)
    page.get_by_label("Text").fill("South Ribble is a relatively safe place to live.")
    page.get_by_role("button", name="Save section").click()
    expect(page.get_by_text("Section saved: Overall position.")).to_be_visible()

    page.get_by_role("link", name="Preview the report").click()
    expect(page.get_by_role("heading", name="Progress Report", level=1)).to_be_visible()
    expect(page.get_by_text("South Ribble is a relatively safe place to live.")).to_be_visible()
    expect(page.get_by_role("cell", name="+20.4%").first).to_be_visible()
    expect(page.get_by_role("img", name="Line chart of all crime by month")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Back to the report's sections").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download a draft Word document").click()
    download = download_info.value
    report = version_report(cast)
    assert download.suggested_filename == f"{cast.partnership.slug}-report-{report.pk}-draft.docx"
    draft = Document(download.path())
    assert draft.paragraphs[0].text == "DRAFT: not issued"
    assert "South Ribble is a relatively safe place to live." in [p.text for p in draft.paragraphs]
    axe_check(page)

    page.get_by_role("link", name="Issue the report").click()
    expect(page.get_by_role("heading", name="Issue version 1 of the report?")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Yes, issue version 1").click()
    expect(page.get_by_text("Version 1 issued.")).to_be_visible()
    expect(page.get_by_role("row", name="Version 1 Eddie Editor")).to_be_visible()
    axe_check(page)
    version = ReportVersion.objects.get()
    assert version.issued_by == cast.editor

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download version 1 .*\(PDF")).click()
    download = download_info.value
    assert download.suggested_filename == version.file_name
    with open(download.path(), "rb") as handle:
        assert handle.read()[:5] == b"%PDF-"
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download version 1 .*\(Word\)$")).click()
    download = download_info.value
    assert download.suggested_filename == version.docx_file_name
    issued = Document(download.path())
    assert issued.paragraphs[0].text == "Scrutiny Committee"

    page.get_by_role("link", name="All reports").click()
    expect(page.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    expect(page.get_by_text(version.checksum)).to_be_visible()
    axe_check(page)
