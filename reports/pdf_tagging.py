"""What WeasyPrint's PDF/UA-1 tagging leaves undone, finished before the PDF is written.

WeasyPrint tags the report (structure tree, language, title, table headers, figures
with their alt text), and calls a *finisher* with its document and the PDF objects
just before it writes the file (``Document.write_pdf(finisher=...)``, its documented
hook for post-processing). ``finish_tagging`` is that finisher. It closes the gaps
that a Matterhorn Protocol check finds:

- **Header cells carry their scope** (``/Scope /Column`` or ``/Row`` in the cell's
  table attributes), read from the ``scope`` attribute of the HTML ``th``.
- **Running headers and footers are pagination artifacts.** WeasyPrint marks the
  text of page-margin boxes (the partnership's name, "Page N of M", a draft's
  "DRAFT: not issued") as content but leaves it out of the structure tree, so the
  content is neither real content nor an artifact. It becomes
  ``/Artifact <</Type /Pagination>>``, and its entries in the parent tree are nulled.
- **Links are described by their text** (the annotation's ``/Contents``), not by the
  internal anchor name ("section-purpose") WeasyPrint puts there.

It touches only the objects WeasyPrint has made, in memory, and works on the public
names of the PDF (``/S``, ``/K``, ``/Pg``, ``/MCID``), so a WeasyPrint upgrade that
changed them would fail the PDF/UA tests (tests/reports/test_pdf_ua.py) rather than
print a PDF that merely looks tagged.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import pydyf

ROW_SCOPES = {"row", "rowgroup"}
NULL = b"null"


def finish_tagging(document: Any, pdf: pydyf.PDF) -> None:
    """The finisher ``html_to_pdf`` passes to ``write_pdf``."""
    boxes = [box for page in document.pages for box in _descendants(page._page_box)]
    _scope_header_cells(boxes)
    _describe_links(boxes)
    _margins_as_artifacts(pdf)


def _descendants(box: Any):
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


def _scope_header_cells(boxes: list[Any]) -> None:
    for box in boxes:
        element = getattr(box, "mark", None)
        if element is None or getattr(box, "element_tag", None) != "th":
            continue
        scope = (box.element.get("scope") or "col").lower()
        element["A"]["Scope"] = "/Row" if scope in ROW_SCOPES else "/Column"


def link_text(element: Any) -> str:
    """What a link says: its accessible name (aria-label, else its text), in one line."""
    label = element.get("aria-label") or "".join(element.itertext())
    return re.sub(r"\s+", " ", label).strip()


def _describe_links(boxes: list[Any]) -> None:
    for box in boxes:
        annotation = getattr(box, "link_annotation", None)
        if annotation is None or box.element is None:
            continue
        text = link_text(box.element)
        if text:
            annotation["Contents"] = pydyf.String(text)


def _number(reference: Any) -> int | None:
    """The object number of an indirect reference such as b"12 0 R"."""
    if isinstance(reference, bytes) and reference.endswith(b" R"):
        return int(reference.split()[0])
    return None


def _margins_as_artifacts(pdf: pydyf.PDF) -> None:
    objects = pdf.objects
    root_number = _number(pdf.catalog.get("StructTreeRoot"))
    if root_number is None:
        return
    reachable: set[int] = set()
    pending = [root_number]
    while pending:
        number = pending.pop()
        if number in reachable:
            continue
        reachable.add(number)
        kids = objects[number].get("K", ())
        for kid in kids if isinstance(kids, list) else [kids]:
            kid_number = _number(kid)
            if kid_number is not None and objects[kid_number].get("Type") == "/StructElem":
                pending.append(kid_number)

    # Marked content whose structure element is not in the tree: the margin boxes.
    loose: dict[int, set[int]] = defaultdict(set)  # page object number -> MCIDs
    for obj in objects:
        if not isinstance(obj, pydyf.Dictionary) or obj.get("Type") != "/StructElem":
            continue
        if obj.number in reachable:
            continue
        page = _number(obj.get("Pg"))
        for kid in obj.get("K", ()):
            if isinstance(kid, int) and page is not None:
                loose[page].add(kid)
    if not loose:
        return

    page_indexes = {_number(ref): index for index, ref in enumerate(pdf.page_references)}
    parent_tree = objects[_number(objects[root_number]["ParentTree"])]
    nums = parent_tree["Nums"]
    page_arrays = {nums[i]: nums[i + 1] for i in range(0, len(nums), 2)}
    for page_number, mcids in loose.items():
        stream = objects[_number(objects[page_number]["Contents"])]
        items = stream.stream
        for index, item in enumerate(items):
            if (
                isinstance(item, pydyf.Dictionary)
                and item.get("MCID") in mcids
                and isinstance(items[index - 1], str)
            ):
                items[index - 1] = "/Artifact"
                items[index] = pydyf.Dictionary({"Type": "/Pagination"})
        by_mcid = page_arrays.get(page_indexes.get(page_number))
        if by_mcid is not None:
            for mcid in mcids:
                if mcid < len(by_mcid):
                    by_mcid[mcid] = NULL
