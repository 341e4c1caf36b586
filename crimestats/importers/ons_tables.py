"""ONS "Police force area data tables" workbooks (XLSX), which since October 2024 carry
the Community Safety Partnership tables (C1 to C5).

Tables are found by their text, never by sheet name, number or position: a CSP
table is a sheet whose header row (within its first 30 rows) names "Community Safety
Partnership code"; its title above says what it holds ("Number of police recorded
crimes ... year ending December 2024", "... rate per 1,000 population ...",
"Percentage change ..."). The combined local authorities list (C1) has a header
with "Community Safety Partnership name" and "Local Authority code" but no CSP code.

Rows are kept as what they are: a CSP (it has a CSP code), a force total (no CSP code
or name), an ``Unassigned <force>`` row, or another row that belongs to no CSP (such
as ``Manchester Airport``). Only CSP rows become partnership figures; the others are
kept in the import's summary. ``[x]``, ``[u]``, ``[u1]``, ``[z]`` and blank cells
become "not supplied" with the reason.

Beside each count, the import keeps what ONS publishes for it: the rate per 1,000
population of the rates table (C4) and the % change of the percentage change table
(C3), as the workbook holds them, for the year ending its title names. Where ONS
withholds one, the mark is kept with its meaning, quoted from the table's own
shorthand line ("[u1] indicates rates per 1,000 population are not presented for City
of London owing to its small resident population"), or from ``MARK_MEANINGS`` (the
same words, from the year ending December 2024 workbook) when the table gives none.
"""

from __future__ import annotations

import calendar
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import openpyxl
from django.db import transaction
from django.utils.text import slugify

from crimestats.importers.base import (
    WORKBOOK_READ_ERRORS,
    ImportRefused,
    ParsedImport,
    RowError,
    SourceFile,
    StoreOutcome,
    check_size,
    described_as,
    is_zip,
    normalise_heading,
    sniff_kind,
    workbook_error,
    workbook_refusal,
)
from crimestats.models import GeographyLookup, ImportBatch, Measure, Observation
from crimestats.services import ObservationInput, observations_upsert
from cspportal.lib.periods import PeriodType
from partnerships.models import Partnership, PartnershipRole, Role

if TYPE_CHECKING:
    from accounts.models import User

FORMAT = ImportBatch.Format.ONS_PFA_TABLES
HEADER_SEARCH_ROWS = 30
PFA_CODE = "police force area code"
PFA_NAME = "police force area name"
CSP_CODE = "community safety partnership code"
CSP_NAME = "community safety partnership name"
LA_CODE = "local authority code"
LA_NAME = "local authority name"
ID_COLUMNS = (PFA_CODE, PFA_NAME, CSP_CODE, CSP_NAME, LA_CODE, LA_NAME)
GSS_CSP = re.compile(r"^(E22|W14)\d{6}$")
GSS_LA = re.compile(r"^[EW]0[6-9]\d{6}$")
GSS_PFA = re.compile(r"^(E23|W15)\d{6}$")
NOTE = re.compile(r"\s*\[note \d+\]", re.IGNORECASE)
YEAR_ENDING = re.compile(r"year ending (\w+) (\d{4})", re.IGNORECASE)
MID_YEAR = re.compile(r"mid-(\d{4})", re.IGNORECASE)
SYMBOL = re.compile(r"^\[[a-z0-9]+\]$", re.IGNORECASE)
SYMBOL_REASONS = {
    "[x]": "Unavailable: [x] in the ONS table",
    "[u]": "Suppressed by ONS: [u], a base of fewer than 50",
    "[u1]": "Not presented by ONS: [u1], a very small resident population",
    "[z]": "Not applicable: [z] in the ONS table",
    "[c]": "Confidential: [c] in the ONS table",
}
BLANK_REASON = "Blank in the ONS table"
# The shorthand of the year ending December 2024 workbook, word for word, for a table
# that uses a mark without saying what it means.
MARK_MEANINGS = {
    "[x]": "data are unavailable",
    "[u]": "a number is being suppressed as the data comes from a small base of less than 50",
    "[u1]": "rates per 1,000 population are not presented for City of London owing to its "
    "small resident population",
    "[z]": "not applicable",
    "[c]": "confidential",
}
SHORTHAND = re.compile(
    r"(\[[a-z0-9]+\])\s+indicates\s+(?:that\s+)?(.+?)\.?\s*(?=\[[a-z0-9]+\]\s+indicates|$)",
    re.IGNORECASE,
)
PER_POPULATION = re.compile(r"\s*\(per 1,?000 population\)\s*$", re.IGNORECASE)
PER_HOUSEHOLD = re.compile(r"\(per 1,?000 households?\)", re.IGNORECASE)
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}


