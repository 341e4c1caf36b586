"""CSV and XLSX downloads of tables, shared by every export in the app.

Cells that a spreadsheet would read as a formula (starting ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) are prefixed with an apostrophe, so that a narrative
typed by one user cannot run as a formula on another user's machine (OWASP "CSV
injection"). Numbers stay numbers: only text is neutralised.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMATS = ("csv", "xlsx")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_date(day: date | None) -> str:
    """A date in a download: ISO 8601 (2024-01-11), in every app's CSV and XLSX, so
    that a spreadsheet sorts it and the template importer reads it back; empty when
    there is none. Pages print dates as "11 January 2024" (``formats.uk_date``)."""
    return day.isoformat() if day is not None else ""


def attachment(name: str) -> str:
    """The Content-Disposition of a download called ``name`` ("report.pdf"), which
    may hold user text (an organisation's name). ``filename`` is an ASCII slug that
    every browser takes and no header can choke on (a line break or a quote in a
    name would otherwise make the download fail); ``filename*`` (RFC 6266, RFC 8187)
    keeps the real name, control characters removed, for browsers that read it."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    suffix = slugify(suffix)
    plain = (slugify(stem) or "download") + (f".{suffix}" if suffix else "")
    real = " ".join("".join(c if c.isprintable() else " " for c in name).split())
    header = f'attachment; filename="{plain}"'
    if real and real != plain:
        header += f"; filename*=UTF-8''{quote(real, safe='')}"
    return header


def safe_cell(value):
    """The value as it should be written to a spreadsheet cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal):
        return value
    # A workbook is XML, which cannot hold C0 control characters (tab and line breaks
    # aside): a name typed with one would make the download fail, so it is dropped, in
    # CSV too, so both downloads say the same.
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def table_response(
    *,
    filename: str,
    fmt: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    preamble: Sequence[Sequence] = (),
) -> HttpResponse:
    """A download of one table as ``fmt`` ("csv" or "xlsx"); ``filename`` has no suffix.
    ``preamble`` rows come before the header row (the public pages' source, "as at"
    date and licence)."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown download format {fmt!r}.")
    safe_rows = [[safe_cell(v) for v in row] for row in rows]
    safe_preamble = [[safe_cell(v) for v in row] for row in preamble]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerows(safe_preamble)
        writer.writerow([safe_cell(h) for h in headers])
        writer.writerows(safe_rows)
        # A byte-order mark makes Excel read the file as UTF-8 (pound signs intact).
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        workbook = Workbook()
        sheet = workbook.active
        for row in safe_preamble:
            sheet.append(row)
        sheet.append([safe_cell(h) for h in headers])
        for row in safe_rows:
            sheet.append(row)
        binary = io.BytesIO()
        workbook.save(binary)
        response = HttpResponse(binary.getvalue(), content_type=_XLSX_TYPE)
    response["Content-Disposition"] = attachment(f"{filename}.{fmt}")
    return response
