"""The data return as a spreadsheet template (CSV or XLSX): one row per measure, area
and period, and the reading of a filled-in copy with the same validation as the
browser form. No request and no writes here."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime
from zipfile import BadZipFile

from openpyxl import load_workbook

from crimestats.forms import parse_figure, where_label
from crimestats.models import DataReturn, Measure, Observation
from crimestats.selectors import reporting_years
from crimestats.services import ObservationInput
from cspportal.lib.periods import figure_period_label, financial_year_of
from partnerships.models import Area

HEADERS = [
    "measure_code",
    "measure",
    "area",
    "period_start",
    "period_end",
    "value",
    "not_supplied_reason",
    "note",
]
REQUIRED = ["measure_code", "area", "period_start", "value"]
WHOLE_PARTNERSHIP_LABEL = "Whole partnership"


def template_rows(
    data_return: DataReturn,
    measures: list[Measure],
    areas: list[Area],
    observations: dict[tuple[int, int | None], Observation],
) -> list[list]:
    rows = []
    for measure in measures:
        for area in [*areas, None]:
            obs = observations.get((measure.pk, area.pk if area else None))
            rows.append(
                [
                    measure.code,
                    measure.name,
                    area.name if area else WHOLE_PARTNERSHIP_LABEL,
                    data_return.period_start.isoformat(),
                    data_return.period_end.isoformat(),
                    obs.value if obs and obs.value is not None else "",
                    obs.not_supplied_reason if obs else "",
                    obs.note if obs else "",
                ]
            )
    return rows


@dataclass
class ParsedTemplate:
    inputs: list[ObservationInput]
    errors: list[str]
    rows_read: int
    checksum: str


def _read_table(content: bytes, file_name: str) -> list[list[str]]:
    if file_name.lower().endswith(".xlsx"):
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        table = []
        for row in sheet.iter_rows(values_only=True):
            table.append([_cell_text(v) for v in row])
        workbook.close()
        return table
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_template(
    *,
    content: bytes,
    file_name: str,
    data_return: DataReturn,
    measures: list[Measure],
    areas: list[Area],
) -> ParsedTemplate:
    """Read a filled-in template. Every bad row gives an error naming the row, measure
    and area; the inputs are only meant to be stored when there are no errors."""
    checksum = hashlib.sha256(content).hexdigest()
    try:
        table = _read_table(content, file_name)
    except (UnicodeDecodeError, csv.Error, OSError, ValueError, KeyError, BadZipFile) as exc:
        return ParsedTemplate(
            [], [f"The file could not be read as CSV or XLSX ({exc})"], 0, checksum
        )
    if not table:
        return ParsedTemplate([], ["The file is empty"], 0, checksum)
    header = [h.strip().lower() for h in table[0]]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        return ParsedTemplate(
            [],
            [f"The first row must hold the column names; missing: {', '.join(missing)}"],
            0,
            checksum,
        )
    column = {name: header.index(name) for name in HEADERS if name in header}
    by_code = {m.code: m for m in measures}
    by_area = {a.name.lower(): a for a in areas}
    first_year, last_year = reporting_years()
    expected = figure_period_label(data_return.period_type, data_return.period_start)
    inputs: list[ObservationInput] = []
    errors: list[str] = []
    seen: dict[tuple, int] = {}
    rows_read = 0

    for number, row in enumerate(table[1:], start=2):
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in column.items()}
        if not any(cells.values()):
            continue
        rows_read += 1
        code = cells.get("measure_code", "")
        measure = by_code.get(code)
        if measure is None:
            errors.append(f"Row {number}: the measure “{code}” is not part of this return")
            continue
        area_text = cells.get("area", "")
        if area_text.lower() == WHOLE_PARTNERSHIP_LABEL.lower():
            area = None
        elif area_text.lower() in by_area:
            area = by_area[area_text.lower()]
        else:
            errors.append(
                f"Row {number} ({measure.name}): the area “{area_text}” is not one of the "
                "partnership's areas"
            )
            continue
        subject = f"Row {number} ({measure.name}, {where_label(area)})"
        try:
            start = date.fromisoformat(cells.get("period_start", ""))
        except ValueError:
            errors.append(f"{subject}: the period start must be a date like 2017-04-01")
            continue
        if not first_year <= financial_year_of(start) <= last_year:
            errors.append(
                f"{subject}: the period starting {start:%d %B %Y} is outside the partnership's "
                f"years (April {first_year} to March {last_year + 1})"
            )
            continue
        if start != data_return.period_start:
            errors.append(
                f"{subject}: the period starting {start:%d %B %Y} is not this return's "
                f"period ({expected})"
            )
            continue
        value, error = parse_figure(cells.get("value", ""), measure, where_label(area))
        if error:
            errors.append(f"Row {number}: {error}")
            continue
        reason = cells.get("not_supplied_reason", "")
        note = cells.get("note", "")
        if len(reason) > 200 or len(note) > 500:
            errors.append(f"{subject}: the reason is limited to 200 and the note to 500 characters")
            continue
        if value is None and not reason:
            # An empty row: nothing to store.
            continue
        if value is not None and reason:
            errors.append(
                f"{subject}: either give a value or a reason it was not supplied, not both"
            )
            continue
        key = (measure.pk, area.pk if area else None)
        if key in seen:
            errors.append(f"{subject}: the same figure is already on row {seen[key]}")
            continue
        seen[key] = number
        inputs.append(
            ObservationInput(
                measure_id=measure.pk,
                area_id=area.pk if area else None,
                period_type=data_return.period_type,
                period_start=data_return.period_start,
                period_end=data_return.period_end,
                value=value,
                not_supplied_reason=reason if value is None else "",
                note=note,
            )
        )
    if not inputs and not errors:
        errors.append("The file has no figures: fill in the value column")
    return ParsedTemplate(inputs, errors, rows_read, checksum)


def inputs_to_json(inputs: list[ObservationInput]) -> list[dict]:
    return [
        {
            "measure_id": i.measure_id,
            "area_id": i.area_id,
            "value": str(i.value) if i.value is not None else None,
            "not_supplied_reason": i.not_supplied_reason,
            "note": i.note,
        }
        for i in inputs
    ]


def inputs_from_json(rows: list[dict], data_return: DataReturn) -> list[ObservationInput]:
    from decimal import Decimal

    return [
        ObservationInput(
            measure_id=row["measure_id"],
            area_id=row["area_id"],
            period_type=data_return.period_type,
            period_start=data_return.period_start,
            period_end=data_return.period_end,
            value=Decimal(row["value"]) if row["value"] is not None else None,
            not_supplied_reason=row["not_supplied_reason"],
            note=row["note"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class PreviewRow:
    measure: str
    where: str
    current: str
    new: str
    change: str  # "New", "Changed", "Unchanged"


def _shown(value, reason: str) -> str:
    if value is None:
        return f"Not supplied ({reason})" if reason else "Not supplied"
    return f"{value:,}" if value == int(value) else f"{value:,.2f}"


def preview_rows(
    inputs: list[ObservationInput],
    observations: dict[tuple[int, int | None], Observation],
    measures: list[Measure],
    areas: list[Area],
) -> list[PreviewRow]:
    names = {m.pk: m.name for m in measures}
    area_names = {a.pk: a.name for a in areas}
    rows = []
    for item in inputs:
        stored = observations.get((item.measure_id, item.area_id))
        new = _shown(item.value, item.not_supplied_reason)
        if stored is None:
            current, change = "None", "New"
        else:
            current = _shown(stored.value, stored.not_supplied_reason)
            same = (
                stored.value == item.value
                and stored.note == item.note
                and stored.not_supplied_reason == item.not_supplied_reason
            )
            change = "Unchanged" if same else "Changed"
        rows.append(
            PreviewRow(
                measure=names[item.measure_id],
                where=area_names.get(item.area_id, "Whole partnership"),
                current=current,
                new=new + (f" (note: {item.note})" if item.note else ""),
                change=change,
            )
        )
    return rows
