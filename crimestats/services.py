"""Writes to figures: the one bulk upsert that forms, template uploads and importers all
use, and the data return workflow (save, submit, approve, correct).

Every write runs in one transaction and uses a fixed number of queries whatever the
number of figures (COPY on PostgreSQL, ``executemany`` on SQLite), and each change
still gets a history row with who, when and why, exactly as simple-history writes it:
see ``bulk_insert``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from crimestats.bulk_insert import NewRows, create_with_history, insert_history
from crimestats.models import DataRequestSchedule, DataReturn, ImportBatch, Observation
from cspportal.lib.versioning import check_version
from partnerships.models import Area, Organisation, Partnership

if TYPE_CHECKING:
    from accounts.models import User

# What ONS publishes beside its count (see Observation); empty for any other source.
PUBLISHED_FIELDS = [
    "published_rate",
    "published_rate_note",
    "published_pct_change",
    "published_pct_change_note",
]

# The fields an upsert may change on an existing figure.
UPDATE_FIELDS = [
    "period_end",
    "value",
    "status",
    "not_supplied_reason",
    "note",
    *PUBLISHED_FIELDS,
    "source",
    "data_return",
    "import_batch",
    "as_at",
    "revision",
    "updated_by",
    "updated_at",
]

# Fields observations_upsert sets alike on every figure it creates or changes: their
# values are converted for the database once, not once per figure.
SAME_ON_CREATE = [
    "partnership",
    "source",
    "data_return",
    "import_batch",
    "as_at",
    "revision",
    "is_approved",
    "updated_by",
    "updated_at",
]
SAME_ON_UPDATE = ["partnership", "source", "import_batch", "as_at", "updated_by", "updated_at"]


@dataclass(frozen=True)
class ObservationInput:
    """One figure to write. ``area_id`` None means the whole partnership; ``value`` None
    means "not supplied" (never zero). The ``published_*`` fields are what ONS
    publishes beside its own count (only the ONS importer sets them); a figure from
    any other source has none, so it never keeps a rate that ONS published for
    another count."""

    measure_id: int
    area_id: int | None
    period_type: str
    period_start: date
    period_end: date
    value: Decimal | None
    not_supplied_reason: str = ""
    note: str = ""
    published_rate: float | None = None
    published_rate_note: str = ""
    published_pct_change: float | None = None
    published_pct_change_note: str = ""

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
    new_rows: NewRows | None = field(default=None, repr=False)
    updated_observations: list[Observation] = field(default_factory=list, repr=False)

    @cached_property
    def changed_observations(self) -> list[Observation]:
        """The figures created, then those changed, as saved instances. The new ones
        are built when first asked for: an import only counts them."""
        created = self.new_rows.instances() if self.new_rows is not None else []
        return [*cast(list[Observation], created), *self.updated_observations]


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
        or any(getattr(current, name) != getattr(new, name) for name in PUBLISHED_FIELDS)
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
    user: User | None,
    data_return: DataReturn | None = None,
    import_batch: ImportBatch | None = None,
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

        to_create: list[ObservationInput] = []
        to_update: list[Observation] = []
        conflicts: list[tuple[Observation, ObservationInput]] = []
        unchanged = 0
        for item in inputs:
            current = existing.get(item.key)
            if current is None:
                to_create.append(item)
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
            for name in PUBLISHED_FIELDS:
                setattr(current, name, getattr(item, name))
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
        new_rows = None
        if to_create:
            # The values every new figure shares, set (and checked) once on one
            # instance as the ORM sets them on each.
            template = Observation(
                partnership=partnership,
                source=source,
                data_return=data_return,
                import_batch=import_batch,
                as_at=as_at,
                revision=1,
                is_approved=False,
                updated_by=user,
                updated_at=now,
            )
            new_rows = _create_with_history(
                to_create,
                shared=_shared_values(template, SAME_ON_CREATE, check_related=True),
                history_user=history_user,
                reason=reason or "Figure entered",
                now=now,
            )
        if to_update:
            _update_with_history(
                to_update, history_user=history_user, reason=reason or "Figure changed", now=now
            )
    return UpsertResult(
        created=len(to_create),
        updated=len(to_update),
        unchanged=unchanged,
        new_rows=new_rows,
        updated_observations=to_update,
    )


def _shared_values(
    obj: Observation, names: list[str], *, check_related: bool = False
) -> dict[str, Any]:
    """The stored values of ``names`` on ``obj``, by attname (ids for foreign keys).
    With ``check_related``, a related object not saved yet is refused, as
    ``bulk_create`` refuses it."""
    values: dict[str, Any] = {}
    for name in names:
        model_field = cast(models.Field, Observation._meta.get_field(name))
        if check_related and model_field.is_relation:
            related = getattr(obj, name)
            if related is not None and related.pk is None:
                raise ValueError(
                    "bulk_create() prohibited to prevent data loss due to unsaved "
                    f"related object '{name}'."
                )
        values[model_field.attname] = getattr(obj, model_field.attname)
    return values


def _create_with_history(
    items: list[ObservationInput],
    *,
    shared: dict[str, Any],
    history_user: User | None,
    reason: str,
    now: datetime,
) -> NewRows:
    """Insert new figures and a '+' history row for each (see ``bulk_insert``)."""
    columns: dict[str, list[Any]] = {
        "measure_id": [i.measure_id for i in items],
        "area_id": [i.area_id for i in items],
        "period_type": [i.period_type for i in items],
        "period_start": [i.period_start for i in items],
        "period_end": [i.period_end for i in items],
        "value": [i.value for i in items],
        "status": [i.status for i in items],
        "not_supplied_reason": [i.not_supplied_reason if i.value is None else "" for i in items],
        "note": [i.note for i in items],
        **{name: [getattr(i, name) for i in items] for name in PUBLISHED_FIELDS},
    }
    return create_with_history(
        Observation,
        columns,
        shared=shared,
        default_user=history_user,
        default_change_reason=reason,
        default_date=now,
    )


def _update_with_history(
    objs: list[Observation], *, history_user: User | None, reason: str, now: datetime
) -> None:
    """Save changed figures and a '~' history row for each."""
    Observation.objects.bulk_update(objs, fields=UPDATE_FIELDS)
    insert_history(
        Observation,
        objs,
        history_type="~",
        default_user=history_user,
        default_change_reason=reason,
        default_date=now,
        shared=_shared_values(objs[0], SAME_ON_UPDATE),
    )


class ReturnLocked(Exception):
    """The return is approved (or submitted, for an editor): its figures cannot change
    without a correction."""


def data_return_open(
    *,
    partnership: Partnership,
    organisation: Organisation,
    period_type: str,
    period_start: date,
    period_end: date,
) -> DataReturn:
    """The return for this organisation and period, created as a draft if there is none."""
    data_return, _ = DataReturn.objects.get_or_create(
        partnership=partnership,
        organisation=organisation,
        period_type=period_type,
        period_start=period_start,
        defaults={"period_end": period_end},
    )
    return data_return


def _lock_current(data_return: DataReturn, version: int) -> DataReturn:
    """The return's row, locked, if it is still at ``version`` (``EditConflict`` if not)."""
    current = DataReturn.objects.select_for_update().get(pk=data_return.pk)
    check_version(current, current.version, version)
    return current


