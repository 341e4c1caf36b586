"""The report document as a Word file (.docx, python-docx), beside the PDF.

The Word file is laid out from the same ``ReportDocument`` the PDF template prints
(``assembly.assemble_report``): the same cover, sections, sentences, tables (each
cell's ``printed`` text and note) and charts, so the two never disagree. Nothing
here touches the database or a request: callers pass the document and, when the
partnership has uploaded one, its Word template's bytes.

- Headings use Word's own styles (Title for the report's title, Heading 1 for the
  contents and each section, Heading 2 for each chart), so Word's navigation pane
  and a screen reader find them; tables put their caption above them (Caption), a
  header row that repeats on every page (``w:tblHeader``) in bold, and figures set
  flush right; each chart is a PNG picture with its alternative text (the drawing's
  ``descr``) followed by its table, or the table alone with the PDF's note when
  Chromium cannot draw it.
- The footer says the partnership's name and "Page N of M" (PAGE and NUMPAGES
  fields, which Word fills in); a draft says "DRAFT: not issued" in the header and
  at the top of the first page, as the PDF does.
- A council's template (``Document(template)``) gives its fonts, styles, margins,
  headers and footers: its body is cleared, its section properties kept. A style the
  report needs that the template does not define (Word saves only the styles a
  document uses) is copied from python-docx's own default template, so a heading
  is still a heading; lists whose style is missing are written as plain paragraphs
  with their bullet or number in the text.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import io
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from cspportal.lib.formats import uk_date
from reports.chart_export import ChartExporter, get_exporter
from reports.document import Block, Chart, ReportDocument, Section
from reports.tables import Table

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DRAFT_MARK = "DRAFT: not issued"
LANGUAGE = "en-GB"
# The sections the PDF starts on a new page (reports/pdf.css).
NEW_PAGE_SECTIONS = ("crime-figures", "appendices")
# Styles taken from python-docx's default template when a council's template lacks
# them (lists are not: their bullets live in a numbering part the template lacks).
COPIED_STYLES = (
    "Title",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Caption",
    "Table Grid",
    "Header",
    "Footer",
)
PLAIN_FONT = "Arial"
PLAIN_COLOUR = RGBColor(0x0B, 0x0C, 0x0C)  # the PDF's text colour
PIXELS_PER_INCH = 96
EMU_PER_INCH = 914400


@dataclass(frozen=True)
class RenderedDocx:
    content: bytes
    checksum: str
    charts_drawn: bool
    timings: dict[str, float]


def draw_chart_pictures(document: ReportDocument, *, exporter: ChartExporter | None = None) -> bool:
    """Fill each chart's PNG (from the exporter's cache when the same chart was drawn
    before). Returns whether every chart was drawn."""
    exporter = exporter or get_exporter()
    for chart in document.charts:
        chart.png = (
            None
            if chart.figure is None
            else exporter.export_png(chart.figure, width=chart.width, height=chart.height)
        )
    return all(chart.png for chart in document.charts)


def render_docx(
    document: ReportDocument,
    *,
    draft: bool = False,
    template: bytes | None = None,
    exporter: ChartExporter | None = None,
    now: datetime | None = None,
) -> RenderedDocx:
    """Draw the charts as PNG, build the Word file and checksum it."""
    timings = {}
    started = time.perf_counter()
    charts_drawn = draw_chart_pictures(document, exporter=exporter)
    timings["charts"] = time.perf_counter() - started
    started = time.perf_counter()
    content = build_docx(document, draft=draft, template=template, now=now)
    timings["word"] = time.perf_counter() - started
    return RenderedDocx(
        content=content,
        checksum=hashlib.sha256(content).hexdigest(),
        charts_drawn=charts_drawn,
        timings=timings,
    )


def render_report_docx(
    report,
    *,
    version_label: str = "Draft",
    draft: bool = False,
    template: bytes | None = None,
) -> tuple[ReportDocument, RenderedDocx]:
    """Assemble a report from today's figures and build its Word file."""
    exporter = get_exporter()
    exporter.start_in_background()
    started = time.perf_counter()
    from reports.assembly import assemble_report

    document = assemble_report(report, version_label=version_label)
    assembled = time.perf_counter() - started
    rendered = render_docx(document, draft=draft, template=template, exporter=exporter)
    rendered.timings["assembly"] = assembled
    return document, rendered


def document_title(document: ReportDocument) -> str:
    """The file's title, as the PDF's: "Progress Report: Safer X CSP, April 2017 to ..."."""
    cover = document.cover
    return f"{cover.title}: {cover.partnership}, {cover.period_label}"


