"""Judging an uploaded file by its content and size, never by the name or the
Content-Type the browser declares: what the file really is (``content_kind``), whether
a zip is safe to open (``zip_problem``), whether a workbook can be read safely
(``workbook_problem``) and whether a file is what a form accepts (``upload_problem``).

Each check returns the reason a file is refused, a phrase that follows the file's
name ("run.pdf is a Windows program ..."), or None. The forms put their field's
name in front, so every message names the field and the file. Nothing here reads
settings or touches the database: callers pass their limits.
"""

from __future__ import annotations

import io
import posixpath
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO
from xml.parsers import expat

ZIP_SIGNATURE = b"PK\x03\x04"
EMPTY_ZIP_SIGNATURE = b"PK\x05\x06"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# What each kind of content is called in a message.
DESCRIPTIONS = {
    "pdf": "a PDF document",
    "docx": "a Word document (.docx)",
    "xlsx": "an Excel workbook (.xlsx)",
    "pptx": "a PowerPoint presentation (.pptx)",
    "odt": "an OpenDocument text (.odt)",
    "ods": "an OpenDocument spreadsheet (.ods)",
    "odp": "an OpenDocument presentation (.odp)",
    "ole": "an old-style Office file (.doc, .xls or .ppt)",
    "zip": "a zip archive",
    "png": "a PNG image",
    "jpeg": "a JPEG image",
    "gif": "a GIF image",
    "exe": "a Windows program",
    "elf": "a Linux program",
    "html": "an HTML page",
    "utf16": "UTF-16 text",
    "binary": "a binary file",
    "text": "a text file",
}

# Opening bytes of kinds that are not zips; checked in order.
_SIGNATURES = (
    (b"%PDF-", "pdf"),
    (OLE_SIGNATURE, "ole"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"MZ", "exe"),
    (b"\x7fELF", "elf"),
    (b"\xff\xfe", "utf16"),
    (b"\xfe\xff", "utf16"),
)
_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<script|<iframe)", re.I)
_OPENDOCUMENT = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
# The part each Office Open XML kind cannot be without.
_OOXML_PARTS = (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"), ("ppt/", "pptx"))

# Errors that reading a damaged or unusual zip member raises: a bad CRC or header
# (BadZipFile), a cut-off or corrupt deflate stream (zlib.error, EOFError), an
# a compression method the standard library cannot read (zipfile signals it with
# NotImplementedError: a refusal to catch, not unfinished code here) or a password
# (RuntimeError).
ZIP_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)


@dataclass(frozen=True)
class Limits:
    """How big an upload, and what it unpacks to, may be."""

    max_bytes: int
    max_members: int = 500
    # A member that expands more than this many times its packed size is a zip bomb:
    # a workbook's XML packs about 5 to 20 times, CSV text about 10.
    max_ratio: int = 200
    max_rows: int = 100_000
    max_columns: int = 1_000


def megabytes(size: int) -> str:
    """A file's size: '1.0 MB'."""
    return f"{size / 1024 / 1024:,.1f} MB"


def limit_words(size: int) -> str:
    """A limit, as round as it is: '5 MB', '2.5 MB'."""
    return f"{size / 1024 / 1024:,.1f}".removesuffix(".0") + " MB"


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                with archive.open("mimetype") as handle:
                    kind = _OPENDOCUMENT.get(handle.read(100).strip())
                if kind:
                    return kind
            if "[Content_Types].xml" in names:
                for part, kind in _OOXML_PARTS:
                    if any(n == part or (part.endswith("/") and n.startswith(part)) for n in names):
                        return kind
    except (*ZIP_READ_ERRORS, OSError):
        pass
    return "zip"


def content_kind(data: bytes) -> str:
    """What the bytes are, as a key of ``DESCRIPTIONS``: by signature, then by the
    parts inside a zip; 'text' for anything that may be plain text."""
    if data.startswith((ZIP_SIGNATURE, EMPTY_ZIP_SIGNATURE)):
        return _zip_kind(data)
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            return kind
    head = data[:4096]
    if b"\x00" in head:
        # UTF-16 without a byte-order mark: every other byte of ASCII text is NUL.
        odd_or_even = head[0::2] if head[1:2] == b"\x00" else head[1::2]
        return "utf16" if odd_or_even.count(b"\x00") > len(odd_or_even) * 0.9 else "binary"
    if _HTML_START.match(head.removeprefix(b"\xef\xbb\xbf")):
        return "html"
    return "text"


def describe(kind: str) -> str:
    return DESCRIPTIONS[kind]


def _unsafe_name(name: str) -> bool:
    cleaned = name.replace("\\", "/")
    return (
        cleaned.startswith("/")
        or (len(cleaned) > 1 and cleaned[1] == ":")
        or ".." in cleaned.split("/")
    )