def _save_return(current: DataReturn, user: User | None, reason: str) -> None:
    current.version += 1
    current._history_user = user  # type: ignore[attr-defined]  # simple-history reads it on save
    current._change_reason = reason  # type: ignore[attr-defined]  # simple-history reads it on save
    current.save()


def data_return_save(
    *,
    data_return: DataReturn,
    inputs: list[ObservationInput],
    # Any, not User | None: the template importer hands on its ``user: object``
    # (crimestats/importers/template.py, not typed here yet).
    user: Any,
    version: int,
    submit: bool = False,
    correction_reason: str = "",
    source: str = Observation.Source.FORM,
    import_batch: ImportBatch | None = None,
) -> UpsertResult:
    """Save the figures of a return as one atomic write, and submit it if asked.

    Refuses with ``EditConflict`` when the return has moved on from ``version`` (a second
    editor working from an older copy), and with ``ReturnLocked`` when the return is
    approved and no correction reason is given. A correction keeps the return approved
    and gives each changed figure a new revision with the reason."""
    correction_reason = correction_reason.strip()
    with transaction.atomic():
        current = _lock_current(data_return, version)
        correcting = current.is_locked
        if correcting and not correction_reason:
            raise ReturnLocked("This return is approved: a correction needs a reason.")
        result = observations_upsert(
            partnership=current.partnership,
            inputs=inputs,
            source=source,
            user=user,
            data_return=current,
            import_batch=import_batch,
            reason=correction_reason,
            allow_approved_changes=correcting,
        )
        created = [o for o in result.changed_observations if not o.is_approved]
        if correcting and created:
            for observation in created:
                observation.is_approved = True
            bulk_update_with_history(
                created,
                Observation,
                fields=["is_approved"],
                default_user=user,
                default_change_reason=correction_reason,
            )
        changed = bool(result.created or result.updated)
        if submit and current.status == DataReturn.Status.DRAFT:
            current.status = DataReturn.Status.SUBMITTED
            current.submitted_by = user
            current.submitted_at = timezone.now()
            _save_return(current, user, "Submitted")
        elif changed:
            _save_return(current, user, correction_reason or "Figures saved")
    data_return.refresh_from_db()
    return result