@dataclass(frozen=True)
class OnsContext:
    """The catalogue's ONS measures and the partnerships already in the app."""

    measure_ids: dict[str, int]
    partnerships: dict[str, tuple[int, str, bool]]
    writable_ids: frozenset[int] | None = None

    def may_write(self, partnership_id: int, is_reference: bool) -> bool:
        return is_reference or self.writable_ids is None or partnership_id in self.writable_ids


def context_for(*, user: User | None = None, **_kwargs: object) -> OnsContext:
    """Without a user (the command line) or for a site administrator, every matching
    partnership's figures are written; for anyone else only reference partnerships
    and those they manage, so an upload never changes another partnership's figures."""
    writable_ids = None
    if user is not None and not user.is_superuser:
        writable_ids = frozenset(
            PartnershipRole.objects.filter(user=user, role=Role.MANAGER).values_list(
                "partnership_id", flat=True
            )
        )
    measures = Measure.objects.filter(is_active=True).exclude(ons_offence_group="")
    partnerships = Partnership.objects.exclude(gss_code="").values_list(
        "gss_code", "id", "name", "is_reference"
    )
    return OnsContext(
        measure_ids={normalise_heading(m.ons_offence_group).casefold(): m.id for m in measures},
        partnerships={code: (pk, name, ref) for code, pk, name, ref in partnerships},
        writable_ids=writable_ids,
    )


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str


def year_ending(month_name: str, year: int) -> Period:
    """ "year ending December 2024" -> 1 January to 31 December 2024."""
    month = MONTHS[month_name.lower()]
    end = date(year, month, calendar.monthrange(year, month)[1])
    first_month = month % 12 + 1
    start = date(year - (month != 12), first_month, 1)
    return Period(start, end, f"year ending {month_name.capitalize()} {year}")


@dataclass
class Cell:
    value: Decimal | None
    reason: str = ""


@dataclass(frozen=True)
class Published:
    """A rate or a % change as ONS publishes it: the number, or why there is none."""

    value: float | None
    note: str = ""


# A workbook without a rates (or % change) table for the year publishes nothing to
# keep: no number, and no note saying ONS withheld one.
NOT_IN_WORKBOOK = Published(None)


@dataclass
class CspRecord:
    code: str
    name: str
    pfa_code: str
    pfa_name: str
    la_code: str
    la_name: str
    population: int | None = None
    population_year: int | None = None
    values: dict[date, dict[str, Cell]] = field(default_factory=dict)
    # By year ending, then by casefolded offence heading.
    rates: dict[date, dict[str, Published]] = field(default_factory=dict)
    pct_changes: dict[date, dict[str, Published]] = field(default_factory=dict)


