"""The PDF read back: text, page footer, tagging, alt text, and the Chromium fallback."""

import subprocess
from importlib import metadata

import pytest
from plotly.offline import get_plotlyjs_version
from pypdf import PdfReader

from cspportal.lib.versioning import EditConflict
from reports import services
from reports.assembly import assemble_report
from reports.document import document_snapshot
from reports.pdf import WARM_UP_HTML, html_to_pdf, render_pdf, warm_up_printer_in_background

PDFTOTEXT, PDFINFO = "/usr/bin/pdftotext", "/usr/bin/pdfinfo"  # poppler-utils


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    # Fixed poppler binaries on files the test wrote itself.
    return subprocess.run(args, capture_output=True, check=True, **kwargs)  # noqa: S603


def pdf_text(path) -> str:
    return _run([PDFTOTEXT, "-layout", str(path), "-"], text=True).stdout


def pdf_text_of(content: bytes) -> str:
    return _run([PDFTOTEXT, "-layout", "-", "-"], input=content).stdout.decode()


def pdf_info(path) -> dict[str, str]:
    lines = _run([PDFINFO, str(path)], text=True).stdout.splitlines()
    return {
        key.strip(): value.strip()
        for key, value in (line.split(":", 1) for line in lines if ":" in line)
    }


def structure(reader: PdfReader) -> tuple[dict[str, int], list[str]]:
    """Counts of each structure element type, and the alternative text of figures."""
    counts: dict[str, int] = {}
    alts: list[str] = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not isinstance(node, dict):
            return
        kind = node.get("/S")
        if kind:
            counts[kind] = counts.get(kind, 0) + 1
        if kind == "/Figure" and "/Alt" in node:
            alts.append(str(node["/Alt"]))
        if "/K" in node:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return counts, alts


@pytest.fixture
def rendered(report, seed_sources, tmp_path):
    result = render_pdf(assemble_report(report))
    path = tmp_path / "report.pdf"
    path.write_bytes(result.content)
    return result, path


@pytest.mark.django_db
def test_the_pdf_prints_the_period_the_seed_figures_and_the_footer(rendered):
    result, path = rendered
    text = pdf_text(path)
    pages = text.split("\f")[:-1]
    assert len(pages) == result.page_count
    assert "Period covered: April 2017 to January 2018" in text
    assert "April to January 2017/18 compared with April to January 2016/17" in text
    assert "+20.4%" in text
    assert "+22.6% (small base)" in text
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {result.page_count}" in page
        assert "Safer Testshire CSP" in page.strip().splitlines()[-1]
    assert "Councillor Jacqui Mort" in pages[0]
    assert "Scrutiny Committee" in pages[0]
    assert "8 March 2018" in pages[0]


@pytest.mark.django_db
def test_the_pdf_is_a4_tagged_en_gb_with_headings_table_headers_and_chart_alt_text(rendered):
    result, path = rendered
    info = pdf_info(path)
    assert info["Tagged"] == "yes"
    assert info["Page size"] == "595.276 x 841.89 pts (A4)"
    assert info["Title"] == "Progress Report: Safer Testshire CSP, April 2017 to January 2018"
    reader = PdfReader(path)
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    counts, alts = structure(reader)
    assert counts["/H1"] == 1
    assert counts["/H2"] == 16  # contents + 15 sections
    assert counts["/TH"] > 50
    assert counts["/Figure"] == len(alts) == 8
    assert alts[0].startswith("Line chart of all crime by month from April 2017 to January 2018")
    assert result.charts_drawn is True


@pytest.mark.django_db
def test_without_chromium_each_chart_becomes_its_table_with_a_note(
    report, seed_sources, no_chromium, tmp_path
):
    result = render_pdf(assemble_report(report))
    path = tmp_path / "report.pdf"
    path.write_bytes(result.content)
    text = pdf_text(path)
    assert result.charts_drawn is False
    assert text.count("This chart could not be drawn when the report was produced") == 8
    assert "All crime by month, 2017/18 and 2016/17" in text
    counts, alts = structure(PdfReader(path))
    assert "/Figure" not in counts or alts == []