def data_return_approve(*, data_return: DataReturn, user: User, version: int) -> int:
    """Approve a submitted return, which locks it, and mark every figure in it
    approved (with a history row each, in a fixed number of queries). Returns how many
    figures it approved."""
    from crimestats.selectors import return_measures

    with transaction.atomic():
        current = _lock_current(data_return, version)
        if current.status != DataReturn.Status.SUBMITTED:
            raise ValidationError("Only a submitted return can be approved.")
        measures = return_measures(current)
        figures = list(
            Observation.objects.select_for_update().filter(
                partnership_id=current.partnership_id,
                measure__in=measures,
                period_type=current.period_type,
                period_start=current.period_start,
                is_approved=False,
            )
        )
        now = timezone.now()
        for figure in figures:
            figure.is_approved = True
        if figures:
            bulk_update_with_history(
                figures,
                Observation,
                fields=["is_approved"],
                default_user=user,
                default_change_reason="Return approved",
                default_date=now,
            )
        current.status = DataReturn.Status.APPROVED
        current.approved_by = user
        current.approved_at = now
        _save_return(current, user, "Approved")
    data_return.refresh_from_db()
    return len(figures)


def data_return_send_back(*, data_return: DataReturn, user: User, version: int) -> None:
    """Return a submitted return to draft so its supplier can change it."""
    with transaction.atomic():
        current = _lock_current(data_return, version)
        if current.status != DataReturn.Status.SUBMITTED:
            raise ValidationError("Only a submitted return can be sent back.")
        current.status = DataReturn.Status.DRAFT
        _save_return(current, user, "Sent back to draft")
    data_return.refresh_from_db()


def partnership_measures_set(
    *,
    partnership: Partnership,
    choices: dict[int, tuple[int | None, bool]],
    allowed_suppliers: set[int],
) -> dict[str, int]:
    """Make the partnership report exactly the measures in ``choices`` ({measure id:
    (supplier id or None, headline)}). Figures already stored are kept when a measure
    is dropped. Returns how many were added, changed and removed."""
    from crimestats.models import PartnershipMeasure

    for supplier, _ in choices.values():
        if supplier is not None and supplier not in allowed_suppliers:
            raise ValidationError("The supplier must be a member organisation.")
    with transaction.atomic():
        current = {
            pm.measure_id: pm
            for pm in PartnershipMeasure.objects.select_for_update().filter(partnership=partnership)
        }
        added = changed = removed = 0
        for measure_id, (supplier, headline) in choices.items():
            pm = current.get(measure_id)
            if pm is None:
                PartnershipMeasure.objects.create(
                    partnership=partnership,
                    measure_id=measure_id,
                    supplier_id=supplier,
                    is_headline=headline,
                )
                added += 1
            elif pm.supplier_id != supplier or pm.is_headline != headline:
                pm.supplier_id, pm.is_headline = supplier, headline
                pm.save()
                changed += 1
        for measure_id, pm in current.items():
            if measure_id not in choices:
                pm.delete()
                removed += 1
    return {"added": added, "changed": changed, "removed": removed}


def data_request_schedule_set(
    *, partnership: Partnership, due_working_days: int, reminder_working_days: int
) -> DataRequestSchedule:
    """Save when the partnership's quarterly figures are due and when suppliers are
    reminded (crimestats/data_requests.py reads them)."""
    with transaction.atomic():
        schedule = (
            DataRequestSchedule.objects.select_for_update().filter(partnership=partnership).first()
        ) or DataRequestSchedule(partnership=partnership)
        schedule.due_working_days = due_working_days
        schedule.reminder_working_days = reminder_working_days
        schedule.full_clean()
        schedule.save()
    return schedule
