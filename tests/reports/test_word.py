"""The Word document read back with python-docx: headings, tables and their repeated
header rows, charts with alt text (or their tables without Chromium), the footer's
fields, the properties, the draft marking, figures from the database, and the
version frozen with its PDF."""

import hashlib
import io
import re
from datetime import date

import pytest
from django.urls import reverse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from crimestats.models import Observation
from reports import services
from reports.assembly import CHART_FALLBACK_NOTE, assemble_report
from reports.models import ReportVersion
from reports.word import build_docx, render_docx
from tests.factories import ObservationFactory

SLUG = "safer-testshire"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CRIME_HEADERS = [
    "Measure",
    "2016/17",
    "2017/18",
    "Change",
    "% change",
    "Better or worse",
    "Could it be chance?",
]


def url(name, *args):
    return reverse(f"reports:{name}", args=[SLUG, *args])


def read(content: bytes):
    return Document(io.BytesIO(content))


def headings(word) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text)
        for p in word.paragraphs
        if p.style.name == "Title" or p.style.name.startswith("Heading")
    ]


def tables_with_captions(word) -> list[tuple[Paragraph, DocxTable]]:
    """Each table with the paragraph just before it (its caption)."""
    found, before = [], None
    for item in word.iter_inner_content():
        if isinstance(item, DocxTable):
            found.append((before, item))
        before = item
    return found


def row_texts(table: DocxTable) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def crime_table(word) -> DocxTable:
    return next(
        table
        for caption, table in tables_with_captions(word)
        if caption.text.startswith("Recorded crime, ")
    )


@pytest.mark.django_db
def test_headings_use_words_own_styles_in_the_pdfs_order(report, seed_sources, no_chromium):
    word = read(render_docx(assemble_report(report)).content)
    found = headings(word)
    titles = [s.title for s in report.sections.filter(included=True).order_by("order")]
    assert found[0] == ("Title", "Progress Report")
    level_one = [text for style, text in found if style == "Heading 1"]
    assert level_one == ["Contents"] + [f"{n}. {t}" for n, t in enumerate(titles, start=1)]
    level_two = [text for style, text in found if style == "Heading 2"]
    assert level_two[0] == "Chart 1: All crime by month, 2017/18 against 2016/17"
    assert [t.split(":")[0] for t in level_two] == [f"Chart {n}" for n in range(1, 9)]
    # In order: a chart's heading comes after its section's, never before the first.
    levels = [{"Title": 0, "Heading 1": 1, "Heading 2": 2}[style] for style, _ in found]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert "Heading 3" not in {style for style, _ in found}


@pytest.mark.django_db
def test_tables_have_a_caption_above_a_repeated_bold_header_row_and_figures_flush_right(
    report, seed_sources, no_chromium
):
    word = read(render_docx(assemble_report(report)).content)
    pairs = tables_with_captions(word)
    assert len(pairs) == len(word.tables) == 18
    for caption, table in pairs:
        assert caption.style.name == "Caption"
        assert caption.paragraph_format.keep_with_next is True
        first = table.rows[0]._tr
        repeat = first.trPr.find(qn("w:tblHeader"))
        assert repeat is not None and repeat.get(qn("w:val")) == "true"
        for cell in table.rows[0].cells:
            assert all(run.bold for run in cell.paragraphs[0].runs), cell.text
        # Only the header row repeats.
        assert all(row._tr.trPr is None for row in table.rows[1:])
    crimes = crime_table(word)
    assert row_texts(crimes)[:3] == [
        CRIME_HEADERS,
        ["All crime", "10,000", "12,040", "+2,040", "+20.4%", "▲ Worse", "Unlikely to be chance"],
        ["Domestic abuse", "31", "38", "+7", "+22.6% (small base)", "▲ Worse", "Could be chance"],
    ]
    alignments = [cell.paragraphs[0].alignment for cell in crimes.rows[1].cells]
    right = WD_ALIGN_PARAGRAPH.RIGHT
    assert alignments == [None, right, right, right, right, None, None]
    header_alignments = [cell.paragraphs[0].alignment for cell in crimes.rows[0].cells]
    assert header_alignments == alignments
    # The row's own header (the measure) is bold, its figures are not.
    assert crimes.rows[1].cells[0].paragraphs[0].runs[0].bold is True
    assert crimes.rows[1].cells[1].paragraphs[0].runs[0].bold is None