@dataclass
class OnsRows:
    csps: dict[str, CspRecord] = field(default_factory=dict)
    periods: dict[date, Period] = field(default_factory=dict)
    headings: list[str] = field(default_factory=list)
    mapping: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)
    vintage: int = 0


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _cell(value: object) -> tuple[Cell | None, str]:
    """A count cell as a value or a not-supplied reason; or an error message."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Cell(None, BLANK_REASON), ""
    if isinstance(value, bool):
        return None, f"'{value}' is not a number."
    if isinstance(value, int):
        return Cell(Decimal(value)), ""
    if isinstance(value, float):
        if value.is_integer():
            return Cell(Decimal(int(value))), ""
        return None, f"{value} is not a whole number of crimes."
    text = str(value).strip()
    if SYMBOL.match(text):
        reason = SYMBOL_REASONS.get(text.lower(), f"Not supplied: {text} in the ONS table")
        return Cell(None, reason), ""
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None, f"'{text}' is neither a number nor an ONS symbol like [x]."
    if number != number.to_integral_value():
        return None, f"{text} is not a whole number of crimes."
    return Cell(number), ""


def _find_header(rows: list[tuple]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {normalise_heading(v).casefold(): i for i, v in enumerate(row) if v is not None}
        if CSP_NAME in names and (CSP_CODE in names or LA_CODE in names):
            return index, names
    return None


def _title(rows: list[tuple], header_index: int) -> str:
    for row in rows[:header_index]:
        for value in row:
            if isinstance(value, str) and value.strip():
                return normalise_heading(value)
    return ""


def parse(sources: list[SourceFile], context: OnsContext) -> ParsedImport:
    if len(sources) != 1:
        raise ImportRefused([RowError("(upload)", None, "", "upload one ONS workbook at a time.")])
    source = sources[0]
    too_big = check_size(source.name, source.size)
    if too_big:
        raise ImportRefused([too_big])
    parsed = ParsedImport(format=FORMAT, files=[source])
    if not source.data.strip():
        parsed.errors.append(RowError(source.name, None, "", "the file is empty."))
        return parsed
    if not is_zip(source.data):
        kind = sniff_kind(source.data)
        what = f"this is {kind}{described_as(source.name)}, not" if kind else "this is not"
        parsed.errors.append(
            RowError(
                source.name,
                None,
                "",
                f"{what} an Excel workbook (.xlsx). Upload the ONS 'Police force area "
                "data tables' workbook as published.",
            )
        )
        return parsed
    refusal = workbook_refusal(source)
    if refusal is not None:
        parsed.errors.append(refusal)
        return parsed
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(source.data), read_only=True, data_only=True)
        try:
            sheets = [
                (sheet.title, list(sheet.iter_rows(values_only=True)))
                for sheet in workbook.worksheets
            ]
        finally:
            workbook.close()
    except WORKBOOK_READ_ERRORS as exc:
        parsed.errors.append(workbook_error(source, str(exc)))
        return parsed
    rows_out = OnsRows()
    tables: list[dict] = []
    others: list[dict] = []
    combined: list[CombinedSheet] = []
    for sheet_title, rows in sheets:
        found = _find_header(rows)
        if found is None:
            continue
        header_index, names = found
        title = _title(rows, header_index)
        lowered = title.casefold()
        info = {"sheet": sheet_title, "title": title, "header_row": header_index + 1}
        if CSP_CODE not in names:
            info["kind"] = "combined local authorities"
            combined.append(CombinedSheet(sheet_title, rows[header_index + 1 :], names))
            tables.append(info)
            continue
        match = YEAR_ENDING.findall(title)
        published_for = year_ending(*_month_year(match[-1])) if _names_month(match) else None
        if "percentage change" in lowered:
            info["kind"] = (
                f"% change published by ONS, {published_for.label}"
                if published_for
                else "percentage change (not stored: its title names no year ending)"
            )
            if published_for:
                table = PublishedTable(sheet_title, rows, header_index, names, published_for)
                _read_published(source, table, rows_out, parsed, rates=False)
            tables.append(info)
            continue
        if "rate per 1,000" in lowered or "rate per 1000" in lowered:
            info["kind"] = (
                f"rates per 1,000 published by ONS and population, {published_for.label}"
                if published_for
                else "population (rates not stored: its title names no year ending)"
            )
            _read_rates(source, sheet_title, rows, header_index, names, rows_out, parsed)
            if published_for:
                table = PublishedTable(sheet_title, rows, header_index, names, published_for)
                _read_published(source, table, rows_out, parsed, rates=True)
            tables.append(info)
            continue
        if "number of" not in lowered or not match:
            info["kind"] = "not recognised (skipped)"
            tables.append(info)
            continue
        month_name, year = match[-1]
        if month_name.lower() not in MONTHS:
            parsed.errors.append(
                RowError(source.name, 1, "", f"'{title}' names no month.", sheet_title)
            )
            continue
        period = year_ending(month_name, int(year))
        info["kind"] = f"counts, {period.label}"
        counted = _read_counts(
            source, sheet_title, rows, header_index, names, period, rows_out, others, parsed
        )
        info["rows"] = counted
        tables.append(info)
    if not rows_out.periods and not parsed.errors:
        parsed.errors.append(
            RowError(
                source.name,
                None,
                "",
                "no Community Safety Partnership count table was found: no sheet has a "
                "header naming 'Community Safety Partnership code' under a title like "
                "'Number of police recorded crimes ... year ending December 2024'.",
            )
        )
    if parsed.errors:
        parsed.summary = {"tables": tables}
        return parsed
    rows_out.vintage = max(p.end.year for p in rows_out.periods.values())
    _mapping(source, rows_out, combined, parsed)
    parsed.rows = rows_out
    parsed.summary = _summary(rows_out, tables, others, context)
    return parsed


def _read_counts(
    source: SourceFile,
    sheet: str,
    rows: list[tuple],
    header_index: int,
    names: dict[str, int],
    period: Period,
    out: OnsRows,
    others: list[dict],
    parsed: ParsedImport,
) -> int:
    missing = [c for c in ID_COLUMNS if c not in names]
    if missing:
        parsed.errors.append(
            RowError(
                source.name,
                header_index + 1,
                missing[0],
                "the header has no such column; the CSP tables have " + ", ".join(ID_COLUMNS) + ".",
                sheet,
            )
        )
        return 0
    id_positions = {names[c] for c in ID_COLUMNS}
    header_row = rows[header_index]
    offence_columns = [
        (i, normalise_heading(v)) for i, v in enumerate(header_row) if v and i not in id_positions
    ]
    for _, heading in offence_columns:
        if heading not in out.headings:
            out.headings.append(heading)
    out.periods[period.end] = period
    seen: set[str] = set()
    counted = 0
    for offset, row in enumerate(rows[header_index + 1 :]):
        row_number = header_index + 2 + offset
        if not any(v is not None and str(v).strip() for v in row):
            continue
        counted += 1
        parsed.rows_read += 1

        def get(column: str, row: tuple = row) -> str:
            position = names[column]
            return _text(row[position]) if position < len(row) else ""

        pfa_code, csp_code, csp_name = get(PFA_CODE), get(CSP_CODE), get(CSP_NAME)
        pfa_name = NOTE.sub("", get(PFA_NAME)).strip()
        values: dict[str, Cell] = {}
        row_errors = 0
        for position, heading in offence_columns:
            raw = row[position] if position < len(row) else None
            cell, problem = _cell(raw)
            # _cell gives either a cell or a problem, never both.
            if cell is None:
                # Force and unassigned rows are kept for information only: a stray
                # value there must not block the partnerships' figures.
                if csp_code:
                    parsed.errors.append(RowError(source.name, row_number, heading, problem, sheet))
                    row_errors += 1
                cell = Cell(None, f"Unreadable in the ONS table: {raw}")
            values[heading] = cell
        if row_errors:
            parsed.rows_rejected += 1
            continue
        if csp_code:
            if not GSS_CSP.match(csp_code):
                parsed.errors.append(
                    RowError(
                        source.name,
                        row_number,
                        "Community Safety Partnership code",
                        f"'{csp_code}' is not a CSP code (E22 or W14 and six digits).",
                        sheet,
                    )
                )
                parsed.rows_rejected += 1
                continue
            if csp_code in seen:
                parsed.errors.append(
                    RowError(
                        source.name,
                        row_number,
                        "Community Safety Partnership code",
                        f"{csp_code} appears twice in this table.",
                        sheet,
                    )
                )
                parsed.rows_rejected += 1
                continue
            seen.add(csp_code)
            record = out.csps.get(csp_code)
            if record is None:
                record = out.csps[csp_code] = CspRecord(
                    code=csp_code,
                    name=csp_name,
                    pfa_code=pfa_code,
                    pfa_name=pfa_name,
                    la_code=get(LA_CODE),
                    la_name=get(LA_NAME),
                )
            record.values[period.end] = values
            continue
        if not csp_name:
            kind = "force total"
        elif csp_name.casefold().startswith("unassigned"):
            kind = "unassigned"
        else:
            kind = "not in a CSP"
        others.append(
            {
                "kind": kind,
                "sheet": sheet,
                "row": row_number,
                "pfa_code": pfa_code,
                "pfa_name": pfa_name,
                "name": csp_name or pfa_name,
                "period": period.label,
                "values": {
                    h: (int(c.value) if c.value is not None else c.reason)
                    for h, c in values.items()
                },
            }
        )
    return counted


def _read_rates(
    source: SourceFile,
    sheet: str,
    rows: list[tuple],
    header_index: int,
    names: dict[str, int],
    out: OnsRows,
    parsed: ParsedImport,
) -> None:
    """The published population of each CSP, from the rates table (its rates are read
    by ``_read_published``)."""
    population_column = next(
        ((name, i) for name, i in names.items() if name.startswith("population")), None
    )
    if population_column is None or CSP_CODE not in names:
        return
    name, position = population_column
    match = MID_YEAR.search(name)
    year = int(match.group(1)) if match else None
    for offset, row in enumerate(rows[header_index + 1 :]):
        code = _text(row[names[CSP_CODE]]) if names[CSP_CODE] < len(row) else ""
        if not GSS_CSP.match(code):
            continue
        raw = row[position] if position < len(row) else None
        cell, problem = _cell(raw)
        if problem or cell is None or cell.value is None:
            if problem:
                parsed.errors.append(
                    RowError(source.name, header_index + 2 + offset, name, problem, sheet)
                )
            continue
        out_record = _record_for(out, code, row, names)
        out_record.population, out_record.population_year = int(cell.value), year


def _names_month(match: list[tuple[str, str]]) -> bool:
    return bool(match) and match[-1][0].lower() in MONTHS


def _month_year(found: tuple[str, str]) -> tuple[str, int]:
    return found[0], int(found[1])


@dataclass(frozen=True)
class PublishedTable:
    """A rates or percentage change sheet: its rows, header and the year ending of its
    title (the later one, for a change between two years ending)."""

    sheet: str
    rows: list[tuple[Any, ...]]
    header_index: int
    names: dict[str, int]
    period: Period


def mark_meanings(rows: list[tuple[Any, ...]], header_index: int) -> dict[str, str]:
    """What each mark means, from the shorthand lines above a table's header ("[u1]
    indicates rates per 1,000 population are not presented for City of London ..."),
    over ``MARK_MEANINGS`` for the marks the table does not explain."""
    meanings = dict(MARK_MEANINGS)
    for row in rows[:header_index]:
        for value in row:
            if isinstance(value, str) and "indicates" in value:
                for mark, meaning in SHORTHAND.findall(_text(value)):
                    meanings[mark.lower()] = meaning.strip()
    return meanings


def published_note(mark: str, meanings: dict[str, str]) -> str:
    """ "[u1]" -> "rates per 1,000 population are not presented for City of London owing
    to its small resident population [u1]": the workbook's words, then its mark."""
    mark = mark.lower()
    meaning = meanings.get(mark)
    return f"{meaning} {mark}" if meaning else f"marked {mark} in the ONS table"