def build_docx(
    document: ReportDocument,
    *,
    draft: bool = False,
    template: bytes | None = None,
    now: datetime | None = None,
) -> bytes:
    """The Word file's bytes. Charts without a ``png`` print as their tables."""
    word = Document(io.BytesIO(template)) if template else _plain_document()
    _clear_body(word)
    styles = _Styles(word)
    cover = document.cover
    properties = word.core_properties
    properties.title = document_title(document)
    properties.subject = cover.subject
    properties.author = cover.partnership
    properties.last_modified_by = cover.partnership
    properties.language = LANGUAGE
    properties.comments = ""
    properties.keywords = ""
    properties.category = ""
    properties.revision = 1
    properties.created = properties.modified = (now or datetime.now(UTC)).astimezone(UTC)
    _set_default_language(word)
    _write_footers(word, styles, cover.partnership, draft=draft)
    if draft:
        mark = word.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(mark, DRAFT_MARK, bold=True, size=14)
    _write_cover(word, styles, document)
    _write_contents(word, styles, document)
    for section in document.sections:
        _write_section(word, styles, section)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _plain_document() -> DocxDocument:
    """Without a council's template: python-docx's default styles on the PDF's page
    (A4, its margins) in the PDF's font."""
    word = Document()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.right_margin = Mm(20), Mm(18)
    section.bottom_margin, section.left_margin = Mm(22), Mm(18)
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Caption"):
        style = word.styles[name]
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
        style.font.name = PLAIN_FONT
        if name != "Normal":
            style.font.color.rgb = PLAIN_COLOUR
    word.styles["Normal"].font.size = Pt(11)
    return word


# Styles ------------------------------------------------------------------------------


@functools.cache
def _default_styles() -> dict[str, Any]:
    """python-docx's default template's style elements, by style name."""
    styles = Document().styles
    return {style.name: style.element for style in styles}


class _Styles:
    """The styles the report uses, in this document: the template's own where it has
    them, else copied from the default template (``COPIED_STYLES``), else None."""

    def __init__(self, word: DocxDocument) -> None:
        self.word = word
        self.names = {style.name for style in word.styles}
        defaults = _default_styles()
        for name in COPIED_STYLES:
            if name not in self.names and name in defaults:
                word.styles.element.append(copy.deepcopy(defaults[name]))
                self.names.add(name)

    def get(self, name: str) -> str | None:
        return name if name in self.names else None


def _set_default_language(word: DocxDocument) -> None:
    """Every run's language en-GB unless it says otherwise (spelling, screen readers)."""
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_defaults.append(properties)
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    language.set(qn("w:val"), LANGUAGE)


# The page: body, footers and headers ----------------------------------------------


def _clear_body(word: DocxDocument) -> None:
    """Drop the template's own text and tables; keep its last section's properties
    (page size, margins, and which headers and footers it uses)."""
    body = word.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _text_width(word: DocxDocument) -> int:
    section = word.sections[-1]
    width = (
        (section.page_width or Mm(210)) - (section.left_margin or 0) - (section.right_margin or 0)
    )
    return int(width) if width > 0 else int(Mm(170))


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays the pages out;
    ``shown`` is the text until it does."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    paragraph.add_run(shown)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _empty_or_new(paragraphs: list[Paragraph], story: Any) -> Paragraph:
    if len(paragraphs) == 1 and not paragraphs[0].text.strip() and not paragraphs[0].runs:
        return paragraphs[0]
    return story.add_paragraph()


def _write_footers(word: DocxDocument, styles: _Styles, partnership: str, *, draft: bool) -> None:
    """The partnership's name and "Page N of M" under the template's own footer (if it
    has one), on every kind of page the template distinguishes."""
    section = word.sections[-1]
    footers = [section.footer]
    headers = [section.header]
    if section.different_first_page_header_footer:
        footers.append(section.first_page_footer)
        headers.append(section.first_page_header)
    if word.settings.odd_and_even_pages_header_footer:
        footers.append(section.even_page_footer)
        headers.append(section.even_page_header)
    width = _text_width(word)
    for footer in footers:
        line = _empty_or_new(footer.paragraphs, footer)
        line.style = styles.get("Footer")
        line.paragraph_format.tab_stops.add_tab_stop(Emu(width), WD_TAB_ALIGNMENT.RIGHT)
        line.add_run(partnership)
        line.add_run("\tPage ")
        _field(line, "PAGE", "1")
        line.add_run(" of ")
        _field(line, "NUMPAGES", "1")
    if draft:
        for header in headers:
            mark = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
            mark = mark.insert_paragraph_before() if mark.text.strip() else mark
            mark.style = styles.get("Header")
            mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(mark, DRAFT_MARK, bold=True, size=14)


# The content ---------------------------------------------------------------------


def _run(paragraph: Paragraph, text: str, *, bold: bool = False, size: float | None = None):
    run = paragraph.add_run(text)
    if bold:
        run.bold = True
    if size:
        run.font.size = Pt(size)
    return run


def _heading(word: DocxDocument, styles: _Styles, text: str, style: str) -> Paragraph:
    paragraph = word.add_paragraph(text, style=styles.get(style))
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _labelled(word: DocxDocument, label: str, value: str) -> None:
    paragraph = word.add_paragraph()
    _run(paragraph, f"{label}: ", bold=True)
    paragraph.add_run(value)


