"""The PDF/UA-1 conditions a machine can check (the Matterhorn Protocol's machine
checks that apply to our reports), read back from a PDF with pikepdf.

``failures(content)`` returns one line per failed condition, each starting with the
Matterhorn checkpoint it belongs to; an empty list is a pass. ``outline(content)``
and ``link_descriptions(content)`` read back what the tests compare exactly.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from io import BytesIO

import pikepdf

TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
HEADING = re.compile(r"^/H([1-6])$")


@dataclass
class Read:
    """What one walk of a PDF found."""

    failures: list[str] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)
    scopes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    pagination_artifacts: list[int] = field(default_factory=list)  # per page


def _kids(node) -> list:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def read(content: bytes) -> Read:
    result = Read()
    fail = result.failures.append
    with pikepdf.open(BytesIO(content)) as pdf:
        root = pdf.Root
        mark_info = root.get("/MarkInfo")
        if mark_info is None or not bool(mark_info.get("/Marked", False)):
            fail("01-002: the document is not marked as tagged")
        if not str(root.get("/Lang", "")):
            fail("11-001: no natural language on the document")
        preferences = root.get("/ViewerPreferences")
        if preferences is None or not bool(preferences.get("/DisplayDocTitle", False)):
            fail("07-001: the viewer is not told to show the title")
        metadata = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
        if not metadata.get("dc:title"):
            fail("06-003: no dc:title in the metadata")
        if metadata.get("pdfuaid:part") != "1":
            fail("06-002: no PDF/UA identifier in the metadata")
        if "/StructTreeRoot" not in root:
            fail("01-006: no structure tree")
            return result

        referenced: dict[tuple[int, int], set[int]] = defaultdict(set)

        def walk(node, page) -> None:
            page = node.get("/Pg", page)
            for kid in _kids(node):
                if isinstance(kid, int):
                    referenced[page.objgen].add(kid)
                    continue
                if not isinstance(kid, pikepdf.Dictionary):
                    continue
                kind = kid.get("/Type")
                if kind == "/MCR":
                    referenced[kid.get("/Pg", page).objgen].add(int(kid.MCID))
                elif kind == "/OBJR":
                    continue
                else:
                    element(kid)
                    walk(kid, page)

        def element(node) -> None:
            tag = str(node.get("/S", ""))
            heading = HEADING.match(tag)
            if heading:
                result.headings.append(int(heading.group(1)))
            elif tag == "/Figure" and not str(node.get("/Alt", "")).strip():
                fail("13-004: a figure has no alternative text")
            elif tag == "/TH":
                attributes = node.get("/A")
                scope = (
                    attributes.get("/Scope") if isinstance(attributes, pikepdf.Dictionary) else None
                )
                if scope is None:
                    fail("15-003: a table header cell has no scope")
                else:
                    result.scopes[str(scope)] += 1

        walk(root.StructTreeRoot, None)

        levels = result.headings
        if levels and levels[0] != 1:
            fail(f"14-002: the first heading is H{levels[0]}, not H1")
        for before, after in zip(levels, levels[1:], strict=False):
            if after > before + 1:
                fail(f"14-003: heading level skipped, H{before} then H{after}")

        for number, page in enumerate(pdf.pages, start=1):
            result.pagination_artifacts.append(0)
            stack: list[str] = []  # "artifact", "content" or "other" per open sequence
            seen: set[int] = set()
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name in ("BMC", "BDC"):
                    tag = str(operands[0])
                    properties = operands[1] if name == "BDC" else None
                    if tag == "/Artifact":
                        stack.append("artifact")
                        if (
                            isinstance(properties, pikepdf.Dictionary)
                            and properties.get("/Type") == "/Pagination"
                        ):
                            result.pagination_artifacts[-1] += 1
                    elif isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                        stack.append("content")
                        seen.add(int(properties.MCID))
                    else:
                        stack.append("other")
                elif name == "EMC" and stack:
                    stack.pop()
                elif name in TEXT_OPERATORS and not {"artifact", "content"} & set(stack):
                    fail(f"01-005: page {number} has text that is neither tagged nor an artifact")
            loose = seen - referenced[page.objgen]
            if loose:
                fail(
                    f"01-005: page {number} has marked content outside the structure tree"
                    f" (MCIDs {sorted(loose)})"
                )
            annotations = [a for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"]
            if annotations and page.get("/Tabs") != "/S":
                fail(f"28-009: page {number} has links but no structure tab order")
            for annotation in annotations:
                described = str(annotation.get("/Contents", "")).strip()
                destination = str(annotation.get("/Dest", ""))
                if not described or described == destination:
                    fail(f"28-004: a link on page {number} is described as {described!r}")
                if "/StructParent" not in annotation:
                    fail(f"28-011: a link on page {number} is not in the structure tree")
    return result


def failures(content: bytes) -> list[str]:
    return read(content).failures


def outline(content: bytes) -> list:
    """The bookmarks as (title, children) pairs."""

    def items(nodes) -> list:
        return [(node.title, items(node.children)) for node in nodes]

    with pikepdf.open(BytesIO(content)) as pdf, pdf.open_outline() as tree:
        return items(tree.root)


def link_descriptions(content: bytes) -> list[str]:
    with pikepdf.open(BytesIO(content)) as pdf:
        return [
            str(annotation.get("/Contents", ""))
            for page in pdf.pages
            for annotation in page.get("/Annots", [])
            if annotation.get("/Subtype") == "/Link"
        ]


def subject(content: bytes) -> str:
    with pikepdf.open(BytesIO(content)) as pdf:
        return str(pdf.docinfo.get("/Subject", ""))