def _published_cell(
    value: object, meanings: dict[str, str], *, rates: bool
) -> tuple[Published | None, str]:
    """A rate or % change cell as published, or an error message. A rate is never
    negative; a % change may be."""
    what = "rate per 1,000" if rates else "% change"
    if value is None or (isinstance(value, str) and not value.strip()):
        return Published(None, "blank in the ONS table"), ""
    if isinstance(value, bool):
        return None, f"'{value}' is not a {what}."
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = _text(value)
        if SYMBOL.match(text):
            return Published(None, published_note(text, meanings)), ""
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            return None, f"'{text}' is neither a {what} nor an ONS symbol like [x]."
    if number != number or number in (float("inf"), float("-inf")):
        return None, f"'{value}' is not a {what}."
    if rates and number < 0:
        return None, f"{value} is a negative rate: a rate per 1,000 cannot be below 0."
    return Published(number), ""


def _published_columns(names: dict[str, int], header_row: tuple) -> list[tuple[int, str]]:
    """The offence columns of a rates or % change table, by position, with the
    heading of the matching count column (" (per 1,000 population)" dropped). The
    rate per 1,000 households and the population and household columns are left
    out: the app compares rates per 1,000 people."""
    id_positions = {names[c] for c in ID_COLUMNS if c in names}
    columns = []
    for position, raw in enumerate(header_row):
        heading = normalise_heading(raw)
        lowered = heading.casefold()
        if not heading or position in id_positions or PER_HOUSEHOLD.search(heading):
            continue
        if lowered.startswith(("population", "household")):
            continue
        columns.append((position, PER_POPULATION.sub("", heading)))
    return columns


