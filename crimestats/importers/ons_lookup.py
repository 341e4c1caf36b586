"""The ONS local authority -> CSP -> police force area lookup CSV, any vintage:
``LADyyCD, LADyyNM, CSPyyCD, CSPyyNM, PFAyyCD, PFAyyNM`` (ONS adds columns such as
``ObjectId``; they are ignored). The two-digit year in the headers is the vintage the
codes are stored under."""

from __future__ import annotations

import csv
import io
import re

from django.db import transaction

from crimestats.importers.base import (
    ImportRefused,
    ParsedImport,
    RowError,
    SourceFile,
    StoreOutcome,
    csv_text_problem,
    expand_sources,
    first_line,
)
from crimestats.importers.ons_tables import GSS_CSP, GSS_LA, GSS_PFA, store_geography_lookup
from crimestats.models import ImportBatch

FORMAT = ImportBatch.Format.ONS_LOOKUP
COLUMN = re.compile(r"^(LAD|CSP|PFA)(\d{2})(CD|NM)$", re.IGNORECASE)
PARTS = [("LAD", "CD"), ("LAD", "NM"), ("CSP", "CD"), ("CSP", "NM"), ("PFA", "CD"), ("PFA", "NM")]
CODE_PATTERNS = {"LAD": GSS_LA, "CSP": GSS_CSP, "PFA": GSS_PFA}
CODE_HINTS = {
    "LAD": "a local authority code like E07000118",
    "CSP": "a CSP code like E22000123 or W14000011",
    "PFA": "a police force area code like E23000003",
}


def context_for(**_kwargs) -> None:
    return None


def parse(sources: list[SourceFile], context: None = None) -> ParsedImport:
    files = expand_sources(sources, suffixes=(".csv",))
    if len(files) != 1:
        raise ImportRefused([RowError("(upload)", None, "", "upload one lookup file at a time.")])
    source = files[0]
    parsed = ParsedImport(format=FORMAT, files=files)
    header = next(csv.reader([first_line(source.data)]), [])
    problem = csv_text_problem(source, header)
    if problem:
        parsed.errors.append(problem)
        return parsed
    positions: dict[tuple[str, str], int] = {}
    years = set()
    for index, name in enumerate(header):
        match = COLUMN.match(name.strip())
        if match:
            positions[(match.group(1).upper(), match.group(3).upper())] = index
            years.add(match.group(2))
    missing = [f"{a}yy{b}" for a, b in PARTS if (a, b) not in positions]
    if missing or len(years) != 1:
        parsed.errors.append(
            RowError(
                source.name,
                1,
                missing[0] if missing else "",
                "the header must have LADyyCD, LADyyNM, CSPyyCD, CSPyyNM, PFAyyCD and "
                "PFAyyNM with one year yy (like LAD24CD); "
                + (f"{', '.join(missing)} missing." if missing else "the years differ."),
            )
        )
        return parsed
    year = years.pop()
    vintage = 2000 + int(year)
    names = {part: f"{part[0]}{year}{part[1]}" for part in PARTS}
    mapping: dict[tuple[str, str], tuple] = {}
    reader = csv.reader(io.StringIO(source.data.decode("utf-8-sig"), newline=""))
    next(reader, None)
    rejected = set()
    for record in reader:
        if not any(v.strip() for v in record):
            continue
        row = reader.line_num
        parsed.rows_read += 1
        if len(record) < len(header):
            parsed.errors.append(
                RowError(
                    source.name,
                    row,
                    header[len(record)] if len(record) < len(header) else "",
                    f"the row stops after {len(record)} of the {len(header)} columns (a "
                    "truncated file?).",
                )
            )
            rejected.add(row)
            continue
        values = {part: record[positions[part]].strip() for part in PARTS}
        for (kind, suffix), value in values.items():
            if suffix == "CD" and not CODE_PATTERNS[kind].match(value):
                parsed.errors.append(
                    RowError(
                        source.name,
                        row,
                        names[(kind, suffix)],
                        f"'{value}' is not {CODE_HINTS[kind]}.",
                    )
                )
                rejected.add(row)
            elif suffix == "NM" and not value:
                parsed.errors.append(
                    RowError(source.name, row, names[(kind, suffix)], "the name is empty.")
                )
                rejected.add(row)
        if row in rejected:
            continue
        key = (values[("LAD", "CD")], values[("CSP", "CD")])
        if key in mapping:
            parsed.errors.append(
                RowError(
                    source.name,
                    row,
                    names[("CSP", "CD")],
                    f"{key[0]} in {key[1]} appears twice.",
                )
            )
            rejected.add(row)
            continue
        mapping[key] = tuple(values[p] for p in PARTS)
    parsed.rows_rejected = len(rejected)
    if not parsed.errors and not mapping:
        parsed.errors.append(RowError(source.name, 2, "", "the file has a header but no rows."))
    rows = sorted(mapping.values(), key=lambda r: (r[5], r[3], r[1]))
    parsed.rows = {"vintage": vintage, "mapping": rows}
    parsed.summary = {
        "vintage": vintage,
        "rows": len(rows),
        "csps": len({r[2] for r in rows}),
        "forces": len({r[4] for r in rows}),
        "sample": [list(r) for r in rows[:15]],
    }
    return parsed


def planned_inputs(*_args, **_kwargs) -> dict:
    return {}


def store(parsed: ParsedImport, *, batch: ImportBatch, **_kwargs) -> StoreOutcome:
    with transaction.atomic():
        changed = store_geography_lookup(parsed.rows["mapping"], parsed.rows["vintage"], batch)
    return StoreOutcome(
        created=0,
        updated=0,
        unchanged=0,
        rows_stored=len(parsed.rows["mapping"]),
        extra={"lookups_changed": changed},
    )
