"""police.uk street-level crime CSVs: one force and one month per file, one row per
crime or anti-social behaviour incident.

``parse`` checks every file (exact 12-column header, UTF-8, whole rows, months in
YYYY-MM matching the file's month, known crime types), then counts rows by month,
crime type and the partnership's areas with pandas. An LSOA is placed in an area by
the partnership's uploaded LSOA lookup when it has the code, else by the local
authority name that begins every LSOA name ("Camden 027B" is in Camden). Rows with
no location are counted for the force and month, never dropped. ``store`` writes the
counts through ``observations_upsert`` and the no-location counts as
``UnallocatedCount`` rows.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias, cast

import numpy as np
import pandas as pd
from django.db import transaction

from crimestats.importers.base import (
    ParsedImport,
    RowError,
    SourceFile,
    StoreOutcome,
    csv_text_problem,
    encoding_problem,
    expand_sources,
    first_line,
)
from crimestats.models import ImportBatch, LsoaLookup, Measure, Observation, UnallocatedCount
from crimestats.services import ObservationInput, observations_upsert
from cspportal.lib.periods import PeriodType
from partnerships.models import Area, Partnership

if TYPE_CHECKING:
    from accounts.models import User

# Where counted rows fall: (force, kind, area id, local authority), as _count_file
# groups them.
Place: TypeAlias = tuple[str, str, int | None, str]
# One count (COUNT_COLUMNS): month, force, crime type, kind, area id, local
# authority, rows.
CountRecord: TypeAlias = tuple[str, str, str, str, int | None, str, int]

FORMAT = ImportBatch.Format.POLICEUK_STREET
HEADER = [
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
USED_COLUMNS = ["Month", "Falls within", "LSOA code", "LSOA name", "Crime type"]
ASB = "Anti-social behaviour"
ALL_CRIME_CODE = "all-crime"
ALL_CRIME_NOTE = "police.uk: the sum of the crime types (anti-social behaviour is not crime)."
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
PARSER_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
FILE_MONTH_RE = re.compile(r"^(\d{4}-(?:0[1-9]|1[0-2]))\b")


@dataclass(frozen=True)
class PoliceUkContext:
    """What parsing needs to know about the partnership and the catalogue, read once."""

    measure_ids: dict[str, int]
    measure_names: dict[str, str]
    all_crime_measure_id: int | None
    lsoa_areas: dict[str, int]
    area_ids_by_name: dict[str, int]
    area_names: dict[int, str]

    @property
    def crime_types(self) -> set[str]:
        return set(self.measure_ids)


def context_for(*, partnership: Partnership, **_kwargs: object) -> PoliceUkContext:
    measures = Measure.objects.filter(is_active=True).exclude(policeuk_crime_type="")
    measure_ids = {m.policeuk_crime_type: m.id for m in measures}
    measure_names = {m.policeuk_crime_type: m.name for m in measures}
    all_crime = Measure.objects.filter(code=ALL_CRIME_CODE).values_list("id", flat=True).first()
    areas = list(Area.objects.filter(partnership=partnership).order_by("name"))
    lookups = LsoaLookup.objects.filter(partnership=partnership).values_list("lsoa_code", "area_id")
    return PoliceUkContext(
        measure_ids=measure_ids,
        measure_names=measure_names,
        all_crime_measure_id=all_crime,
        lsoa_areas=dict(lookups),
        area_ids_by_name={a.name.casefold(): a.id for a in areas},
        area_names={a.id: a.name for a in areas},
    )


@dataclass
class PoliceUkRows:
    """What ``store`` writes: the figures, and the rows with no location by force,
    month and measure."""

    inputs: list[ObservationInput] = field(default_factory=list)
    unallocated: list[tuple[str, date, int, int]] = field(default_factory=list)
    months: list[date] = field(default_factory=list)
    forces: list[str] = field(default_factory=list)


def month_start(text: str) -> date:
    year, month = text.split("-")
    return date(int(year), int(month), 1)


def month_end(start: date) -> date:
    following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def month_label(text: str) -> str:
    return month_start(text).strftime("%B %Y")


def _header_error(source: SourceFile) -> RowError | None:
    line = first_line(source.data)
    got = next(csv.reader([line]), [])
    if got == HEADER:
        return None
    if len(got) > 1 and MONTH_RE.match(got[1].strip()):
        return RowError(
            source.name,
            1,
            "",
            "there is no header row: the first line holds data. The first line of a "
            "police.uk street-level file is: " + ",".join(HEADER),
        )
    for index, expected in enumerate(HEADER):
        if index >= len(got):
            return RowError(
                source.name,
                1,
                expected,
                f"the header has {len(got)} columns and stops before '{expected}'; a "
                f"police.uk street-level file has these 12: {', '.join(HEADER)}.",
            )
        if got[index] != expected:
            return RowError(
                source.name,
                1,
                f"column {index + 1}",
                f"the header says '{got[index]}' where a police.uk street-level file has "
                f"'{expected}'. Is this a police.uk street-level crime file (not an "
                "outcomes or stop-and-search file)?",
            )
    return RowError(
        source.name,
        1,
        f"column {len(HEADER) + 1}",
        f"the header has {len(got)} columns ('{got[len(HEADER)]}' is extra); a police.uk "
        "street-level file has 12.",
    )


def _field_count_errors(source: SourceFile) -> list[RowError]:
    """Rows with too few or too many fields: pandas would silently pad a row cut off
    by an interrupted download, so the count is checked first. Without quotes in the
    file (the usual case) commas are counted per line with numpy; otherwise the csv
    module reads the file."""
    data = source.data
    width = len(HEADER)
    bad: list[tuple[int, int]] = []
    quoted = b'"' in data
    if not quoted:
        buf = np.frombuffer(data, dtype=np.uint8)
        newline_count, comma_count = _count_newlines_and_commas(buf)
        lines = newline_count + (0 if data.endswith(b"\n") else 1)
        if comma_count == (width - 1) * lines:
            # Every line has 11 commas on average, and pandas refuses a line with
            # more: so every line has exactly 11. Only when this fails is each line
            # counted.
            return []
        newlines = np.flatnonzero(buf == 10)
        line_count = len(newlines) + (0 if data.endswith(b"\n") else 1)
        per_line = np.bincount(
            np.searchsorted(newlines, np.flatnonzero(buf == 44)), minlength=line_count
        )[:line_count]
        starts = np.concatenate(([0], newlines + 1))[:line_count]
        ends = np.concatenate((newlines, [len(buf)]))[:line_count]
        lengths = ends - starts
        blank = (lengths == 0) | ((lengths == 1) & (buf[np.minimum(starts, len(buf) - 1)] == 13))
        wrong = np.flatnonzero((per_line + 1 != width) & ~blank)
        bad = [(int(i) + 1, int(per_line[i]) + 1) for i in wrong[:50]]
    else:
        reader = csv.reader(io.StringIO(source.data.decode("utf-8-sig"), newline=""))
        for record in reader:
            if record and len(record) != width:
                bad.append((reader.line_num, len(record)))
                if len(bad) >= 50:
                    break
    errors = []
    for row, fields in bad:
        if fields < width:
            errors.append(
                RowError(
                    source.name,
                    row,
                    HEADER[fields],
                    f"the row stops after {fields} of the 12 columns. If this is the last "
                    "line, the file was cut off (a truncated download): download it again.",
                )
            )
        else:
            errors.append(
                RowError(
                    source.name,
                    row,
                    f"column {width + 1}",
                    f"the row has {fields} columns; a police.uk street-level file has 12.",
                )
            )
    return errors


def _count_newlines_and_commas(buf: np.ndarray, chunk: int = 1 << 18) -> tuple[int, int]:
    """How many newlines and commas ``buf`` holds: numpy compares bytes several times
    faster than ``bytes.count``, and by chunks of 256 KiB each is read from memory
    once for both counts."""
    newlines = commas = 0
    for start in range(0, len(buf), chunk):
        part = buf[start : start + chunk]
        newlines += int(np.count_nonzero(part == 10))
        commas += int(np.count_nonzero(part == 44))
    return newlines, commas


def _parser_error(source: SourceFile, exc: Exception) -> RowError:
    match = PARSER_FIELDS.search(str(exc))
    if match:
        expected, row, fields = (int(g) for g in match.groups())
        return RowError(
            source.name,
            row,
            f"column {expected + 1}",
            f"the row has {fields} columns; a police.uk street-level file has {expected}.",
        )
    return RowError(source.name, None, "", f"the CSV cannot be read: {exc}")


def _read_frame(source: SourceFile) -> pd.DataFrame:
    """Only the five columns the counts need, as plain Python strings with no NA
    detection (empty stays empty): the fastest way pandas reads these files.

    Plain ASCII (the usual police.uk file) is read as UTF-8, which pandas' C parser
    decodes itself, a fifth faster; anything else (a byte-order mark, accents, a
    Windows-1252 byte) is decoded whole as UTF-8-SIG, so a bad byte in any column is
    caught."""
    return pd.read_csv(
        io.BytesIO(source.data),
        encoding="utf-8" if source.data.isascii() else "utf-8-sig",
        dtype=object,
        na_filter=False,
        usecols=USED_COLUMNS,
        engine="c",
    )


def _row_errors(
    source: SourceFile,
    frame: pd.DataFrame,
    file_month: str,
    crime_types: set[str],
    type_values: pd.Index,
) -> list[RowError]:
    """Months and crime types are checked on their distinct values (a handful per
    file; ``type_values`` are the file's distinct crime types), then the rows holding
    a bad value are found: fast on a national file."""
    errors: list[RowError] = []
    months = frame["Month"]
    distinct_months = months.unique()
    bad_months = {m for m in distinct_months if not MONTH_RE.match(m)}
    other_months = {m for m in distinct_months if m not in bad_months and m != file_month}
    if bad_months or other_months:
        for index, value in months[months.isin(bad_months | other_months)].head(50).items():
            if value in bad_months:
                message = f"'{value}' is not a month in the form YYYY-MM, like 2024-05."
            else:
                message = (
                    f"the row is for {value} but the file is for {file_month}: a police.uk "
                    "file holds one month. Check that the file was not edited or joined."
                )
            errors.append(RowError(source.name, _file_row(index), "Month", message))
    unknown = {t for t in type_values if t not in crime_types}
    if unknown:
        types = frame["Crime type"]
        for index, value in types[types.isin(unknown)].head(50).items():
            errors.append(
                RowError(
                    source.name,
                    _file_row(index),
                    "Crime type",
                    f"'{value}' is not a police.uk crime type. The crime types are: "
                    f"{', '.join(sorted(crime_types))}.",
                )
            )
    return errors


def _file_row(index: Hashable) -> int:
    """The file's row number of a frame row: the frame's default index counts the data
    rows from 0, and row 1 is the header."""
    assert isinstance(index, int | np.integer)
    return int(index) + 2


def _file_month(source: SourceFile, frame: pd.DataFrame) -> str:
    """The month a file is for: from its name as police.uk names files
    (``2024-05-city-of-london-street.csv``), else from its first row."""
    match = FILE_MONTH_RE.match(source.name)
    if match:
        return match.group(1)
    return frame["Month"].iloc[0] if len(frame) else ""


def parse(sources: list[SourceFile], context: PoliceUkContext) -> ParsedImport:
    """Read police.uk street-level files (or zips of them) and count their rows by
    month, crime type and area. Any error rejects the whole import."""
    files = expand_sources(sources, suffixes=(".csv",))
    parsed = ParsedImport(format=FORMAT, files=files)
    crime_types = context.crime_types
    records: list[CountRecord] = []
    file_rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], str] = {}
    rejected_rows = 0
    for source in files:
        # The text is decoded once, by pandas; only when that fails is the file
        # searched for the row and column of the first bad byte.
        problem = csv_text_problem(source, HEADER, check_encoding=False) or _header_error(source)
        if problem is not None:
            parsed.errors.append(problem)
            continue
        count_errors = _field_count_errors(source)
        if count_errors:
            parsed.errors.extend(count_errors)
            rejected_rows += len(count_errors)
            continue
        try:
            frame = _read_frame(source)
        except UnicodeDecodeError:
            problem = encoding_problem(source, HEADER)
            # pandas refused the bytes as UTF-8, so Python's decode finds the bad one.
            assert problem is not None
            parsed.errors.append(problem)
            continue
        except (pd.errors.ParserError, ValueError) as exc:
            parsed.errors.append(_parser_error(source, exc))
            continue
        parsed.rows_read += len(frame)
        if frame.empty:
            parsed.errors.append(
                RowError(source.name, 2, "", "the file has a header but no rows of data.")
            )
            continue
        file_month = _file_month(source, frame)
        types = pd.factorize(frame["Crime type"])
        errors = _row_errors(source, frame, file_month, crime_types, types[1])
        if errors:
            parsed.errors.extend(errors)
            rejected_rows += len({e.row for e in errors})
            continue
        forces = sorted(frame["Falls within"].unique())
        for force in forces:
            earlier = seen.get((force, file_month))
            if earlier:
                parsed.errors.append(
                    RowError(
                        source.name,
                        None,
                        "Falls within",
                        f"{force} for {file_month} is already in {earlier}: the same month "
                        "of one force would be counted twice.",
                    )
                )
            seen[(force, file_month)] = source.name
        file_rows.append(
            {
                "name": source.name,
                "checksum": source.checksum,
                "month": file_month,
                "forces": forces,
                "rows": len(frame),
            }
        )
        records.extend(_count_file(frame, types, file_month, context))
    parsed.rows_rejected = rejected_rows
    parsed.summary = {"files": file_rows, "rows_read": parsed.rows_read}
    if parsed.errors:
        return parsed
    counts = pd.DataFrame.from_records(records, columns=COUNT_COLUMNS).astype({"area_id": "Int64"})
    parsed.rows, parsed.summary = _tabulate(counts, context, file_rows, parsed.rows_read)
    return parsed


def _count_file(
    frame: pd.DataFrame,
    types: tuple[np.ndarray, pd.Index],
    month: str,
    context: PoliceUkContext,
) -> list[CountRecord]:
    """Count one file's rows by crime type and where they fall: an area of the
    partnership, outside it (by local authority), or no location (by force). One
    record (COUNT_COLUMNS) per place and crime type with rows.

    ``types`` is the factorised crime type column. Each distinct LSOA is placed once,
    in a group (an area, or a local authority outside), and the rows are counted by
    group and crime type with one ``bincount``: the work per row is numpy's."""
    type_codes, type_values = types
    type_count = len(type_values)
    codes, code_values = pd.factorize(frame["LSOA code"])
    first = np.empty(len(code_values), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    names = frame["LSOA name"].to_numpy()[first]
    groups: dict[tuple[str, int | None, str], int] = {}
    group_of_code = np.empty(len(code_values), dtype=np.int64)
    no_location = -1
    for index, (code, name) in enumerate(zip(code_values, names, strict=True)):
        if not code:
            no_location = index
            group_of_code[index] = -1
            continue
        area_id = context.lsoa_areas.get(code)
        if area_id is None:
            area_id = context.area_ids_by_name.get(local_authority_of(name).casefold())
        key = (
            ("area", area_id, "")
            if area_id is not None
            else ("outside", None, local_authority_of(name))
        )
        group_of_code[index] = groups.setdefault(key, len(groups))
    row_groups = group_of_code[codes]
    located = row_groups >= 0
    matrix = np.bincount(
        row_groups[located] * type_count + type_codes[located],
        minlength=len(groups) * type_count,
    ).reshape(len(groups), type_count)
    places: list[Place] = [("", kind, area_id, la) for kind, area_id, la in groups]
    records = list(_records(month, places, matrix, type_values))
    if no_location >= 0:
        unlocated = codes == no_location
        force_codes, forces = pd.factorize(frame["Falls within"].to_numpy()[unlocated])
        by_force = np.bincount(
            force_codes * type_count + type_codes[unlocated], minlength=len(forces) * type_count
        ).reshape(len(forces), type_count)
        places = [cast(Place, (force, "none", None, "")) for force in forces]
        records.extend(_records(month, places, by_force, type_values))
    return records


def _records(
    month: str, places: list[Place], matrix: np.ndarray, type_values: pd.Index
) -> Iterator[CountRecord]:
    """One record (COUNT_COLUMNS) per place (force, kind, area id, local authority)
    and crime type with rows; ``matrix`` holds a row of counts by type per place."""
    for (force, kind, area_id, la), counts in zip(places, matrix, strict=True):
        for type_index in np.flatnonzero(counts):
            n = int(counts[type_index])
            yield (month, force, type_values[int(type_index)], kind, area_id, la, n)


COUNT_COLUMNS = ["Month", "Falls within", "Crime type", "kind", "area_id", "la", "n"]


def local_authority_of(lsoa_name: str) -> str:
    """``"Camden 027B"`` -> ``"Camden"``: an LSOA name is the local authority's name
    then the MSOA number and a letter."""
    return lsoa_name.rsplit(" ", 1)[0] if " " in lsoa_name else lsoa_name


def _tabulate(
    counts: pd.DataFrame,
    context: PoliceUkContext,
    file_rows: list[dict[str, Any]],
    rows_read: int,
) -> tuple[PoliceUkRows, dict[str, Any]]:
    in_area = counts[counts["kind"] == "area"]
    outside = counts[counts["kind"] == "outside"]
    no_location = counts[counts["kind"] == "none"]

    by_cell = cast(
        dict[tuple[str, str, int], int],
        in_area.groupby(["Month", "Crime type", "area_id"])["n"].sum().to_dict(),
    )
    months = sorted(counts["Month"].unique())
    areas_in_month: dict[str, set[int]] = {m: set() for m in months}
    for month, _crime_type, area_id in by_cell:
        areas_in_month[month].add(int(area_id))
    area_ids = sorted(context.area_names, key=lambda a: context.area_names[a])
    crime_types = sorted(context.measure_ids, key=lambda t: (t == ASB, t))
    outside_by_month = outside.groupby("Month")["n"].sum().to_dict()
    no_location_by_month = no_location.groupby("Month")["n"].sum().to_dict()

    rows = PoliceUkRows(months=[month_start(m) for m in months])
    table = []
    areas_without_rows = []
    for month in months:
        start = month_start(month)
        end = month_end(start)
        present = areas_in_month[month]
        lines = []
        crime_totals = dict.fromkeys(area_ids, 0)
        for crime_type in crime_types:
            by_area = [int(by_cell.get((month, crime_type, a), 0)) for a in area_ids]
            lines.append(
                {
                    "crime_type": crime_type,
                    "measure": context.measure_names[crime_type],
                    "by_area": by_area,
                    "total": sum(by_area),
                    "is_asb": crime_type == ASB,
                }
            )
            for area_id, value in zip(area_ids, by_area, strict=True):
                if crime_type != ASB:
                    crime_totals[area_id] += value
                if area_id in present:
                    rows.inputs.append(
                        ObservationInput(
                            measure_id=context.measure_ids[crime_type],
                            area_id=area_id,
                            period_type=PeriodType.MONTH,
                            period_start=start,
                            period_end=end,
                            value=Decimal(value),
                        )
                    )
        if context.all_crime_measure_id is not None:
            for area_id in present:
                rows.inputs.append(
                    ObservationInput(
                        measure_id=context.all_crime_measure_id,
                        area_id=area_id,
                        period_type=PeriodType.MONTH,
                        period_start=start,
                        period_end=end,
                        value=Decimal(crime_totals[area_id]),
                        note=ALL_CRIME_NOTE,
                    )
                )
        for area_id in area_ids:
            if area_id not in present:
                areas_without_rows.append(
                    {
                        "month": month,
                        "label": month_label(month),
                        "area": context.area_names[area_id],
                    }
                )
        table.append(
            {
                "month": month,
                "label": month_label(month),
                "lines": lines,
                "crime_by_area": [crime_totals[a] for a in area_ids],
                "crime_total": sum(crime_totals.values()),
                "outside": int(outside_by_month.get(month, 0)),
                "no_location": int(no_location_by_month.get(month, 0)),
            }
        )

    unallocated = no_location.groupby(["Falls within", "Month", "Crime type"])["n"].sum()
    for key, value in unallocated.items():
        force, month, crime_type = cast(tuple[str, str, str], key)
        rows.unallocated.append(
            (force, month_start(month), context.measure_ids[crime_type], int(value))
        )
    rows.forces = sorted({f for r in file_rows for f in r["forces"]})
    outside_by_la = outside.groupby("la")["n"].sum().sort_values(ascending=False)
    summary = {
        "files": file_rows,
        "rows_read": rows_read,
        "months": months,
        "forces": rows.forces,
        "areas": [context.area_names[a] for a in area_ids],
        "table": table,
        "rows_in_areas": int(in_area["n"].sum()),
        "rows_outside": int(outside["n"].sum()),
        "rows_no_location": int(no_location["n"].sum()),
        "asb_rows": int(counts.loc[counts["Crime type"] == ASB, "n"].sum()),
        "outside_by_local_authority": [[str(k), int(v)] for k, v in outside_by_la.head(25).items()],
        "areas_without_rows": areas_without_rows,
        "lookup_used": bool(context.lsoa_areas),
        "figures": len(rows.inputs),
        "unallocated_counts": len(rows.unallocated),
    }
    return rows, summary


def store(
    parsed: ParsedImport,
    *,
    partnership: Partnership,
    user: User | None,
    batch: ImportBatch,
    reason: str = "",
    allow_approved_changes: bool = False,
    **_kwargs: object,
) -> StoreOutcome:
    """Write the counted figures and the no-location counts, all or nothing. Raises
    ``ApprovedFigureConflict`` (writing nothing) when an approved figure would change
    without ``allow_approved_changes`` and a reason."""
    rows: PoliceUkRows = parsed.rows
    reason = reason.strip()
    if allow_approved_changes and not reason:
        raise ValueError("Changing approved figures needs a reason.")
    with transaction.atomic():
        result = observations_upsert(
            partnership=partnership,
            inputs=rows.inputs,
            source=Observation.Source.POLICEUK,
            user=user,
            import_batch=batch,
            reason=reason or f"Imported from police.uk files ({parsed.file_name})",
            allow_approved_changes=allow_approved_changes,
        )
        unallocated_changed = _store_unallocated(partnership, batch, rows)
    summary = parsed.summary
    return StoreOutcome(
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        rows_stored=summary["rows_in_areas"] + summary["rows_no_location"],
        extra={"unallocated_changed": unallocated_changed},
    )


def _store_unallocated(partnership: Partnership, batch: ImportBatch, rows: PoliceUkRows) -> int:
    """Replace the no-location counts for the forces and months in the files; a count
    that is the same is left alone. Returns how many rows changed."""
    existing = {
        (u.force, u.month, u.measure_id): u
        for u in UnallocatedCount.objects.filter(
            partnership=partnership, force__in=rows.forces, month__in=rows.months
        )
    }
    wanted = {(force, month, measure_id): n for force, month, measure_id, n in rows.unallocated}
    create = [
        UnallocatedCount(
            import_batch=batch,
            partnership=partnership,
            force=force,
            month=month,
            measure_id=measure_id,
            count=n,
        )
        for (force, month, measure_id), n in wanted.items()
        if (force, month, measure_id) not in existing
    ]
    update = []
    for key, current in existing.items():
        if key in wanted and current.count != wanted[key]:
            current.count = wanted[key]
            current.import_batch = batch
            update.append(current)
    stale = [current.pk for key, current in existing.items() if key not in wanted]
    UnallocatedCount.objects.bulk_create(create)
    UnallocatedCount.objects.bulk_update(update, ["count", "import_batch"])
    UnallocatedCount.objects.filter(pk__in=stale).delete()
    return len(create) + len(update) + len(stale)


def planned_inputs(
    parsed: ParsedImport, context: PoliceUkContext, partnership: Partnership
) -> dict[int, list[ObservationInput]]:
    return {partnership.id: parsed.rows.inputs}
