"""The assembled report as plain data: what the preview page and the PDF both print.

Nothing here touches the database or a request. ``assembly.assemble_report`` fills
these dataclasses from the other apps; the templates only lay them out; the snapshot
stored with an issued version is ``document_snapshot`` of the same object.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from reports.tables import Cell, Table


@dataclass
class Chart:
    """A chart with the table of the numbers it draws. ``svg`` is filled by the PDF
    pipeline, ``png`` by the Word one (``reports.word``); when it stays empty the
    table is printed in the chart's place with ``fallback_note``."""

    key: str
    title: str
    alt: str
    table: Table
    figure: Any = None
    svg: str | None = None
    png: bytes | None = None
    fallback_note: str = ""
    width: int = 680
    height: int = 340
    number: int = 0
    # The section already prints ``table`` above the chart: not printed twice.
    table_in_section: bool = False

    @property
    def svg_data_uri(self) -> str:
        if not self.svg:
            return ""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode("ascii")


@dataclass
class Block:
    """A paragraph, or a bulleted list, of the officer's text."""

    kind: str  # "paragraph", "list" or "numbered"
    items: list[str]


@dataclass
class Section:
    key: str
    number: int
    title: str
    blocks: list[Block]
    is_draft: bool = False
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"section-{self.key}"


@dataclass
class Cover:
    committee: str
    meeting_date: date | None
    title: str
    partnership: str
    report_type: str
    period_label: str
    lead_member: str
    lead_officer: str
    agenda_item: str = ""
    contact_email: str = ""
    contact_telephone: str = ""
    wards_affected: str = ""

    @property
    def subject(self) -> str:
        """The document's subject (the PDF's and the Word file's): the report type, to
        whom it goes and its period, saying the committee once. "Annual report to the
        crime and disorder scrutiny committee" already names its committee."""
        if " to the " in self.report_type or not self.committee:
            return f"{self.report_type}, {self.period_label}"
        return f"{self.report_type} to the {self.committee}, {self.period_label}"


@dataclass
class ReportDocument:
    cover: Cover
    sections: list[Section]
    comparison_label: str
    generated_on: date
    version_label: str = "Draft"

    @property
    def charts(self) -> list[Chart]:
        return [chart for section in self.sections for chart in section.charts]

    @property
    def charts_drawn(self) -> bool:
        return all(chart.svg for chart in self.charts)


def text_to_blocks(text: str) -> list[Block]:
    """The officer's plain text as paragraphs and lists: a blank line starts a new
    paragraph; lines starting with "- " or "* " are list items."""
    blocks: list[Block] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        paragraph: list[str] = []
        items: list[str] = []
        for line in lines:
            if line[:2] in ("- ", "* ", "• "):
                if paragraph:
                    blocks.append(Block("paragraph", [" ".join(paragraph)]))
                    paragraph = []
                items.append(line[2:].strip())
            else:
                if items:
                    blocks.append(Block("list", items))
                    items = []
                paragraph.append(line)
        if paragraph:
            blocks.append(Block("paragraph", [" ".join(paragraph)]))
        if items:
            blocks.append(Block("list", items))
    return blocks


# The standard section whose lines are the recommendations, numbered in the report.
RECOMMENDATIONS = "recommendations"
NUMBERING = re.compile(r"^(?:[-*\u2022]\s+|\(?\d{1,3}[.)]\s*)")


def text_to_numbered_list(text: str) -> list[Block]:
    """The recommendations: every line that is not blank is one, numbered in the
    report, so the officer types them one per line ("1." or "- " in front is
    dropped rather than printed twice)."""
    items = [NUMBERING.sub("", line.strip()) for line in text.replace("\r\n", "\n").split("\n")]
    items = [item for item in items if item]
    return [Block("numbered", items)] if items else []


def document_snapshot(document: ReportDocument) -> dict:
    """Everything the PDF prints, as JSON-ready data (the chart pictures themselves
    are in the PDF; the snapshot keeps their numbers). A cell keeps what is printed:
    its text, its marks and whether it is a number."""

    def plain(value: Any) -> Any:
        if isinstance(value, Cell):
            return {
                name: getattr(value, name)
                for name in ("text", "numeric", "assessment", "arrow", "tag", "note", "css")
            }
        if isinstance(value, Table):
            return {
                "caption": value.caption,
                "headers": value.headers,
                "rows": [[plain(cell) for cell in row] for row in value.rows],
                "notes": value.notes,
            }
        if is_dataclass(value) and not isinstance(value, type):
            return {
                f.name: plain(getattr(value, f.name))
                for f in fields(value)
                if f.name not in ("figure", "svg", "png")
            }
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, date):
            return value.isoformat()
        return value

    data = plain(document)
    for section_data, section in zip(data["sections"], document.sections, strict=True):
        for chart_data, chart in zip(section_data["charts"], section.charts, strict=True):
            chart_data["drawn"] = bool(chart.svg)
    return data
