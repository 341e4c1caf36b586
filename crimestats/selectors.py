"""Reads of measures, data returns and figures, always scoped to one partnership."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from crimestats.models import DataReturn, Measure, Observation, PartnershipMeasure
from cspportal.lib.periods import (
    PeriodType,
    financial_year_of,
)
from cspportal.lib.versioning import ChangeSince, FieldChange, who
from partnerships.models import Area, Organisation, Partnership
from partnerships.selectors import PartnershipAccess

# Recorded crime on today's National Crime Recording Standard starts in April 2002:
# no partnership reports figures for earlier periods.
EARLIEST_FINANCIAL_YEAR = 2002

FREQUENCY_FOR_PERIOD = {
    PeriodType.MONTH: Measure.Frequency.MONTHLY,
    PeriodType.QUARTER: Measure.Frequency.QUARTERLY,
    PeriodType.FINANCIAL_YEAR: Measure.Frequency.ANNUAL,
}


def reporting_years(today: date | None = None) -> tuple[int, int]:
    """The first and last financial years a partnership can enter figures for: from
    2002/03 to the current financial year."""
    today = today or timezone.localdate()
    return EARLIEST_FINANCIAL_YEAR, financial_year_of(today)


def partnership_measures(partnership: Partnership) -> list[PartnershipMeasure]:
    return list(
        PartnershipMeasure.objects.filter(partnership=partnership).select_related(
            "measure", "supplier"
        )
    )


def catalogue() -> list[Measure]:
    return list(Measure.objects.filter(is_active=True).select_related("parent"))


def return_measures(data_return: DataReturn) -> list[Measure]:
    """The measures in a return: those its organisation supplies to the partnership,
    at the return's frequency."""
    rows = PartnershipMeasure.objects.filter(
        partnership_id=data_return.partnership_id,
        measure__frequency=FREQUENCY_FOR_PERIOD[PeriodType(data_return.period_type)],
        measure__is_active=True,
    ).select_related("measure__parent")
    if data_return.organisation_id is None:
        rows = rows.filter(supplier__isnull=True)
    else:
        rows = rows.filter(supplier_id=data_return.organisation_id)
    return [row.measure for row in rows]


def return_observations(
    data_return: DataReturn, measures: list[Measure]
) -> dict[tuple[int, int | None], Observation]:
    """The stored figures for a return's measures and period, by (measure, area)."""
    rows = Observation.objects.filter(
        partnership_id=data_return.partnership_id,
        measure__in=measures,
        period_type=data_return.period_type,
        period_start=data_return.period_start,
    )
    return {(o.measure_id, o.area_id): o for o in rows}


def data_return_for_access(access: PartnershipAccess, pk: int) -> DataReturn:
    return get_object_or_404(
        DataReturn.objects.select_related(
            "organisation", "submitted_by", "approved_by", "partnership"
        ),
        pk=pk,
        partnership=access.partnership,
    )


def can_edit_return(access: PartnershipAccess, data_return: DataReturn) -> bool:
    """Managers edit any return; editors only their own organisation's."""
    if access.is_manager:
        return True
    return (
        access.is_editor
        and access.organisation is not None
        and data_return.organisation_id == access.organisation.pk
    )


def data_returns(partnership: Partnership, limit: int = 200) -> list[DataReturn]:
    return list(
        DataReturn.objects.filter(partnership=partnership)
        .select_related("organisation")
        .order_by("-period_start", "period_type", "organisation__name")[:limit]
    )


def supplier_organisations(partnership: Partnership) -> list[Organisation]:
    ids = PartnershipMeasure.objects.filter(partnership=partnership, supplier__isnull=False).values(
        "supplier_id"
    )
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def partnership_areas(partnership: Partnership) -> list[Area]:
    return list(Area.objects.filter(partnership=partnership).order_by("name"))