@pytest.mark.django_db
def test_without_chromium_each_chart_is_its_table_with_the_pdfs_note(
    report, seed_sources, no_chromium
):
    document = assemble_report(report)
    rendered = render_docx(document)
    word = read(rendered.content)
    assert rendered.charts_drawn is False
    assert list(word.inline_shapes) == []
    items = list(word.iter_inner_content())
    chart_heading = next(
        i
        for i, item in enumerate(items)
        if isinstance(item, Paragraph) and item.text.startswith("Chart 1: ")
    )
    note, caption, table = items[chart_heading + 1 : chart_heading + 4]
    assert note.text == f"Note: {CHART_FALLBACK_NOTE}"
    assert caption.text == "All crime by month, 2017/18 and 2016/17"
    assert row_texts(table)[0] == ["Month", "2016/17", "2017/18"]
    assert row_texts(table)[1] == ["April", "1,000", "1,204"]


@pytest.mark.django_db
def test_with_chromium_each_chart_is_a_picture_with_its_alt_text_then_its_table(
    report, seed_sources
):
    document = assemble_report(report)
    rendered = render_docx(document)
    assert rendered.charts_drawn is True
    word = read(rendered.content)
    pictures = list(word.inline_shapes)
    assert len(pictures) == len(document.charts) == 8
    first = pictures[0]._inline.docPr
    assert first.get("descr") == (
        "Line chart of all crime by month from April 2017 to January 2018, 2017/18 (solid "
        "line) against the same months of 2016/17 (dashed line): 12,040 in total against "
        "10,000, highest in Sep (1,204)."
    )
    assert first.get("name") == "Chart 1"
    assert [p._inline.docPr.get("descr") for p in pictures] == [c.alt for c in document.charts]
    assert all(p._inline.docPr.get("descr") for p in pictures)
    # A 680-pixel chart (180 mm) is fitted to the text's width (A4 less 18 mm margins
    # either side), never wider.
    assert max(p.width for p in pictures).mm == pytest.approx(174, abs=0.05)
    items = list(word.iter_inner_content())
    heading = next(
        i for i, x in enumerate(items) if isinstance(x, Paragraph) and x.text.startswith("Chart 1")
    )
    picture, caption, table = items[heading + 1 : heading + 4]
    assert picture._p.xpath(".//w:drawing")
    assert caption.text == "All crime by month, 2017/18 and 2016/17"
    assert isinstance(table, DocxTable)
    # A second build draws nothing: the pictures come from the exporter's cache.
    from reports.chart_export import get_exporter

    drawn = get_exporter().charts_drawn
    render_docx(assemble_report(report))
    assert get_exporter().charts_drawn == drawn


@pytest.mark.django_db
def test_the_footer_names_the_partnership_with_page_n_of_m_fields_and_the_properties(
    report, seed_sources, no_chromium
):
    word = read(render_docx(assemble_report(report)).content)
    section = word.sections[0]
    footer = section.footer.paragraphs[-1]
    assert footer.text == "Safer Testshire CSP\tPage 1 of 1"
    instructions = [t.text for t in footer._p.iter(qn("w:instrText"))]
    assert instructions == [" PAGE ", " NUMPAGES "]
    kinds = [c.get(qn("w:fldCharType")) for c in footer._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2
    # The PDF's page: A4 with its margins.
    sizes = [section.page_width, section.page_height, section.left_margin, section.right_margin]
    assert [round(size.mm, 1) for size in sizes] == [210, 297, 18, 18]
    properties = word.core_properties
    assert properties.title == "Progress Report: Safer Testshire CSP, April 2017 to January 2018"
    assert properties.subject == (
        "Annual report to the crime and disorder scrutiny committee, April 2017 to January 2018"
    )
    assert properties.author == "Safer Testshire CSP"
    assert properties.language == "en-GB"
    defaults = word.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:val")) == (
        "en-GB"
    )


