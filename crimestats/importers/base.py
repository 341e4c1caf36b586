"""What every importer shares: the uploaded files, row-level errors, the parse result,
and the checks that come before any format is read (size, zip contents, encoding).

Nothing here touches the database. An importer's ``parse`` turns files into a
``ParsedImport``; only ``store`` writes, and only when ``errors`` is empty.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from xml.etree.ElementTree import ParseError

from django.conf import settings

from cspportal.lib import uploads

ZIP_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"
# A zip holding more members than this, or members that expand more than this many
# times, is refused before anything is unpacked (a "zip bomb").
MAX_ZIP_MEMBERS = 500
MAX_ZIP_RATIO = 200
# Beyond this many errors the list stops: the first ones say what is wrong.
MAX_ERRORS_LISTED = 200


def max_upload_bytes() -> int:
    return settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    """One problem, named by file, row (1 is the header row) and column."""

    file: str
    row: int | None
    column: str
    message: str
    sheet: str = ""

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "text": str(self),
        }


class ImportRefused(Exception):
    """The files cannot be read at all; ``errors`` says why."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


@dataclass(frozen=True)
class SourceFile:
    """One file's name and bytes, as uploaded or as unpacked from a zip."""

    name: str
    data: bytes

    @cached_property
    def checksum(self) -> str:
        # Cached: a national month is ~120 MB, and the checksum is asked for at the
        # preview, the duplicate check and the confirmation.
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class ParsedImport:
    """The outcome of reading files: the format's own payload (``rows``), the errors,
    and a JSON-ready ``summary`` that the preview page and the ImportBatch show."""

    format: str
    files: list[SourceFile]
    rows_read: int = 0
    rows_rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    rows: Any = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def checksum(self) -> str:
        return combined_checksum(self.files)

    @property
    def file_name(self) -> str:
        names = [f.name for f in self.files]
        if len(names) <= 3:
            return ", ".join(names)
        return f"{names[0]} and {len(names) - 1} more files"

    def errors_as_json(self) -> list[dict[str, Any]]:
        return [e.as_dict() for e in self.errors[:MAX_ERRORS_LISTED]]


@dataclass(frozen=True)
class StoreOutcome:
    """What ``store`` did: figures created, changed and left as they were, the rows
    that went into stored figures, and format-specific counts."""

    created: int
    updated: int
    unchanged: int
    rows_stored: int
    extra: dict = field(default_factory=dict)

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated or any(self.extra.values()))


def combined_checksum(files: list[SourceFile]) -> str:
    """SHA-256 of a single file (as ``sha256sum`` prints it); for several files, of
    their sorted checksums, so the same files give the same checksum in any order or
    packed in a zip."""
    if len(files) == 1:
        return files[0].checksum
    joined = "\n".join(sorted(f.checksum for f in files))
    return hashlib.sha256(joined.encode()).hexdigest()


def _limit_mb() -> str:
    return f"{settings.IMPORT_MAX_UPLOAD_MB} MB"


def check_size(name: str, size: int) -> RowError | None:
    if size > max_upload_bytes():
        return RowError(
            name,
            None,
            "",
            f"the file is {size / 1024 / 1024:.1f} MB, over the {_limit_mb()} limit for "
            "imports. Split it into smaller files (one month each).",
        )
    return None


def is_zip(data: bytes) -> bool:
    return data[:4] == ZIP_MAGIC


# What the CSV importers call a kind of content when it is not text; the rest is
# described as ``uploads`` describes it.
_IMPORT_KINDS = {
    "xlsx": "an Excel workbook",
    "docx": "a zip archive",
    "pptx": "a zip archive",
    "odt": "a zip archive",
    "ods": "a zip archive",
    "odp": "a zip archive",
    "ole": "an old-style Excel workbook (.xls)",
}


def sniff_kind(data: bytes) -> str | None:
    """What a file is by its content, when that is not text: 'a PDF document', 'an
    Excel workbook', 'a zip archive'... None for anything that may be text. The name
    a file was uploaded under is never trusted for this."""
    kind = uploads.content_kind(data)
    if kind in ("text", "html"):
        return None
    return _IMPORT_KINDS.get(kind) or uploads.describe(kind)


def described_as(name: str) -> str:
    """' with a .csv name' for 'x.csv'; empty when the name has no extension."""
    suffix = posixpath.splitext(name)[1].lower()
    return f" with a {suffix} name" if suffix else ""


def is_xlsx(data: bytes) -> bool:
    if not is_zip(data):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "[Content_Types].xml" in archive.namelist() and any(
                n.startswith("xl/") for n in archive.namelist()
            )
    except zipfile.BadZipFile:
        return False


def upload_limits() -> uploads.Limits:
    """The limits of an import upload: the size limit, for the file and for what a
    zip or workbook unpacks to, and the zip checks' member count and ratio."""
    return uploads.Limits(
        max_bytes=max_upload_bytes(), max_members=MAX_ZIP_MEMBERS, max_ratio=MAX_ZIP_RATIO
    )


# What openpyxl raises on a workbook that ``uploads.workbook_problem`` let through but
# that still cannot be read: a missing part (KeyError), a bad value or reference
# (ValueError, TypeError), XML it cannot parse (ParseError) or a damaged member.
WORKBOOK_READ_ERRORS = (
    KeyError,
    ValueError,
    TypeError,
    ParseError,
    OSError,
    *uploads.ZIP_READ_ERRORS,
)


def workbook_error(source: SourceFile, reason: str) -> RowError:
    return RowError(source.name, None, "", f"this file {uploads.workbook_message(reason)}")