@pytest.mark.django_db
def test_a_section_whose_source_is_missing_says_so_and_the_rest_still_prints(report, tmp_path):
    # No figures, plan or meetings for the cast's partnership: every data section
    # degrades with a sentence, and the PDF still renders.
    document = assemble_report(report)
    notices = {s.key: s.notices for s in document.sections}
    assert notices["crime-figures"] == [
        "Safer Testshire CSP has no figures yet, so there is nothing to compare."
    ]
    assert notices["action-plan"] == [
        "Safer Testshire CSP has no action plan (other than a draft) covering 31 January 2018."
    ]
    result = render_pdf(document)
    assert result.page_count >= 3


@pytest.mark.django_db
def test_issuing_freezes_the_pdf_even_when_the_figures_change(
    report, seed_sources, no_chromium, monkeypatch, cast
):
    version = services.report_issue(report=report, issued_by=cast.editor, version=report.version)
    first_bytes = services.version_pdf_bytes(version)
    assert version.number == 1
    sections = {s["key"]: s for s in version.snapshot["sections"]}
    assert sections["crime-figures"]["tables"][0]["rows"][0][4]["text"] == "+20.4%"
    # What printed it, so that it can be printed again the same way (Chromium is
    # missing in this test: the charts were printed as tables).
    assert version.snapshot["printed_with"] == {
        "weasyprint": metadata.version("weasyprint"),
        "pdf_variant": "pdf/ua-1",
        "plotly": metadata.version("plotly"),
        "kaleido": metadata.version("kaleido"),
        "plotly.js": get_plotlyjs_version(),
        "chromium": "not available",
    }

    # The figures change after issue: the stored PDF does not.
    from reports import sources
    from tests.reports.conftest import seed_crime_figures, seed_measures

    def changed(partnership, **kwargs):
        figures = seed_crime_figures()
        figures.crimes[0].pct = 25.0
        return figures, seed_measures()

    monkeypatch.setattr(sources, "read_dashboard", changed)
    version.refresh_from_db()
    assert services.version_pdf_bytes(version) == first_bytes
    assert pdf_text_of(first_bytes).count("+25.0%") == 0

    # Editing an issued report makes a draft of the next version.
    report.refresh_from_db()
    assert report.is_issued
    section = report.sections.get(key="conclusion")
    services.section_update(
        section=section, version=report.version, title="Conclusion", body="Good.", included=True
    )
    report.refresh_from_db()
    assert report.status == "draft"
    second = services.report_issue(report=report, issued_by=cast.manager, version=report.version)
    assert second.number == 2
    assert second.checksum != version.checksum
    assert "+25.0%" in pdf_text_of(services.version_pdf_bytes(second))
    assert services.version_pdf_bytes(version) == first_bytes


@pytest.mark.django_db
def test_a_stale_issue_is_refused(report, seed_sources, no_chromium, cast):
    stale = report.version
    section = report.sections.get(key="conclusion")
    services.section_update(
        section=section, version=section.version, title="Conclusion", body="Changed.", included=True
    )
    with pytest.raises(EditConflict):
        services.report_issue(report=report, issued_by=cast.editor, version=stale)
    assert not report.versions.exists()


@pytest.mark.django_db
def test_the_snapshot_keeps_every_figure_and_sentence(report, seed_sources, no_chromium):
    snapshot = document_snapshot(assemble_report(report))
    assert snapshot["cover"]["period_label"] == "April 2017 to January 2018"
    crime = next(s for s in snapshot["sections"] if s["key"] == "crime-figures")
    assert crime["blocks"][0]["items"][0].startswith("All crime rose by 20.4% (2,040 more crimes)")
    assert crime["charts"][0]["drawn"] is False
    assert "figure" not in crime["charts"][0]


def test_the_printer_warms_up_once_per_process_on_a_side_thread():
    thread = warm_up_printer_in_background()
    assert warm_up_printer_in_background() is thread
    assert thread.name == "pdf-warm-up"
    thread.join(60)
    assert not thread.is_alive()
    content, pages = html_to_pdf(WARM_UP_HTML)
    assert pages == 1
    assert pdf_text_of(content).split() == ["CSP", "Portal", "Page", "1", "of", "1"]
