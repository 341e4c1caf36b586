"""Generate the hostile-upload corpus: every bad file the upload tests send, built from
code so that nothing binary is kept in the repository.

    python tests/hostile/make_corpus.py OUT_DIR

writes each file into OUT_DIR; the tests call ``build_corpus`` (or a single maker)
for a temporary directory. Each maker returns the file's name and bytes.
"""

from __future__ import annotations

import csv
import io
import stat
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

TEMPLATE_HEADER = ["measure_code", "area", "period_start", "value", "not_supplied_reason", "note"]
STREET_HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
STREET_NAME = "2023-05-city-of-london-street.csv"
# A zip bomb's member: this many bytes of zeros pack to a few kilobytes.
BOMB_BYTES = 20 * 1024 * 1024

Made = tuple[str, bytes]


def workbook_bytes(rows: list[list[object]] | None = None) -> bytes:
    """A small, valid workbook: the template's header and one row."""
    book = Workbook()
    sheet = book.active
    for row in rows or [TEMPLATE_HEADER, ["marac-cases", "North Testshire", "2017-04-01", 7]]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _replace_member(data: bytes, member: str, content: bytes, extra: Made | None = None) -> bytes:
    """The workbook with one member's content replaced (and optionally one added)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            body = content if info.filename == member else source.read(info)
            target.writestr(info.filename, body)
        if extra is not None:
            target.writestr(extra[0], extra[1])
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
SHEET_OPEN = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def xlsx_entity_bomb() -> Made:
    """The "billion laughs": ten levels of entities, each ten of the one below."""
    levels = [b'<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        refs = f"&lol{level - 1};".encode() * 10
        levels.append(f'<!ENTITY lol{level} "'.encode() + refs + b'">')
    sheet = (
        b'<?xml version="1.0"?>\n<!DOCTYPE worksheet [' + b"".join(levels) + b"]>"
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    return "entity-bomb.xlsx", _replace_member(workbook_bytes(), SHEET, sheet)


def xlsx_external_entity() -> Made:
    sheet = (
        b'<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    return "external-entity.xlsx", _replace_member(workbook_bytes(), SHEET, sheet)


def xlsx_malformed_sheet() -> Made:
    sheet = SHEET_OPEN + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>cut'
    return "malformed-sheet.xlsx", _replace_member(workbook_bytes(), SHEET, sheet)


def xlsx_truncated() -> Made:
    data = workbook_bytes()
    return "truncated.xlsx", data[: len(data) // 2]


def xlsx_not_a_workbook() -> Made:
    """A zip of a CSV file, named as a workbook."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("figures.csv", ",".join(TEMPLATE_HEADER) + "\r\n")
    return "zip-not-workbook.xlsx", out.getvalue()


def xlsx_huge_sheet() -> Made:
    """Two cells, at A1 and at the last cell Excel has: a reader that pads the rows
    between would build 17 billion cells."""
    sheet = (
        SHEET_OPEN + b'<dimension ref="A1:XFD1048576"/><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>measure_code</t></is></c></row>'
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    )
    return "huge-sheet.xlsx", _replace_member(workbook_bytes(), SHEET, sheet)


def xlsx_zip_bomb() -> Made:
    """A real workbook with one more member: 20 MB of zeros that pack to kilobytes."""
    extra = ("xl/media/image1.bin", b"\x00" * BOMB_BYTES)
    data = workbook_bytes()
    return "zip-bomb.xlsx", _replace_member(data, SHEET, _sheet_of(data), extra)


def xlsx_missing_sheet() -> Made:
    """A workbook whose first sheet's part was taken out of the zip."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook_bytes())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != SHEET:
                target.writestr(info.filename, source.read(info))
    return "missing-sheet.xlsx", out.getvalue()


def _sheet_of(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(SHEET)


def street_csv(rows: int = 2, location: str = "On or near B521") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(STREET_HEADER)
    for _ in range(rows):
        writer.writerow(
            [
                "abc123",
                "2023-05",
                "City of London Police",
                "City of London Police",
                "-0.107682",
                "51.517786",
                location,
                "E01000001",
                "City of London 001A",
                "Burglary",
                "Under investigation",
                "",
            ]
        )
    return buffer.getvalue()


def _zip(members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, body in members:
            archive.writestr(info, body)
    return out.getvalue()


def zip_symlink() -> Made:
    link = zipfile.ZipInfo(STREET_NAME)
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    return "symlink.zip", _zip([(link, b"/etc/passwd")])


def zip_traversal() -> Made:
    return "traversal.zip", _zip([("../../etc/" + STREET_NAME, street_csv().encode())])


def zip_absolute() -> Made:
    info = zipfile.ZipInfo("/var/data/" + STREET_NAME)
    return "absolute.zip", _zip([(info, street_csv().encode())])


def zip_many_members() -> Made:
    body = street_csv().encode()
    return "many.zip", _zip([(f"2023-05-force-{n}-street.csv", body) for n in range(501)])


def zip_nested() -> Made:
    inner = _zip([(STREET_NAME, street_csv().encode())])
    return "nested.zip", _zip([("inner.zip", inner)])


def zip_nested_as_csv() -> Made:
    """A zip inside the zip, under a CSV name."""
    inner = _zip([(STREET_NAME, street_csv().encode())])
    return "nested-as-csv.zip", _zip([(STREET_NAME, inner)])


def zip_bomb() -> Made:
    body = street_csv().encode() + b"0" * BOMB_BYTES
    return "bomb.zip", _zip([(STREET_NAME, body)])


def zip_truncated() -> Made:
    data = _zip([(STREET_NAME, street_csv(200).encode())])
    return "cut-short.zip", data[: len(data) // 2]


def csv_utf16() -> Made:
    return STREET_NAME, street_csv().encode("utf-16")


def csv_latin1() -> Made:
    """Latin-1 text with a Welsh place name: 'Ynys Môn' (0xF4 for the ô)."""
    return STREET_NAME, street_csv(location="On or near Ynys Môn").encode("latin-1")


def pdf_bytes() -> bytes:
    """A minimal, real PDF: one empty page."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def paper_program_as_pdf() -> Made:
    return "agenda.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120 + b"This program cannot"


def paper_html_as_pdf() -> Made:
    return "agenda.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def paper_pdf() -> Made:
    return "agenda.pdf", pdf_bytes()


def paper_pdf_named_docx() -> Made:
    return "agenda.docx", pdf_bytes()


MAKERS: dict[str, Callable[[], Made]] = {
    maker.__name__: maker
    for maker in [
        xlsx_entity_bomb,
        xlsx_external_entity,
        xlsx_malformed_sheet,
        xlsx_truncated,
        xlsx_not_a_workbook,
        xlsx_huge_sheet,
        xlsx_zip_bomb,
        xlsx_missing_sheet,
        zip_symlink,
        zip_traversal,
        zip_absolute,
        zip_many_members,
        zip_nested,
        zip_nested_as_csv,
        zip_bomb,
        zip_truncated,
        csv_utf16,
        csv_latin1,
        paper_program_as_pdf,
        paper_html_as_pdf,
        paper_pdf,
        paper_pdf_named_docx,
    ]
}


def build_corpus(directory: Path) -> dict[str, Path]:
    """Write every file of the corpus under ``directory`` (one folder per maker, as
    several share a name); {maker name: path}."""
    paths = {}
    for key, maker in MAKERS.items():
        name, data = maker()
        folder = directory / key
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_bytes(data)
        paths[key] = path
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_corpus.py OUT_DIR")
    for key, path in build_corpus(Path(sys.argv[1])).items():
        print(f"{key}: {path} ({path.stat().st_size:,} bytes)")