def _write_cover(word: DocxDocument, styles: _Styles, document: ReportDocument) -> None:
    cover = document.cover
    if cover.agenda_item:
        _run(word.add_paragraph(), f"Agenda item {cover.agenda_item}", bold=True, size=12)
    _run(word.add_paragraph(), cover.committee, bold=True, size=20)
    word.add_paragraph(
        uk_date(cover.meeting_date) if cover.meeting_date else "Meeting date to be confirmed"
    )
    word.add_paragraph(cover.partnership)
    _heading(word, styles, cover.title, "Title")
    word.add_paragraph(cover.report_type)
    word.add_paragraph(f"Period covered: {cover.period_label}")
    _labelled(word, "Lead Member", cover.lead_member or "Not named")
    _labelled(word, "Lead Officer", cover.lead_officer or "Not named")
    contact = ", ".join(v for v in (cover.contact_email, cover.contact_telephone) if v)
    if contact:
        _labelled(word, "Contact", contact)
    _labelled(word, "Wards affected", cover.wards_affected or "Not stated")
    _labelled(word, "Version", document.version_label)
    _labelled(word, "Produced", uk_date(document.generated_on))


def _write_contents(word: DocxDocument, styles: _Styles, document: ReportDocument) -> None:
    contents = _heading(word, styles, "Contents", "Heading 1")
    contents.paragraph_format.page_break_before = True
    for section in document.sections:
        word.add_paragraph(f"{section.number}. {section.title}")


def _write_section(word: DocxDocument, styles: _Styles, section: Section) -> None:
    title = _heading(word, styles, f"{section.number}. {section.title}", "Heading 1")
    if section.key in NEW_PAGE_SECTIONS or section.number == 1:
        title.paragraph_format.page_break_before = True
    for block in section.blocks:
        _write_block(word, styles, block)
    for notice in section.notices:
        if notice:
            _note(word, notice)
    for table in section.tables:
        _write_table(word, styles, table)
    for chart in section.charts:
        _write_chart(word, styles, chart)


def _write_block(word: DocxDocument, styles: _Styles, block: Block) -> None:
    if block.kind == "paragraph":
        word.add_paragraph(block.items[0])
        return
    numbered = block.kind == "numbered"
    style = styles.get("List Number" if numbered else "List Bullet")
    for number, item in enumerate(block.items, start=1):
        if style:
            word.add_paragraph(item, style=style)
        else:
            paragraph = word.add_paragraph(f"{number}. {item}" if numbered else f"\u2022 {item}")
            paragraph.paragraph_format.left_indent = Mm(6)


def _note(word: DocxDocument, text: str) -> None:
    paragraph = word.add_paragraph()
    _run(paragraph, "Note: ", bold=True)
    paragraph.add_run(text)


def _mark_header_row(table: DocxTable) -> None:
    properties = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def _cell_text(paragraph: Paragraph, text: str, *, bold: bool, right: bool) -> None:
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        if bold:
            run.bold = True
        if index < len(lines) - 1:
            run.add_break()


def _write_table(word: DocxDocument, styles: _Styles, table: Table) -> None:
    caption = word.add_paragraph(table.caption, style=styles.get("Caption"))
    caption.paragraph_format.keep_with_next = True
    numeric = table.numeric_columns
    rows = table.rows or []
    grid = word.add_table(rows=1 + max(len(rows), 1), cols=len(table.headers))
    grid.style = styles.get("Table Grid")
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    _mark_header_row(grid)
    docx_rows = grid.rows
    for cell, header, right in zip(docx_rows[0].cells, table.headers, numeric, strict=True):
        _cell_text(cell.paragraphs[0], header, bold=True, right=right)
    if not rows:
        merged = docx_rows[1].cells[0].merge(docx_rows[1].cells[-1])
        merged.paragraphs[0].add_run("Nothing to show.")
    for docx_row, row in zip(docx_rows[1:], rows, strict=False):
        for index, (cell, value) in enumerate(zip(docx_row.cells, row, strict=False)):
            text = value.printed + (f"\n{value.note}" if value.note else "")
            _cell_text(
                cell.paragraphs[0],
                text,
                bold=index == 0,
                right=index > 0 and index < len(numeric) and numeric[index],
            )
    for note in table.notes:
        if note:
            word.add_paragraph(note)


def _write_chart(word: DocxDocument, styles: _Styles, chart: Chart) -> None:
    _heading(word, styles, f"Chart {chart.number}: {chart.title}", "Heading 2")
    if chart.png:
        width = min(_text_width(word), chart.width * EMU_PER_INCH // PIXELS_PER_INCH)
        picture = word.add_picture(io.BytesIO(chart.png), width=Emu(width))
        drawing = picture._inline.docPr
        drawing.set("name", f"Chart {chart.number}")
        drawing.set("descr", chart.alt)
        drawing.set("title", chart.title)
    else:
        _note(word, chart.fallback_note)
    if not chart.table_in_section:
        _write_table(word, styles, chart.table)
