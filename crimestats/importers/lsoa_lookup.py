"""A partnership's LSOA -> area lookup CSV, used by the police.uk importer before it
falls back on the local authority name in the LSOA name.

Two columns are needed: the LSOA code (headed ``LSOA code`` or ``LSOAyyCD`` as in ONS
lookups) and the area, either by name (``Area``, or ``LADyyNM`` / ``WDyyNM``) or by
GSS code (``Area code``, or ``LADyyCD`` / ``WDyyCD``). A national ONS lookup can be
uploaded as it is: rows for areas outside the partnership are counted and skipped.
Storing replaces the partnership's whole lookup.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.db import transaction

from crimestats.importers.base import (
    ParsedImport,
    RowError,
    SourceFile,
    StoreOutcome,
    csv_text_problem,
    expand_sources,
    first_line,
)
from crimestats.models import ImportBatch, LsoaLookup
from partnerships.models import Area, Partnership

FORMAT = ImportBatch.Format.LSOA_LOOKUP
LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
LSOA_HEADER = re.compile(r"^(lsoa code|lsoa\d{2}cd)$", re.IGNORECASE)
AREA_CODE_HEADER = re.compile(r"^(area code|(lad|wd)\d{2}cd)$", re.IGNORECASE)
AREA_NAME_HEADER = re.compile(r"^(area|area name|(lad|wd)\d{2}nm)$", re.IGNORECASE)


@dataclass(frozen=True)
class LsoaContext:
    by_code: dict[str, int]
    by_name: dict[str, int]
    names: dict[int, str]


def context_for(*, partnership: Partnership, **_kwargs) -> LsoaContext:
    areas = list(Area.objects.filter(partnership=partnership))
    return LsoaContext(
        by_code={a.gss_code: a.id for a in areas if a.gss_code},
        by_name={a.name.casefold(): a.id for a in areas},
        names={a.id: a.name for a in areas},
    )


def parse(sources: list[SourceFile], context: LsoaContext) -> ParsedImport:
    files = expand_sources(sources, suffixes=(".csv",))
    parsed = ParsedImport(format=FORMAT, files=files)
    if len(files) != 1:
        parsed.errors.append(RowError("(upload)", None, "", "upload one lookup file at a time."))
        return parsed
    source = files[0]
    header = [h.strip() for h in next(csv.reader([first_line(source.data)]), [])]
    problem = csv_text_problem(source, header)
    if problem:
        parsed.errors.append(problem)
        return parsed
    lsoa_at = next((i for i, h in enumerate(header) if LSOA_HEADER.match(h)), None)
    code_at = next((i for i, h in enumerate(header) if AREA_CODE_HEADER.match(h)), None)
    name_at = next((i for i, h in enumerate(header) if AREA_NAME_HEADER.match(h)), None)
    if lsoa_at is None or (code_at is None and name_at is None):
        parsed.errors.append(
            RowError(
                source.name,
                1,
                "LSOA code" if lsoa_at is None else "Area",
                "the header needs an LSOA code column ('LSOA code' or like LSOA21CD) and "
                "an area column: 'Area' (the area's name) or 'Area code' (its GSS code), "
                "or ONS columns like LAD24CD / LAD24NM.",
            )
        )
        return parsed
    if not context.names:
        parsed.errors.append(
            RowError(source.name, None, "", "the partnership has no areas yet: add them first.")
        )
        return parsed
    reader = csv.reader(io.StringIO(source.data.decode("utf-8-sig"), newline=""))
    next(reader, None)
    mapping: dict[str, int] = {}
    outside: dict[str, int] = {}
    for record in reader:
        if not any(v.strip() for v in record):
            continue
        row = reader.line_num
        parsed.rows_read += 1
        needed = max(i for i in (lsoa_at, code_at, name_at) if i is not None)
        if len(record) <= needed:
            parsed.errors.append(
                RowError(
                    source.name,
                    row,
                    header[len(record)],
                    f"the row stops after {len(record)} columns (a truncated file?).",
                )
            )
            continue
        lsoa = record[lsoa_at].strip()
        if not LSOA_CODE.match(lsoa):
            parsed.errors.append(
                RowError(
                    source.name,
                    row,
                    header[lsoa_at],
                    f"'{lsoa}' is not an LSOA code (E01 or W01 and six digits).",
                )
            )
            continue
        area_id = None
        label = ""
        if code_at is not None:
            label = record[code_at].strip()
            area_id = context.by_code.get(label)
        if area_id is None and name_at is not None:
            label = record[name_at].strip()
            area_id = context.by_name.get(label.casefold())
        if area_id is None:
            outside[label] = outside.get(label, 0) + 1
            continue
        if lsoa in mapping and mapping[lsoa] != area_id:
            parsed.errors.append(
                RowError(
                    source.name,
                    row,
                    header[lsoa_at],
                    f"{lsoa} is already given to {context.names[mapping[lsoa]]}.",
                )
            )
            continue
        mapping[lsoa] = area_id
    parsed.rows_rejected = len({e.row for e in parsed.errors if e.row})
    if not parsed.errors and not mapping:
        parsed.errors.append(
            RowError(
                source.name,
                None,
                "",
                "no row names one of the partnership's areas ("
                + ", ".join(sorted(context.names.values()))
                + ").",
            )
        )
    per_area: dict[str, int] = {}
    for area_id in mapping.values():
        per_area[context.names[area_id]] = per_area.get(context.names[area_id], 0) + 1
    parsed.rows = mapping
    parsed.summary = {
        "lsoas": len(mapping),
        "per_area": sorted(per_area.items()),
        "rows_outside": sum(outside.values()),
        "outside_sample": sorted(outside.items(), key=lambda kv: -kv[1])[:10],
    }
    return parsed


def planned_inputs(*_args, **_kwargs) -> dict:
    return {}


def store(
    parsed: ParsedImport, *, partnership: Partnership, batch: ImportBatch, **_kwargs
) -> StoreOutcome:
    """Make the partnership's lookup exactly the file's: add, move and remove LSOAs."""
    mapping: dict[str, int] = parsed.rows
    with transaction.atomic():
        existing = {
            row.lsoa_code: row for row in LsoaLookup.objects.filter(partnership=partnership)
        }
        create = [
            LsoaLookup(partnership=partnership, lsoa_code=code, area_id=area_id)
            for code, area_id in mapping.items()
            if code not in existing
        ]
        update = []
        for code, row in existing.items():
            if code in mapping and row.area_id != mapping[code]:
                row.area_id = mapping[code]
                update.append(row)
        stale = [row.pk for code, row in existing.items() if code not in mapping]
        LsoaLookup.objects.bulk_create(create)
        LsoaLookup.objects.bulk_update(update, ["area"])
        LsoaLookup.objects.filter(pk__in=stale).delete()
    return StoreOutcome(
        created=0,
        updated=0,
        unchanged=0,
        rows_stored=len(mapping),
        extra={"lookups_added": len(create), "lookups_moved": len(update), "removed": len(stale)},
    )