def _read_published(
    source: SourceFile, table: PublishedTable, out: OnsRows, parsed: ParsedImport, *, rates: bool
) -> None:
    """Each CSP's published rates (``rates``) or % changes for the table's year ending.
    A cell that is neither a number nor a mark (or a negative rate) is a row error
    naming the sheet, row and column, and the whole import is refused."""
    names, rows = table.names, table.rows
    if CSP_CODE not in names:
        return
    meanings = mark_meanings(rows, table.header_index)
    columns = _published_columns(names, rows[table.header_index])
    code_at = names[CSP_CODE]
    for offset, row in enumerate(rows[table.header_index + 1 :]):
        code = _text(row[code_at]) if code_at < len(row) else ""
        if not GSS_CSP.match(code):
            continue
        row_number = table.header_index + 2 + offset
        found: dict[str, Published] = {}
        for position, heading in columns:
            raw = row[position] if position < len(row) else None
            cell, problem = _published_cell(raw, meanings, rates=rates)
            if cell is None:
                column = normalise_heading(rows[table.header_index][position])
                error = RowError(source.name, row_number, column, problem, table.sheet)
                parsed.errors.append(error)
                continue
            found[heading.casefold()] = cell
        record = _record_for(out, code, row, names)
        by_period = record.rates if rates else record.pct_changes
        by_period[table.period.end] = found


