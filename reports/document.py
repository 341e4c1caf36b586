"""The assembled report as plain data: what the preview page and the PDF both print.

Nothing here touches the database or a request. ``assembly.assemble_report`` fills
these dataclasses from the other apps; the templates only lay them out; the snapshot
stored with an issued version is ``document_snapshot`` of the same object.
"""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass
class Cell:
    text: str
    numeric: bool = False
    css: str = ""


@dataclass
class Table:
    """A table whose first column names each row (printed as a row header)."""

    caption: str
    headers: list[str]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)

    @property
    def numeric_columns(self) -> list[bool]:
        """Whether each column holds numbers (any of its cells does)."""
        return [
            any(index < len(row) and row[index].numeric for row in self.rows)
            for index in range(len(self.headers))
        ]

    @property
    def columns(self) -> list[tuple[str, bool]]:
        """Each header with whether its column holds numbers: a number column's header
        is set flush right, over its figures."""
        return list(zip(self.headers, self.numeric_columns, strict=True))


@dataclass
class Chart:
    """A chart with the table of the numbers it draws. ``svg`` is filled by the PDF
    pipeline; when it stays empty the table is printed in the chart's place with
    ``fallback_note``."""

    key: str
    title: str
    alt: str
    table: Table
    figure: Any = None
    svg: str | None = None
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

    kind: str  # "paragraph" or "list"
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


def document_snapshot(document: ReportDocument) -> dict:
    """Everything the PDF prints, as JSON-ready data (the chart pictures themselves
    are in the PDF; the snapshot keeps their numbers)."""

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if k not in ("figure", "svg")}
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, date):
            return value.isoformat()
        return value

    data = clean(asdict(document))
    for section_data, section in zip(data["sections"], document.sections, strict=True):
        for chart_data, chart in zip(section_data["charts"], section.charts, strict=True):
            chart_data["drawn"] = bool(chart.svg)
    return data