def workbook_refusal(source: SourceFile) -> RowError | None:
    """Why an .xlsx upload cannot be read safely (``uploads.workbook_problem``), or None:
    checked before openpyxl opens it."""
    reason = uploads.workbook_problem(source.data, limits=upload_limits())
    return workbook_error(source, reason) if reason else None


def unpack_zip(source: SourceFile, suffixes: tuple[str, ...]) -> list[SourceFile]:
    """The files in a zip whose names end with one of ``suffixes``. Refuses what
    ``uploads.zip_problem`` refuses (absolute or ``..`` paths, symbolic links, too many
    members, zips inside the zip, members of another type, members that expand past
    the upload limit or by an implausible ratio) before anything is unpacked. Nothing
    is written to disk."""
    archive = uploads.open_zip(source.data)
    if archive is None:
        raise ImportRefused(
            [RowError(source.name, None, "", "the zip file is damaged and cannot be opened.")]
        )
    with archive:
        problem = uploads.zip_problem(archive, limits=upload_limits(), suffixes=suffixes)
        if problem:
            raise ImportRefused([RowError(source.name, None, "", problem)])
        unpacked: list[SourceFile] = []
        for member in archive.infolist():
            if uploads.skipped_member(member):
                continue
            base = posixpath.basename(member.filename.replace("\\", "/"))
            try:
                with archive.open(member) as handle:
                    # Read one byte past the declared size: a member that lies about its
                    # size is caught here rather than trusted.
                    data = handle.read(member.file_size + 1)
            except uploads.ZIP_READ_ERRORS:
                data = b""
                damaged = True
            else:
                damaged = len(data) > member.file_size
            if damaged:
                raise ImportRefused(
                    [RowError(source.name, None, "", f"the zip member '{base}' is damaged.")]
                )
            unpacked.append(SourceFile(base, data))
    if not unpacked:
        raise ImportRefused(
            [RowError(source.name, None, "", "the zip holds no files that can be imported.")]
        )
    return unpacked


def expand_sources(sources: list[SourceFile], *, suffixes: tuple[str, ...]) -> list[SourceFile]:
    """Check sizes and unpack zips. Raises ``ImportRefused`` for files that cannot be
    read at all (too big, a damaged or dangerous zip)."""
    if not sources:
        raise ImportRefused([RowError("(no file)", None, "", "choose at least one file.")])
    errors = [e for s in sources if (e := check_size(s.name, s.size)) is not None]
    if errors:
        raise ImportRefused(errors)
    expanded: list[SourceFile] = []
    for source in sources:
        if source.name.lower().endswith(".zip") and is_zip(source.data):
            expanded.extend(unpack_zip(source, suffixes))
        else:
            expanded.append(source)
    names = [s.name for s in expanded]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ImportRefused(
            [
                RowError(n, None, "", "this file name appears twice in the upload.")
                for n in duplicates
            ]
        )
    return expanded


def csv_text_problem(
    source: SourceFile, header: list[str] | None = None, *, check_encoding: bool = True
) -> RowError | None:
    """Why a file meant as CSV cannot be read as UTF-8 text, or None. A byte-order mark
    is fine. An Excel workbook renamed to .csv, an empty file and Windows-1252 text
    (a pound sign saved by Excel's plain "CSV" option) get their own messages, naming
    the row and, when the header is known, the column."""
    data = source.data
    if len(data) < 64 and (not data.strip() or data.strip() == UTF8_BOM):
        return RowError(source.name, 1, "", "the file is empty.")
    kind = sniff_kind(data)
    if kind == uploads.describe("utf16"):
        return RowError(
            source.name,
            1,
            "",
            "the text is UTF-16, not UTF-8. Open it in Excel and save it as 'CSV UTF-8 "
            "(comma delimited)', then upload it again.",
        )
    if kind is not None:
        advice = (
            "Open it in Excel and save it as 'CSV UTF-8 (comma delimited)'."
            if "Excel" in kind
            else "Upload the CSV file itself."
        )
        return RowError(
            source.name,
            1,
            "",
            f"this is {kind}{described_as(source.name)}, not a CSV file. {advice}",
        )
    if not check_encoding:
        return None
    return encoding_problem(source, header)


def encoding_problem(source: SourceFile, header: list[str] | None = None) -> RowError | None:
    """Where the first byte that is not UTF-8 is, by row and column, or None."""
    data = source.data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
        line_start = data.rfind(b"\n", 0, start) + 1
        row = data.count(b"\n", 0, start) + 1
        column_index = data[line_start:start].count(b",")
        column = f"column {column_index + 1}"
        if header and column_index < len(header):
            column = header[column_index]
        bad = data[start]
        guess = ""
        with contextlib.suppress(UnicodeDecodeError):
            guess = f" ('{bytes([bad]).decode('cp1252')}' in Windows-1252)"
        return RowError(
            source.name,
            row,
            column,
            f"the text is not UTF-8: byte 0x{bad:02X}{guess} cannot be read. The file "
            "was probably saved as Windows-1252 ('CSV (comma delimited)' in Excel); save "
            "it again as 'CSV UTF-8 (comma delimited)'.",
        )
    return None


def first_line(data: bytes) -> str:
    """The first line of the file as text, without a byte-order mark or line ending."""
    end = data.find(b"\n")
    # Sliced, not split: split would copy the whole rest of a 3 MB file.
    line = (data if end < 0 else data[:end]).rstrip(b"\r")
    if line.startswith(UTF8_BOM):
        line = line[len(UTF8_BOM) :]
    return line.decode("utf-8", errors="replace")


def normalise_heading(text: object) -> str:
    """Header text with line breaks and repeated spaces collapsed, as the catalogue
    stores ONS headings."""
    return " ".join(str(text or "").split())