def _record_for(out: OnsRows, code: str, row: tuple, names: dict[str, int]) -> CspRecord:
    """The CSP's record, started from this row when no table before named it."""
    record = out.csps.get(code)
    if record is None:

        def get(column: str) -> str:
            position = names.get(column)
            return _text(row[position]) if position is not None and position < len(row) else ""

        record = out.csps[code] = CspRecord(
            code=code,
            name=get(CSP_NAME),
            pfa_code=get(PFA_CODE),
            pfa_name=NOTE.sub("", get(PFA_NAME)).strip(),
            la_code=get(LA_CODE),
            la_name=get(LA_NAME),
        )
    return record


@dataclass(frozen=True)
class CombinedSheet:
    """A combined local authorities sheet (C1): its rows below the header, and the
    header's column positions by lowered name."""

    title: str
    rows: list[tuple[Any, ...]]
    names: dict[str, int]


def _mapping(
    source: SourceFile, out: OnsRows, combined: list[CombinedSheet], parsed: ParsedImport
) -> None:
    """Local authority -> CSP -> force rows, from the CSP rows with a local authority
    code, and from the combined local authorities list for CSPs of several."""
    pairs: dict[tuple[str, str], tuple[str, str, str, str, str, str]] = {}
    by_name = {r.name.casefold(): r for r in out.csps.values()}
    for record in out.csps.values():
        if GSS_LA.match(record.la_code):
            pairs[(record.la_code, record.code)] = (
                record.la_code,
                record.la_name,
                record.code,
                record.name,
                record.pfa_code,
                record.pfa_name,
            )
    unmatched: list[str] = []
    for sheet in combined:
        rows, names = sheet.rows, sheet.names
        current_csp = ""
        for row in rows:

            def get(column: str, row: tuple = row, names: dict = names) -> str:
                position = names.get(column)
                return _text(row[position]) if position is not None and position < len(row) else ""

            if get(CSP_NAME):
                current_csp = get(CSP_NAME)
            la_code, la_name = get(LA_CODE), get(LA_NAME)
            if not GSS_LA.match(la_code) or not current_csp:
                continue
            csp = by_name.get(current_csp.casefold())
            if csp is None:
                unmatched.append(current_csp)
                continue
            pairs[(la_code, csp.code)] = (
                la_code,
                la_name,
                csp.code,
                csp.name,
                csp.pfa_code,
                csp.pfa_name,
            )
    out.mapping = sorted(pairs.values(), key=lambda p: (p[5], p[3], p[1]))
    if unmatched:
        parsed.summary["mapping_unmatched"] = sorted(set(unmatched))