@pytest.mark.django_db
def test_a_draft_says_so_in_the_header_and_on_its_first_line_an_issue_does_not(
    report, seed_sources, no_chromium
):
    document = assemble_report(report)
    draft = read(build_docx(document, draft=True))
    assert [p.text for p in draft.sections[0].header.paragraphs] == ["DRAFT: not issued"]
    assert draft.paragraphs[0].text == "DRAFT: not issued"
    assert draft.paragraphs[0].runs[0].bold is True
    issued = read(build_docx(document))
    assert "DRAFT" not in " ".join(p.text for p in issued.sections[0].header.paragraphs)
    assert issued.paragraphs[0].text == "Scrutiny Committee"


@pytest.mark.django_db
def test_the_text_is_the_pdfs_text(report, seed_sources, no_chromium):
    document = assemble_report(report)
    word = read(build_docx(document))
    text = [p.text for p in word.paragraphs]
    for section in document.sections:
        for block in section.blocks:
            for item in block.items:
                assert item in text, item
    recommendations = [p for p in word.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in recommendations] == next(
        s.blocks[0].items for s in document.sections if s.key == "recommendations"
    )


# Figures from the database ----------------------------------------------------------

MONTHS_2016 = [date(2016, m, 1) for m in range(4, 13)] + [date(2017, 1, 1)]
MONTHS_2017 = [date(2017, m, 1) for m in range(4, 13)] + [date(2018, 1, 1)]
CRIMES_2016 = [410, 395, 430, 402, 388, 441, 420, 399, 405, 412]
CRIMES_2017 = [455, 470, 468, 490, 430, 512, 477, 460, 444, 501]


@pytest.fixture
def figures(cast):
    for months, values in ((MONTHS_2016, CRIMES_2016), (MONTHS_2017, CRIMES_2017)):
        for start, value in zip(months, values, strict=True):
            ObservationFactory(partnership=cast.partnership, period_start=start, value=value)


def all_crime_row(content: bytes) -> list[str]:
    rows = row_texts(crime_table(read(content)))
    assert rows[0] == CRIME_HEADERS
    return next(row for row in rows if row[0] == "All crime")