def member_problem(
    info: zipfile.ZipInfo, *, limits: Limits, unpacked_before: int = 0
) -> str | None:
    """Why one member of a zip must not be opened: a path outside the archive, a
    symbolic link, a password, or a size that makes it a zip bomb."""
    name = info.filename
    if _unsafe_name(name):
        return f"the zip member '{name}' has a path outside the archive; it was not opened."
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"the zip member '{name}' is a symbolic link; it was not opened."
    if info.flag_bits & 0x1:
        return f"the zip member '{name}' is protected by a password; it was not opened."
    if unpacked_before + info.file_size > limits.max_bytes:
        others = " with the members before it" if unpacked_before else ""
        return (
            f"the zip member '{name}' unpacks{others} to more than the "
            f"{limit_words(limits.max_bytes)} limit; it was not unpacked."
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > 1024 * 1024 and ratio > limits.max_ratio:
        return (
            f"the zip member '{name}' expands {ratio:,.0f} times, to {megabytes(info.file_size)}: "
            "far more than a real file does (a zip bomb); it was not unpacked."
        )
    return None


def zip_problem(
    archive: zipfile.ZipFile, *, limits: Limits, suffixes: tuple[str, ...] | None = None
) -> str | None:
    """Why a zip must not be unpacked: too many members, a member that
    ``member_problem`` refuses and, when ``suffixes`` are given (a zip of files to
    import), a member of another type or a zip inside the zip. Reads the zip's
    directory and the first bytes of each member, nothing more."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        return f"the zip holds {len(members):,} files; at most {limits.max_members:,} are accepted."
    unpacked = 0
    for info in members:
        problem = member_problem(info, limits=limits, unpacked_before=unpacked)
        if problem:
            return problem
        unpacked += info.file_size
        if suffixes is not None and not skipped_member(info):
            problem = _content_problem(archive, info, suffixes)
            if problem:
                return problem
    return None


def skipped_member(info: zipfile.ZipInfo) -> bool:
    """Folders and the hidden files that archivers add (macOS's __MACOSX, .DS_Store)."""
    parts = info.filename.replace("\\", "/").split("/")
    return info.is_dir() or parts[-1].startswith(".") or "__MACOSX" in parts


def _content_problem(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, suffixes: tuple[str, ...]
) -> str | None:
    name = info.filename
    base = posixpath.basename(name.replace("\\", "/"))
    nested = (
        f"the zip member '{name}' is another zip inside the zip; zips inside zips are not "
        f"opened: put the {' or '.join(suffixes)} files themselves in one zip."
    )
    if base.lower().endswith(".zip"):
        return nested
    if not base.lower().endswith(suffixes):
        return f"the zip holds '{base}', which is not a {' or '.join(suffixes)} file."
    try:
        with archive.open(info) as handle:
            head = handle.read(4)
    except ZIP_READ_ERRORS:
        return f"the zip member '{name}' is damaged."
    if head.startswith(ZIP_SIGNATURE):
        return nested
    return None


def open_zip(data: bytes) -> zipfile.ZipFile | None:
    """The zip, or None when it cannot be opened (cut off, or not a zip at all)."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


class _Refused(Exception):
    pass


def _local(name: str) -> str:
    return name.rpartition(":")[2]


_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]+)")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _check_ref(ref: str, part: str, limits: Limits) -> None:
    for letters, row in _CELL_REF.findall(ref.upper()):
        if int(row) > limits.max_rows:
            raise _Refused(
                f"the sheet {part} reaches row {int(row):,}; at most {limits.max_rows:,} rows "
                "are read"
            )
        if _column_number(letters) > limits.max_columns:
            raise _Refused(
                f"the sheet {part} reaches column {letters}; at most {limits.max_columns:,} "
                "columns are read"
            )


def _scan_xml(
    handle: IO[bytes],
    part: str,
    *,
    sheet: bool,
    limits: Limits,
    targets: list[str] | None = None,
    writer: str = "Excel",
) -> None:
    """Parse one XML part without building it, refusing any DTD (which is where entity
    expansion and external entities live: Excel never writes one) and, in a sheet,
    rows or columns past the limits. In the workbook's relationships, ``targets``
    collects the sheets it names."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse_dtd(*_args: object) -> None:
        raise _Refused(f"the part {part} declares a DTD or entities, which {writer} never writes")

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd

    def refuse_external(*_args: object) -> int:
        raise _Refused(f"the part {part} refers to an external entity")

    parser.ExternalEntityRefHandler = refuse_external
    if targets is not None:

        def relationship(name: str, attributes: dict[str, str]) -> None:
            if _local(name) == "Relationship" and attributes.get("Type", "").endswith("/worksheet"):
                targets.append(attributes.get("Target", ""))

        parser.StartElementHandler = relationship
    if sheet:
        rows = 0

        def start(name: str, attributes: dict[str, str]) -> None:
            nonlocal rows
            local = _local(name)
            if local == "row":
                rows += 1
                if rows > limits.max_rows:
                    raise _Refused(
                        f"the sheet {part} has more than {limits.max_rows:,} rows; at most "
                        f"{limits.max_rows:,} are read"
                    )
                row = attributes.get("r", "")
                if row.isdigit():
                    _check_ref(f"A{row}", part, limits)
            elif local in ("c", "dimension"):
                _check_ref(attributes.get("r") or attributes.get("ref") or "", part, limits)

        parser.StartElementHandler = start
    try:
        while chunk := handle.read(64 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise _Refused(
            f"the part {part} is not well-formed XML "
            f"({expat.ErrorString(exc.code)}, line {exc.lineno})"
        ) from None


WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"


def workbook_problem(data: bytes, *, limits: Limits) -> str | None:
    """Why ``data`` is not an Excel workbook (.xlsx) that can be read safely, as a
    reason ("the zip is damaged or cut short"), or None. Checks the zip (``zip_problem``),
    the workbook's parts, and every XML part by parsing it (``_scan_xml``), so that the
    reader that comes after meets no surprise."""
    if not data.startswith(ZIP_SIGNATURE):
        return f"it is {describe(content_kind(data))}, not a zip of workbook parts"
    archive = open_zip(data)
    if archive is None:
        return "the zip it is packed in is damaged or cut short"
    with archive:
        problem = zip_problem(archive, limits=limits)
        if problem:
            return problem
        names = archive.namelist()
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            return (
                "it is a zip, but without the parts of a workbook ([Content_Types].xml and "
                "xl/workbook.xml)"
            )
        sheets: list[str] = []
        try:
            for info in archive.infolist():
                name = info.filename
                if info.is_dir() or not name.endswith((".xml", ".rels")):
                    continue
                with archive.open(info) as handle:
                    _scan_xml(
                        handle,
                        name,
                        sheet=posixpath.dirname(name) == "xl/worksheets",
                        limits=limits,
                        targets=sheets if name == WORKBOOK_RELS else None,
                    )
        except _Refused as refused:
            return str(refused)
        except ZIP_READ_ERRORS as exc:
            return f"a part of it cannot be unpacked ({exc})"
        for target in sheets:
            # Targets are relative to xl/, or absolute from the root of the package.
            path = target[1:] if target.startswith("/") else posixpath.normpath("xl/" + target)
            if path not in names:
                return f"it names the sheet {path}, which is not in the file"
    return None


def workbook_message(reason: str) -> str:
    """The one sentence for a workbook that cannot be read, after the file's name."""
    return (
        f"is not a valid Excel workbook (.xlsx): {reason.rstrip('.')}. Save it again from "
        "Excel as .xlsx and upload it again."
    )


# What a file's extension promises its content is.
KIND_FOR_SUFFIX = {
    ".pdf": "pdf",
    ".doc": "ole",
    ".xls": "ole",
    ".ppt": "ole",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".pptx": "pptx",
    ".odt": "odt",
    ".ods": "ods",
    ".odp": "odp",
    ".csv": "text",
    ".txt": "text",
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".zip": "zip",
}


def suffix_of(name: str) -> str:
    return posixpath.splitext(name.replace("\\", "/"))[1].lower()


def upload_problem(
    name: str,
    data: bytes,
    *,
    suffixes: tuple[str, ...],
    accepted: str,
    limits: Limits,
    member_suffixes: tuple[str, ...] | None = None,
) -> str | None:
    """Why a file is not one the form accepts, after the file's name, or None.
    ``suffixes`` are the extensions the form takes, ``accepted`` says them in words
    ("a PDF, Word, spreadsheet or slides file"). The content must be one of those
    kinds and agree with the file's own extension, so the file opens as what it is
    called when it is downloaded; zips inside are checked before anyone opens them (and
    the members of a plain zip must end with ``member_suffixes``)."""
    size = len(data)
    if size > limits.max_bytes:
        return f"is {megabytes(size)}, over the {limit_words(limits.max_bytes)} limit."
    if not data.strip():
        return "is empty."
    suffix = suffix_of(name)
    if suffix == ".xlsx" and ".xlsx" in suffixes and data.startswith(ZIP_SIGNATURE):
        # Whatever is wrong inside a zip named .xlsx, the uploader meant a workbook.
        reason = workbook_problem(data, limits=limits)
        return workbook_message(reason) if reason else None
    kind = content_kind(data)
    kinds = {KIND_FOR_SUFFIX[s] for s in suffixes}
    if kind == "utf16" and "text" in kinds:
        return (
            "is UTF-16 text, not UTF-8. Open it in Excel and save it as 'CSV UTF-8 (comma "
            "delimited)', then upload it again."
        )
    if kind not in kinds:
        return f"is {describe(kind)}, not {accepted}."
    if KIND_FOR_SUFFIX.get(suffix) != kind:
        wanted = sorted(s for s in suffixes if KIND_FOR_SUFFIX[s] == kind)
        called = f"its name ends in {suffix}" if suffix else "its name has no extension"
        return (
            f"is {describe(kind)}, but {called}: rename it to end in {' or '.join(wanted)} "
            "and upload it again."
        )
    if data.startswith(ZIP_SIGNATURE):
        archive = open_zip(data)
        if archive is None:
            return f"is {describe(kind)} that is damaged or cut short."
        with archive:
            problem = zip_problem(
                archive, limits=limits, suffixes=member_suffixes if kind == "zip" else None
            )
        return f"cannot be opened: {problem}" if problem else None
    return None


WORD_CONTENT_TYPES = "[Content_Types].xml"
WORD_MAIN_PART = "word/document.xml"
WORD_DOCUMENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)
WORD_TEMPLATE_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
)


def _word_content_types(archive: zipfile.ZipFile, limits: Limits) -> dict[str, str]:
    """The content type of each part that ``[Content_Types].xml`` names, by part name
    ("/word/document.xml") and by extension ("bin"). Parsed without a DTD."""
    types: dict[str, str] = {}
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse_dtd(*_args: object) -> None:
        raise _Refused(f"the part {WORD_CONTENT_TYPES} declares a DTD or entities")

    def start(name: str, attributes: dict[str, str]) -> None:
        local = _local(name)
        if local == "Override":
            types[attributes.get("PartName", "").lower()] = attributes.get("ContentType", "")
        elif local == "Default":
            types[attributes.get("Extension", "").lower()] = attributes.get("ContentType", "")

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.StartElementHandler = start
    info = archive.getinfo(WORD_CONTENT_TYPES)
    if info.file_size > limits.max_bytes:
        raise _Refused(f"the part {WORD_CONTENT_TYPES} is too large")
    try:
        parser.Parse(archive.read(info), True)
    except expat.ExpatError as exc:
        raise _Refused(
            f"the part {WORD_CONTENT_TYPES} is not well-formed XML ({expat.ErrorString(exc.code)})"
        ) from None
    return types


def word_document_problem(data: bytes, *, limits: Limits) -> str | None:
    """Why ``data`` is not a plain Word document (.docx) that can be opened safely, as
    a reason, or None: the zip is checked (``zip_problem``), it must have a Word
    document's parts and content type (not a template, not macro-enabled: a .docm
    renamed .docx is refused for its macros whatever it is called), and every XML
    part is parsed without a DTD (``_scan_xml``)."""
    if not data.startswith(ZIP_SIGNATURE):
        return f"it is {describe(content_kind(data))}, not a Word document"
    archive = open_zip(data)
    if archive is None:
        return "the zip it is packed in is damaged or cut short"
    with archive:
        problem = zip_problem(archive, limits=limits)
        if problem:
            return problem
        names = archive.namelist()
        if WORD_CONTENT_TYPES not in names or WORD_MAIN_PART not in names:
            return (
                "it is a zip, but without the parts of a Word document ([Content_Types].xml "
                "and word/document.xml)"
            )
        try:
            types = _word_content_types(archive, limits)
            macros = any(
                "macroenabled" in t.lower() or "vbaproject" in t.lower() for t in types.values()
            )
            if macros or any(posixpath.basename(n).lower().startswith("vbaproject") for n in names):
                return (
                    "it contains macros (it is a macro-enabled Word document, .docm); save "
                    "it from Word as a Word Document (.docx), which has none"
                )
            main = types.get("/" + WORD_MAIN_PART, "")
            if main == WORD_TEMPLATE_TYPE:
                return "it is a Word template (.dotx); save it from Word as a Word Document (.docx)"
            if main != WORD_DOCUMENT_TYPE:
                return "its main part is not a Word document's (the content type is wrong)"
            for info in archive.infolist():
                if info.is_dir() or not info.filename.endswith((".xml", ".rels")):
                    continue
                with archive.open(info) as handle:
                    _scan_xml(handle, info.filename, sheet=False, limits=limits, writer="Word")
        except _Refused as refused:
            return str(refused)
        except ZIP_READ_ERRORS as exc:
            return f"a part of it cannot be unpacked ({exc})"
    return None