@dataclass(frozen=True)
class FigureRevision:
    revision: int
    value: object
    status: str
    not_supplied_reason: str
    note: str
    source: str
    is_approved: bool
    who: str
    when: datetime
    why: str


def observation_for_access(access: PartnershipAccess, pk: int) -> Observation:
    return get_object_or_404(
        Observation.objects.select_related("measure", "area", "data_return"),
        pk=pk,
        partnership=access.partnership,
    )


def observation_history(observation: Observation) -> list[FigureRevision]:
    """Every value the figure has had, newest first, with who, when and why."""
    rows = observation.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )
    sources = dict(Observation.Source.choices)
    return [
        FigureRevision(
            revision=row.revision,
            value=row.value,
            status=row.status,
            not_supplied_reason=row.not_supplied_reason,
            note=row.note,
            source=sources.get(row.source, row.source),
            is_approved=row.is_approved,
            who=str(row.history_user) if row.history_user else "The system",
            when=row.history_date,
            why=row.history_change_reason or "",
        )
        for row in rows
    ]


def return_changes_since(
    data_return: DataReturn, version: int, measures: list[Measure]
) -> list[ChangeSince]:
    """What others changed in a return after the version a user started from, oldest
    first: each figure rewritten (measure and area, from what to what) and each move
    of the status, one entry per save."""
    baseline = data_return.history.filter(version__lte=version).order_by("-history_date").first()
    if baseline is None:
        return []
    since = baseline.history_date
    areas = {a.pk: a.name for a in Area.objects.filter(partnership=data_return.partnership_id)}
    names = {m.pk: m.name for m in measures}
    figure_rows = list(
        Observation.history.filter(
            partnership_id=data_return.partnership_id,
            measure_id__in=names,
            period_type=data_return.period_type,
            period_start=data_return.period_start,
            history_date__gt=since,
        )
        .filter(Q(history_type="+") | Q(history_type="~"))
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    before = _figures_before(figure_rows, since)
    edits: list[tuple[Any, datetime, FieldChange]] = []
    for row in figure_rows:
        where = areas.get(row.area_id, "whole partnership")
        key = (row.measure_id, row.area_id)
        edits.append(
            (
                row.history_user,
                row.history_date,
                FieldChange(
                    label=f"{names[row.measure_id]}, {where}",
                    old=before.get(key, "(blank)"),
                    new=_figure_shown(row),
                ),
            )
        )
        before[key] = _figure_shown(row)
    previous_status = baseline.status
    status_rows = (
        data_return.history.filter(version__gt=version)
        .select_related("history_user")
        .order_by("history_date")
    )
    for row in status_rows:
        if row.status != previous_status:
            edits.append(
                (
                    row.history_user,
                    row.history_date,
                    FieldChange(
                        label="Status",
                        old=DataReturn.Status(previous_status).label,
                        new=DataReturn.Status(row.status).label,
                    ),
                )
            )
        previous_status = row.status
    edits.sort(key=lambda edit: edit[1])
    changes: list[ChangeSince] = []
    for user, when, field in edits:
        # One save writes its figures and the return's status within the same moment.
        last = changes[-1] if changes else None
        if last and last.who == who(user) and (when - last.when).total_seconds() < 2:
            last.fields.append(field)
        else:
            changes.append(ChangeSince(who=who(user), when=when, fields=[field]))
    return changes


def _figure_shown(row: Any) -> str:
    value = "not supplied" if row.value is None else f"{row.value.normalize():f}"
    return value + (f" (note: {row.note})" if row.note else "")


def _figures_before(rows: list[Any], since: datetime) -> dict[tuple[int, int | None], str]:
    """Each figure's value as it stood at ``since``, for the figures ``rows`` rewrote."""
    if not rows:
        return {}
    earlier = Observation.history.filter(
        id__in={row.id for row in rows}, history_date__lte=since
    ).order_by("history_date", "history_id")
    return {(row.measure_id, row.area_id): _figure_shown(row) for row in earlier}