def _summary(out: OnsRows, tables: list[dict], others: list[dict], context: OnsContext) -> dict:
    periods = sorted(out.periods.values(), key=lambda p: p.end)
    stored_headings = [h for h in out.headings if h.casefold() in context.measure_ids]
    skipped_headings = [h for h in out.headings if h.casefold() not in context.measure_ids]
    in_app, reference_existing, reference_new, not_writable = [], 0, 0, []
    not_supplied: dict[str, int] = {}
    published = {"rates": 0, "pct_changes": 0}
    not_published: dict[str, dict[str, int]] = {"rates": {}, "pct_changes": {}}
    for record in out.csps.values():
        for end, cells in record.values.items():
            for heading, cell in cells.items():
                if heading not in stored_headings:
                    continue
                if cell.value is None:
                    not_supplied[cell.reason] = not_supplied.get(cell.reason, 0) + 1
                for kind, tables_of in (
                    ("rates", record.rates),
                    ("pct_changes", record.pct_changes),
                ):
                    found = tables_of.get(end, {}).get(heading.casefold())
                    if found is None:
                        continue
                    if found.value is not None:
                        published[kind] += 1
                    elif found.note:
                        notes = not_published[kind]
                        notes[found.note] = notes.get(found.note, 0) + 1
        known = context.partnerships.get(record.code)
        if known is None:
            reference_new += 1
            continue
        pk, name, is_reference = known
        if is_reference:
            reference_existing += 1
        elif context.may_write(pk, is_reference):
            in_app.append(_csp_preview(record, name, periods, stored_headings))
        else:
            not_writable.append(name)
    return {
        "tables": tables,
        "periods": [p.label for p in periods],
        "vintage": out.vintage,
        "csps": len(out.csps),
        "in_app": in_app,
        "not_writable": sorted(not_writable),
        "reference_existing": reference_existing,
        "reference_new": reference_new,
        "headings_stored": stored_headings,
        "headings_skipped": skipped_headings,
        "not_supplied": sorted(not_supplied.items()),
        "published_rates": published["rates"],
        "rates_not_published": sorted(not_published["rates"].items()),
        "published_pct_changes": published["pct_changes"],
        "pct_changes_not_published": sorted(not_published["pct_changes"].items()),
        "mapping_rows": len(out.mapping),
        "populations": sum(1 for r in out.csps.values() if r.population is not None),
        "force_rows": [o for o in others if o["kind"] == "force total"],
        "unassigned_rows": [o for o in others if o["kind"] == "unassigned"],
        "other_rows": [o for o in others if o["kind"] == "not in a CSP"],
        "figures": len(out.csps) * len(periods) * len(stored_headings),
    }


def _csp_preview(
    record: CspRecord, app_name: str, periods: list[Period], headings: list[str]
) -> dict:
    lines = []
    for heading in headings:
        cells = [record.values.get(p.end, {}).get(heading) for p in periods]
        lines.append(
            {
                "heading": heading,
                "values": [
                    (int(c.value) if c and c.value is not None else (c.reason if c else "Absent"))
                    for c in cells
                ],
            }
        )
    return {
        "code": record.code,
        "name": record.name,
        "app_name": app_name,
        "population": record.population,
        "population_year": record.population_year,
        "lines": lines,
    }


def inputs_for(record: CspRecord, out: OnsRows, context: OnsContext) -> list[ObservationInput]:
    inputs = []
    for end, cells in record.values.items():
        period = out.periods[end]
        rates = record.rates.get(end, {})
        pct_changes = record.pct_changes.get(end, {})
        for heading, cell in cells.items():
            measure_id = context.measure_ids.get(heading.casefold())
            if measure_id is None:
                continue
            rate = rates.get(heading.casefold(), NOT_IN_WORKBOOK)
            pct = pct_changes.get(heading.casefold(), NOT_IN_WORKBOOK)
            inputs.append(
                ObservationInput(
                    measure_id=measure_id,
                    area_id=None,
                    period_type=PeriodType.YEAR_ENDING,
                    period_start=period.start,
                    period_end=period.end,
                    value=cell.value,
                    not_supplied_reason=cell.reason if cell.value is None else "",
                    published_rate=rate.value,
                    published_rate_note=rate.note,
                    published_pct_change=pct.value,
                    published_pct_change_note=pct.note,
                )
            )
    return inputs


