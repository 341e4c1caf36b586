"""Writes to figures: the one bulk upsert that forms, template uploads and importers all
use, and the data return workflow (save, submit, approve, correct).

Every write runs in one transaction and uses a fixed number of queries whatever the
number of figures (bulk operations with simple-history's bulk helpers, so each change
still gets a history row with who, when and why).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from crimestats.models import DataReturn, Observation
from partnerships.models import Area, Partnership

# The fields an upsert may change on an existing figure.
UPDATE_FIELDS = [
    "period_end",
    "value",
    "status",
    "not_supplied_reason",
    "note",
    "source",
    "data_return",
    "import_batch",
    "as_at",
    "revision",
    "updated_by",
    "updated_at",
]


@dataclass(frozen=True)
class ObservationInput:
    """One figure to write. ``area_id`` None means the whole partnership; ``value`` None
    means "not supplied" (never zero)."""

    measure_id: int
    area_id: int | None
    period_type: str
    period_start: date
    period_end: date
    value: Decimal | None
    not_supplied_reason: str = ""
    note: str = ""

    @property
    def key(self) -> tuple[int, int | None, str, date]:
        return (self.measure_id, self.area_id, self.period_type, self.period_start)

    @property
    def status(self) -> str:
        if self.value is None:
            return Observation.Status.NOT_SUPPLIED
        return Observation.Status.SUPPLIED


@dataclass
class UpsertResult:
    created: int
    updated: int
    unchanged: int
    changed_observations: list[Observation] = field(default_factory=list, repr=False)


class ApprovedFigureConflict(Exception):
    """An input would change an approved figure and no reason was given.

    ``conflicts`` is a list of (current Observation, ObservationInput) pairs."""

    def __init__(self, conflicts: list[tuple[Observation, ObservationInput]]):
        self.conflicts = conflicts
        super().__init__(
            f"{len(conflicts)} approved figure(s) would change: a correction needs a reason."
        )


def observation_key(observation: Observation) -> tuple[int, int | None, str, date]:
    return (
        observation.measure_id,
        observation.area_id,
        observation.period_type,
        observation.period_start,
    )


def _differs(current: Observation, new: ObservationInput) -> bool:
    return (
        current.status != new.status
        or current.value != new.value
        or current.not_supplied_reason != (new.not_supplied_reason if new.value is None else "")
        or current.note != new.note
        or current.period_end != new.period_end
    )


def observations_existing(
    *, partnership: Partnership, inputs: list[ObservationInput], lock: bool = False
) -> dict[tuple, Observation]:
    """The stored figures matching ``inputs``, by key, read in one query. The filter
    over-selects (a cross product of measures, types and starts) and the dict keeps
    only exact matches."""
    if not inputs:
        return {}
    rows = Observation.objects.filter(
        partnership=partnership,
        measure_id__in={i.measure_id for i in inputs},
        period_type__in={i.period_type for i in inputs},
        period_start__in={i.period_start for i in inputs},
    )
    if lock:
        rows = rows.select_for_update()
    wanted = {i.key for i in inputs}
    return {observation_key(o): o for o in rows if observation_key(o) in wanted}


def observations_upsert(
    *,
    partnership: Partnership,
    inputs: list[ObservationInput],
    source: str,
    user,
    data_return: DataReturn | None = None,
    import_batch=None,
    reason: str = "",
    allow_approved_changes: bool = False,
    as_at: date | None = None,
) -> UpsertResult:
    """Create or update many figures at once.

    Unchanged figures are not rewritten, so re-importing the same figures changes
    nothing. A changed figure gets the next revision number and ``reason`` as its
    history change reason. Raises ``ApprovedFigureConflict`` (writing nothing) when an
    input would change an approved figure, unless ``allow_approved_changes`` and a
    non-empty ``reason`` are both given. Raises ``ValidationError`` for duplicate
    inputs, areas of another partnership or a period ending before it starts.
    """
    reason = reason.strip()
    keys = [i.key for i in inputs]
    if len(set(keys)) != len(keys):
        raise ValidationError("The same figure appears more than once.")
    for item in inputs:
        if item.period_end < item.period_start:
            raise ValidationError("A period cannot end before it starts.")
    area_ids = {i.area_id for i in inputs if i.area_id is not None}
    now = timezone.now()
    as_at = as_at or timezone.localdate()

    with transaction.atomic():
        if area_ids:
            known = set(
                Area.objects.filter(partnership=partnership, id__in=area_ids).values_list(
                    "id", flat=True
                )
            )
            if known != area_ids:
                raise ValidationError("An area does not belong to this partnership.")
        existing = observations_existing(partnership=partnership, inputs=inputs, lock=True)

        to_create: list[Observation] = []
        to_update: list[Observation] = []
        conflicts: list[tuple[Observation, ObservationInput]] = []
        unchanged = 0
        for item in inputs:
            current = existing.get(item.key)
            if current is None:
                to_create.append(
                    Observation(
                        partnership=partnership,
                        measure_id=item.measure_id,
                        area_id=item.area_id,
                        period_type=item.period_type,
                        period_start=item.period_start,
                        period_end=item.period_end,
                        value=item.value,
                        status=item.status,
                        not_supplied_reason=item.not_supplied_reason if item.value is None else "",
                        note=item.note,
                        source=source,
                        data_return=data_return,
                        import_batch=import_batch,
                        as_at=as_at,
                        revision=1,
                        is_approved=False,
                        updated_by=user,
                        updated_at=now,
                    )
                )
                continue
            if not _differs(current, item):
                unchanged += 1
                continue
            if current.is_approved and not (allow_approved_changes and reason):
                conflicts.append((current, item))
                continue
            current.period_end = item.period_end
            current.value = item.value
            current.status = item.status
            current.not_supplied_reason = item.not_supplied_reason if item.value is None else ""
            current.note = item.note
            current.source = source
            current.data_return = data_return or current.data_return
            current.import_batch = import_batch
            current.as_at = as_at
            current.revision += 1
            current.updated_by = user
            current.updated_at = now
            to_update.append(current)

        if conflicts:
            raise ApprovedFigureConflict(conflicts)
        history_user = user if getattr(user, "pk", None) else None
        if to_create:
            bulk_create_with_history(
                to_create,
                Observation,
                default_user=history_user,
                default_change_reason=reason or "Figure entered",
                default_date=now,
            )
        if to_update:
            bulk_update_with_history(
                to_update,
                Observation,
                fields=UPDATE_FIELDS,
                default_user=history_user,
                default_change_reason=reason or "Figure changed",
                default_date=now,
            )
    return UpsertResult(
        created=len(to_create),
        updated=len(to_update),
        unchanged=unchanged,
        changed_observations=to_create + to_update,
    )