@pytest.mark.django_db
def test_the_draft_word_document_has_the_databases_figures(
    editor_client, report, figures, no_chromium
):
    previous, current = sum(CRIMES_2016), sum(CRIMES_2017)
    assert (previous, current) == (4102, 4707)
    response = editor_client.get(url("report_draft_docx", report.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == (
        f'attachment; filename="safer-testshire-report-{report.pk}-draft.docx"'
    )
    assert response["Cache-Control"] == "no-store"
    pct = (current - previous) / previous * 100
    row = all_crime_row(response.content)
    assert row[:5] == ["All crime", f"{previous:,}", f"{current:,}", "+605", f"+{pct:.1f}%"]
    assert row[4] == "+14.7%"
    word = read(response.content)
    assert word.paragraphs[0].text == "DRAFT: not issued"
    cover = [p.text for p in word.paragraphs[:15]]
    assert any(t.startswith("Version: Draft printed ") for t in cover)


@pytest.mark.django_db
def test_an_issued_versions_word_document_is_stored_and_never_changes(
    editor_client, viewer_client, report, figures, no_chromium, cast
):
    assert editor_client.post(url("report_issue", report.pk), {"version": report.version})
    version = ReportVersion.objects.get()
    # Storage adds a suffix when an earlier test left a file of that name in MEDIA_ROOT.
    assert re.fullmatch(
        rf"reports/safer-testshire/safer-testshire-report-{report.pk}-v1(_[A-Za-z0-9]{{7}})?\.docx",
        version.docx.name,
    )
    download = viewer_client.get(url("version_docx_download", report.pk, 1))
    assert download.status_code == 200
    assert download["Content-Type"] == DOCX
    assert download["Content-Disposition"] == (
        f'attachment; filename="safer-testshire-report-{report.pk}-v1.docx"'
    )
    first = download.content
    assert hashlib.sha256(first).hexdigest() == version.docx_checksum
    assert download["ETag"] == f'"{version.docx_checksum}"'
    assert version.docx_size == len(first)
    assert all_crime_row(first)[1:3] == ["4,102", "4,707"]
    word = read(first)
    assert "DRAFT" not in " ".join(p.text for p in word.paragraphs[:3])
    assert "Version: Version 1" in [p.text for p in word.paragraphs]

    # A figure is corrected after the issue: the stored Word document does not move...
    january = Observation.objects.get(partnership=cast.partnership, period_start=date(2018, 1, 1))
    january.value = 601
    january.save()
    again = viewer_client.get(url("version_docx_download", report.pk, 1)).content
    assert again == first
    # ...while a draft shows the corrected figure.
    draft = editor_client.get(url("report_draft_docx", report.pk)).content
    assert all_crime_row(draft)[1:3] == ["4,102", "4,807"]

    page = viewer_client.get(url("report_detail", report.pk)).content.decode()
    link = url("version_docx_download", report.pk, 1)
    assert (
        f'<a class="govuk-link" href="{link}">Download version 1'
        '<span class="govuk-visually-hidden"> of Progress Report, April 2017 to January 2018'
        "</span> (Word)</a>"
    ) in page


@pytest.mark.django_db
def test_a_version_issued_before_word_documents_says_not_available(
    viewer_client, report, seed_sources, no_chromium, cast
):
    version = services.report_issue(report=report, issued_by=cast.editor, version=report.version)
    # As the migration leaves a version issued before this change: no Word document.
    ReportVersion.objects.filter(pk=version.pk).update(docx="", docx_checksum="", docx_size=None)
    assert viewer_client.get(url("version_docx_download", report.pk, 1)).status_code == 404
    page = viewer_client.get(url("report_detail", report.pk)).content.decode()
    assert "Not available: issued before Word documents were kept" in page
    assert url("version_docx_download", report.pk, 1) not in page
    # The PDF is still there.
    assert viewer_client.get(url("version_download", report.pk, 1)).status_code == 200


# Who may download ------------------------------------------------------------------


@pytest.mark.django_db
def test_only_editors_and_up_build_a_draft_word_document(
    client, viewer_client, editor_client, manager_client, report, seed_sources, no_chromium
):
    draft = url("report_draft_docx", report.pk)
    assert viewer_client.get(draft).status_code == 403
    assert editor_client.get(draft).status_code == 200
    assert manager_client.get(draft).status_code == 200
    anonymous = client.get(draft)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    page = viewer_client.get(url("report_detail", report.pk)).content.decode()
    assert draft not in page
    page = editor_client.get(url("report_detail", report.pk)).content.decode()
    assert f'href="{draft}">Download a draft Word document</a>' in page


@pytest.mark.django_db
def test_outsiders_get_404_for_the_word_documents(
    outsider_client, client, editor_client, report, seed_sources, no_chromium
):
    editor_client.post(url("report_issue", report.pk), {"version": report.version})
    for page in (url("report_draft_docx", report.pk), url("version_docx_download", report.pk, 1)):
        assert outsider_client.get(page).status_code == 404, page
        anonymous = client.get(page)
        assert anonymous.status_code == 302, page
        assert anonymous["Location"].startswith(reverse("accounts:login"))