def planned_inputs(
    parsed: ParsedImport, context: OnsContext, partnership: Partnership | None = None
) -> dict[int, list[ObservationInput]]:
    """The figures for partnerships already in the app (the only ones that can hold an
    approved figure), by partnership id."""
    out: OnsRows = parsed.rows
    planned: dict[int, list[ObservationInput]] = {}
    for record in out.csps.values():
        known = context.partnerships.get(record.code)
        if known and context.may_write(known[0], known[2]):
            planned[known[0]] = inputs_for(record, out, context)
    return planned


def _reference_slug(record: CspRecord) -> str:
    return f"{slugify(record.name)[:60]}-{record.code.lower()}"


def store(
    parsed: ParsedImport,
    *,
    context: OnsContext,
    user: User | None,
    batch: ImportBatch,
    reason: str = "",
    allow_approved_changes: bool = False,
    **_kwargs: object,
) -> StoreOutcome:
    """Create the reference partnerships that are missing, then write every CSP's
    figures, populations and the local authority lookup, in one transaction."""
    out: OnsRows = parsed.rows
    reason = reason.strip()
    if allow_approved_changes and not reason:
        raise ValueError("Changing approved figures needs a reason.")
    change_reason = reason or f"Imported from ONS tables ({parsed.file_name})"
    created = updated = unchanged = 0
    partnerships_created = populations_changed = rows_stored = 0
    with transaction.atomic():
        existing = {
            p.gss_code: p
            for p in Partnership.objects.filter(gss_code__in=list(out.csps)).order_by(
                "is_reference"
            )
        }
        for record in out.csps.values():
            partnership = existing.get(record.code)
            if partnership is None:
                partnership = Partnership(
                    name=record.name,
                    slug=_reference_slug(record),
                    gss_code=record.code,
                    gss_vintage=out.vintage,
                    is_reference=True,
                    description=f"Reference partnership from the ONS tables ({record.pfa_name}).",
                )
                partnership.full_clean()
                partnership.save()
                partnerships_created += 1
            elif not context.may_write(partnership.id, partnership.is_reference):
                continue
            if record.population is not None and (
                partnership.population != record.population
                or partnership.population_year != record.population_year
            ):
                partnership.population = record.population
                partnership.population_year = record.population_year
                partnership.save(update_fields=["population", "population_year"])
                populations_changed += 1
            result = observations_upsert(
                partnership=partnership,
                inputs=inputs_for(record, out, context),
                source=Observation.Source.ONS,
                user=user,
                import_batch=batch,
                reason=change_reason,
                allow_approved_changes=allow_approved_changes,
            )
            created += result.created
            updated += result.updated
            unchanged += result.unchanged
            rows_stored += 1
        lookups_changed = _store_lookup(out.mapping, out.vintage, batch)
    return StoreOutcome(
        created=created,
        updated=updated,
        unchanged=unchanged,
        rows_stored=rows_stored,
        extra={
            "partnerships_created": partnerships_created,
            "populations_changed": populations_changed,
            "lookups_changed": lookups_changed,
        },
    )


def _store_lookup(mapping: list[tuple], vintage: int, batch: ImportBatch) -> int:
    return store_geography_lookup(mapping, vintage, batch)


def store_geography_lookup(mapping: list[tuple], vintage: int, batch: ImportBatch | None) -> int:
    """Add or correct lookup rows for one vintage; identical rows are left alone.
    Returns how many rows were created or changed."""
    existing = {
        (g.lad_code, g.csp_code): g for g in GeographyLookup.objects.filter(vintage=vintage)
    }
    create, update = [], []
    for lad_code, lad_name, csp_code, csp_name, pfa_code, pfa_name in mapping:
        current = existing.get((lad_code, csp_code))
        fields = {
            "lad_name": lad_name,
            "csp_name": csp_name,
            "pfa_code": pfa_code,
            "pfa_name": pfa_name,
        }
        if current is None:
            create.append(
                GeographyLookup(
                    vintage=vintage,
                    lad_code=lad_code,
                    csp_code=csp_code,
                    import_batch=batch,
                    **fields,
                )
            )
        elif any(getattr(current, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(current, k, v)
            current.import_batch = batch
            update.append(current)
    GeographyLookup.objects.bulk_create(create)
    GeographyLookup.objects.bulk_update(
        update, ["lad_name", "csp_name", "pfa_code", "pfa_name", "import_batch"]
    )
    return len(create) + len(update)
