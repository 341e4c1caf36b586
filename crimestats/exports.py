"""The data return download (its spreadsheet template): its columns and rows,
declared once.

The template importer (``crimestats.importers.template``) reads a filled-in copy
back by these column names. Dates are ISO 8601 (2024-04-01), as in every CSV and
XLSX download of the app (``cspportal.lib.downloads.export_date``).
"""

from __future__ import annotations

from crimestats.models import DataReturn, Measure, Observation
from cspportal.lib.downloads import export_date
from partnerships.models import Area

RETURN_HEADERS = [
    "measure_code",
    "measure",
    "area",
    "period_start",
    "period_end",
    "value",
    "not_supplied_reason",
    "note",
]
WHOLE_PARTNERSHIP_LABEL = "Whole partnership"


def return_rows(
    data_return: DataReturn,
    measures: list[Measure],
    areas: list[Area],
    observations: dict[tuple[int, int | None], Observation],
) -> list[list[object]]:
    """The rows of the template for a return, filled in with the figures stored so
    far: each measure for each area, then for the whole partnership."""
    rows: list[list[object]] = []
    for measure in measures:
        for area in [*areas, None]:
            obs = observations.get((measure.pk, area.pk if area else None))
            rows.append(
                [
                    measure.code,
                    measure.name,
                    area.name if area else WHOLE_PARTNERSHIP_LABEL,
                    export_date(data_return.period_start),
                    export_date(data_return.period_end),
                    obs.value if obs and obs.value is not None else "",
                    obs.not_supplied_reason if obs else "",
                    obs.note if obs else "",
                ]
            )
    return rows
