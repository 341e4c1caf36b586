"""Every import in two steps, the same from the browser and the command line:

``import_preview`` reads the files, records an ImportBatch (file name, checksum, who,
rows read and rejected, errors, the preview summary, and any approved figures the
import would change) and, for the browser, keeps the file in default storage.
``import_commit`` reads the kept file again, checks it is the same (checksum), and
stores everything in one transaction or nothing.

A data return's spreadsheet template is imported the same way, for one return: the
preview is given the return, the batch's summary names it, and the confirmation
reads it from there.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from crimestats.importers import lsoa_lookup, ons_lookup, ons_tables, policeuk, template
from crimestats.importers.base import ImportRefused, ParsedImport, RowError, SourceFile
from crimestats.models import DataReturn, ImportBatch, Measure, Observation
from crimestats.services import ObservationInput, observations_existing
from cspportal.lib.periods import figure_period_label
from partnerships.models import Area, Partnership

if TYPE_CHECKING:
    from accounts.models import User

Format = ImportBatch.Format


@dataclass(frozen=True)
class ImportKind:
    """One supported format: its module (``context_for``, ``parse``, ``planned_inputs``,
    ``store``), the page title, and the file types its upload accepts."""

    format: str
    module: ModuleType
    title: str
    accept: str
    national: bool


KINDS: dict[str, ImportKind] = {
    Format.POLICEUK_STREET: ImportKind(
        Format.POLICEUK_STREET, policeuk, "police.uk street-level crime files", ".csv,.zip", False
    ),
    Format.ONS_PFA_TABLES: ImportKind(
        Format.ONS_PFA_TABLES, ons_tables, "ONS police force area tables", ".xlsx", True
    ),
    Format.ONS_LOOKUP: ImportKind(
        Format.ONS_LOOKUP, ons_lookup, "ONS local authority to CSP lookup", ".csv", True
    ),
    Format.LSOA_LOOKUP: ImportKind(
        Format.LSOA_LOOKUP, lsoa_lookup, "LSOA to area lookup", ".csv", False
    ),
    Format.TEMPLATE: ImportKind(
        Format.TEMPLATE, template, "data return template", ".csv,.xlsx", False
    ),
}


class ImportNotAllowed(Exception):
    """The batch cannot be stored (already stored, rejected, or its file changed)."""


def _parse(
    kind: ImportKind,
    sources: list[SourceFile],
    partnership: Partnership | None,
    user: User | None,
    data_return: DataReturn | None = None,
) -> tuple[ParsedImport, object]:
    extra = {} if data_return is None else {"data_return": data_return}
    context = kind.module.context_for(partnership=partnership, user=user, **extra)
    try:
        parsed = kind.module.parse(sources, context)
    except ImportRefused as exc:
        parsed = ParsedImport(format=kind.format, files=list(sources), errors=exc.errors)
    return parsed, context


class ConflictRow(TypedDict):
    """An approved figure an import would change, as the preview and the confirmation
    pages list it (and the batch's summary keeps it, as JSON)."""

    partnership: str
    measure: str
    area: str
    period: str
    current: str
    new: str


def find_conflicts(planned: dict[int, list[ObservationInput]]) -> list[ConflictRow]:
    """Approved figures the import would change, for the preview: read only."""
    conflicts: list[ConflictRow] = []
    if not planned:
        return conflicts
    partnerships = Partnership.objects.in_bulk(list(planned))
    measure_names = dict(Measure.objects.values_list("id", "name"))
    area_names = dict(Area.objects.filter(partnership__in=list(planned)).values_list("id", "name"))
    for partnership_id, inputs in planned.items():
        partnership = partnerships[partnership_id]
        existing = observations_existing(partnership=partnership, inputs=inputs)
        for item in inputs:
            current = existing.get(item.key)
            if current is None or not current.is_approved:
                continue
            if current.status == item.status and current.value == item.value:
                continue
            conflicts.append(conflict_row(partnership, current, item, measure_names, area_names))
    return conflicts


def conflict_row(
    partnership: Partnership,
    current: Observation,
    item: ObservationInput,
    measure_names: dict[int, str],
    area_names: dict[int, str],
) -> ConflictRow:
    def shown(value: Decimal | None, status: str) -> str:
        return "not supplied" if status == Observation.Status.NOT_SUPPLIED else f"{value:,.0f}"

    return {
        "partnership": partnership.name,
        "measure": measure_names.get(item.measure_id, str(item.measure_id)),
        "area": area_names.get(item.area_id, "Whole partnership")
        if item.area_id
        else "Whole partnership",
        "period": figure_period_label(item.period_type, item.period_start),
        "current": shown(current.value, current.status),
        "new": shown(item.value, item.status),
    }


def _bundle(files: list[SourceFile]) -> tuple[str, bytes]:
    """The bytes kept between preview and confirmation: the file itself, or the
    files zipped together when there are several."""
    if len(files) == 1:
        return files[0].name, files[0].data
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for source in files:
            archive.writestr(source.name, source.data)
    return "upload.zip", buffer.getvalue()


def import_preview(
    *,
    format: str,
    sources: list[SourceFile],
    partnership: Partnership | None,
    user: User | None,
    keep_file: bool = True,
    data_return: DataReturn | None = None,
) -> tuple[ImportBatch, ParsedImport]:
    """Read the files and record what an import would do, storing no figures.
    ``data_return`` is the return a spreadsheet template is uploaded into."""
    kind = KINDS[format]
    parsed, context = _parse(kind, sources, partnership, user, data_return)
    summary = dict(parsed.summary)
    if parsed.ok:
        planned = kind.module.planned_inputs(parsed, context, partnership)
        summary["conflicts"] = find_conflicts(planned)
        earlier = (
            ImportBatch.objects.filter(
                format=format,
                checksum=parsed.checksum,
                partnership=partnership,
                status__in=[ImportBatch.Status.STORED, ImportBatch.Status.UNCHANGED],
            )
            .order_by("-stored_at")
            .first()
        )
        if earlier is not None:
            summary["already_imported"] = {
                "batch": earlier.pk,
                "stored_at": earlier.stored_at.isoformat() if earlier.stored_at else "",
            }
    batch = ImportBatch(
        partnership=partnership,
        format=format,
        file_name=parsed.file_name[:255] or "(no file)",
        checksum=parsed.checksum if parsed.files else "",
        status=ImportBatch.Status.PREVIEWED if parsed.ok else ImportBatch.Status.REJECTED,
        rows_read=parsed.rows_read,
        rows_rejected=parsed.rows_rejected,
        errors=parsed.errors_as_json(),
        summary=summary,
        imported_by=user if getattr(user, "pk", None) else None,
    )
    if keep_file and parsed.ok:
        name, data = _bundle(parsed.files)
        batch.file.save(name, ContentFile(data), save=False)
    batch.save()
    return batch, parsed


def import_commit(
    *,
    batch: ImportBatch,
    user: User | None,
    parsed: ParsedImport | None = None,
    reason: str = "",
    allow_approved_changes: bool = False,
) -> ImportBatch:
    """Store a previewed import, all or nothing. Without ``parsed`` the kept file is
    read again and must have the checksum recorded at preview. Raises
    ``ApprovedFigureConflict`` (storing nothing) when approved figures would change
    without ``allow_approved_changes`` and a reason."""
    kind = KINDS[batch.format]
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.PREVIEWED:
            raise ImportNotAllowed(
                f"This import is '{locked.get_status_display().lower()}': it cannot be stored."
            )
        context = kind.module.context_for(partnership=locked.partnership, user=user, batch=locked)
        if parsed is None:
            if not locked.file:
                raise ImportNotAllowed("The uploaded file was not kept: upload it again.")
            with locked.file.open("rb") as handle:
                data = handle.read()
            # Several files were kept zipped together (see _bundle).
            several = len(locked.summary.get("files", [None])) > 1
            name = "upload.zip" if several else locked.file_name
            try:
                parsed = kind.module.parse([SourceFile(name, data)], context)
            except ImportRefused as exc:
                raise ImportNotAllowed(str(exc)) from None
        if parsed.checksum != locked.checksum:
            raise ImportNotAllowed(
                "The kept file no longer matches the preview (its checksum differs): "
                "upload it again."
            )
        if not parsed.ok:
            # Same file, but what it is checked against changed since the preview (an
            # area or a measure of the return was removed, say).
            raise ImportNotAllowed(
                f"The file no longer passes the checks ({parsed.errors[0]}): upload it "
                "again to see every problem."
            )
        outcome = kind.module.store(
            parsed,
            context=context,
            partnership=locked.partnership,
            user=user,
            batch=locked,
            reason=reason,
            allow_approved_changes=allow_approved_changes,
        )
        locked.status = (
            ImportBatch.Status.STORED if outcome.changed_anything else ImportBatch.Status.UNCHANGED
        )
        locked.rows_stored = outcome.rows_stored
        locked.stored_at = timezone.now()
        locked.summary = {
            **locked.summary,
            "stored": {
                "created": outcome.created,
                "updated": outcome.updated,
                "unchanged": outcome.unchanged,
                **outcome.extra,
                "reason": reason.strip(),
                "by": str(user) if user else "command line",
            },
        }
        locked.save()
    return locked


def import_error_rows(errors: list[RowError]) -> list[dict[str, Any]]:
    return [e.as_dict() for e in errors]


def conflict_rows_from(
    conflicts: list[tuple[Observation, ObservationInput]],
) -> list[ConflictRow]:
    """Rows for the page from an ``ApprovedFigureConflict`` raised at confirmation."""
    if not conflicts:
        return []
    measure_names = dict(Measure.objects.values_list("id", "name"))
    area_ids = {item.area_id for _current, item in conflicts if item.area_id}
    area_names = dict(Area.objects.filter(id__in=area_ids).values_list("id", "name"))
    partnerships = Partnership.objects.in_bulk({current.partnership_id for current, _ in conflicts})
    return [
        conflict_row(partnerships[current.partnership_id], current, item, measure_names, area_names)
        for current, item in conflicts
    ]
