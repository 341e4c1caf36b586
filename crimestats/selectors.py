"""Reads of measures, data returns and figures, always scoped to one partnership."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from operator import or_
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from crimestats.models import DataReturn, Measure, Observation, PartnershipMeasure
from cspportal.lib.periods import (
    PeriodType,
    figure_period_label,
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


MANAGERS = "managers"
"""The organisation filter's value for the returns partnership managers fill in."""

MANAGERS_NAME = "Partnership managers"
PERIODS_PER_PAGE = 10
TO_DO_LIMIT = 10


@dataclass(frozen=True)
class ReturnRow:
    """One return as the figures page lists it."""

    data_return: DataReturn
    period: str
    supplier: str

    @property
    def name(self) -> str:
        """What names this return uniquely in the partnership: "Q1 2017/18 (April to
        June 2017): Testshire Police"."""
        return f"{self.period}: {self.supplier}"


@dataclass(frozen=True)
class PeriodGroup:
    period: str
    rows: list[ReturnRow]


@dataclass(frozen=True)
class ReturnsPage:
    """One page of the partnership's returns, grouped by period, newest first."""

    groups: list[PeriodGroup]
    page: Page
    return_count: int

    @property
    def period_count(self) -> int:
        return self.page.paginator.count


@dataclass(frozen=True)
class ToDo:
    """What the signed-in user has to do: ``rows`` (at most ``TO_DO_LIMIT``) and
    whether there are more."""

    rows: list[ReturnRow]
    has_more: bool


def supplier_name(data_return: DataReturn) -> str:
    return data_return.organisation.name if data_return.organisation else MANAGERS_NAME


def _row(data_return: DataReturn) -> ReturnRow:
    return ReturnRow(
        data_return=data_return,
        period=figure_period_label(data_return.period_type, data_return.period_start),
        supplier=supplier_name(data_return),
    )


def _listed(queryset: QuerySet[DataReturn]) -> QuerySet[DataReturn]:
    """Newest period first (the one that ended last; of periods ending together the
    longest first: the year, then its last quarter, then its last month)."""
    return queryset.select_related("organisation").order_by(
        "-period_end",
        "period_start",
        F("organisation__name").asc(nulls_last=True),
    )


def _to_do(queryset: QuerySet[DataReturn]) -> ToDo:
    found = [_row(r) for r in _listed(queryset)[: TO_DO_LIMIT + 1]]
    return ToDo(rows=found[:TO_DO_LIMIT], has_more=len(found) > TO_DO_LIMIT)


def returns_to_fill_in(access: PartnershipAccess) -> ToDo:
    """The draft returns the user fills in: an editor's organisation's; a manager's
    organisation's and the partnership managers' own. A viewer fills in none."""
    if not access.is_editor:
        return ToDo(rows=[], has_more=False)
    drafts = DataReturn.objects.filter(
        partnership=access.partnership, status=DataReturn.Status.DRAFT
    )
    mine = Q(organisation=access.organisation) if access.organisation else Q(pk__in=[])
    if access.is_manager:
        mine |= Q(organisation__isnull=True)
    elif access.organisation is None:
        return ToDo(rows=[], has_more=False)
    return _to_do(drafts.filter(mine))


def returns_to_approve(access: PartnershipAccess) -> ToDo:
    """For a manager, every submitted return waiting for approval."""
    if not access.is_manager:
        return ToDo(rows=[], has_more=False)
    return _to_do(
        DataReturn.objects.filter(
            partnership=access.partnership, status=DataReturn.Status.SUBMITTED
        )
    )


def return_suppliers(partnership: Partnership) -> list[tuple[str, str]]:
    """The organisation filter's choices: every organisation with a return here, by
    name, then the partnership managers if they have one. One query."""
    found = list(
        DataReturn.objects.filter(partnership=partnership)
        # No ordering: the model's would add a column and repeat each organisation.
        .order_by()
        .values_list("organisation_id", "organisation__name")
        .distinct()
    )
    named = sorted((name, str(pk)) for pk, name in found if pk is not None)
    choices = [(pk, name) for name, pk in named]
    if any(pk is None for pk, _ in found):
        choices.append((MANAGERS, MANAGERS_NAME))
    return choices


def returns_by_period(
    partnership: Partnership,
    *,
    supplier: str = "",
    status: str = "",
    page_number: int | str | None = 1,
    per_page: int = PERIODS_PER_PAGE,
) -> ReturnsPage:
    """The partnership's returns, filtered by ``supplier`` (an organisation's id or
    ``MANAGERS``) and ``status``, grouped by period, a page of periods at a time.
    A page number that is not a number reads as the first page, one past the end as
    the last (``Paginator.get_page``). Four queries, however many returns."""
    returns = DataReturn.objects.filter(partnership=partnership)
    if supplier == MANAGERS:
        returns = returns.filter(organisation__isnull=True)
    elif supplier:
        returns = returns.filter(organisation_id=int(supplier))
    if status:
        returns = returns.filter(status=status)
    periods = (
        returns.order_by("-period_end", "period_start", "period_type")
        .values_list("period_type", "period_start", "period_end")
        .distinct()
    )
    page = Paginator(periods, per_page).get_page(page_number)
    keys = [(period_type, start) for period_type, start, _ in page.object_list]
    groups: list[PeriodGroup] = []
    count = 0
    if keys:
        count = returns.count()
        wanted = reduce(or_, (Q(period_type=t, period_start=start) for t, start in keys))
        by_period: dict[tuple[str, date], list[ReturnRow]] = {key: [] for key in keys}
        for data_return in _listed(returns.filter(wanted)):
            by_period[(data_return.period_type, data_return.period_start)].append(_row(data_return))
        groups = [
            PeriodGroup(period=figure_period_label(*key), rows=rows)
            for key, rows in by_period.items()
        ]
    return ReturnsPage(groups=groups, page=page, return_count=count)


def read_only_reason(access: PartnershipAccess, data_return: DataReturn) -> list[str]:
    """Why this user sees a return they cannot change, in the order they need it:
    who fills it in, then what stops them. Empty for a user who can change it."""
    supplier = supplier_name(data_return)
    fills = "fill in" if data_return.organisation is None else "fills in"
    who_fills = f"{supplier} {fills} this return."
    if access.is_manager:
        return []
    if data_return.status == DataReturn.Status.APPROVED:
        return [who_fills, "This return is approved and locked: only a manager can correct it."]
    if not can_edit_return(access, data_return):
        if not access.is_editor:
            return [who_fills, "You are a viewer: you can read the figures but not change them."]
        if access.organisation is None:
            return [
                who_fills,
                "You are an editor with no organisation in this partnership: "
                "a manager can set your organisation.",
            ]
        return [
            who_fills,
            f"You are an editor for {access.organisation.name}: you change only "
            f"{access.organisation.name}'s returns.",
        ]
    if data_return.status == DataReturn.Status.SUBMITTED:
        return [
            who_fills,
            "It has been submitted for approval: a manager approves it, or sends it back "
            "to draft for changes.",
        ]
    return []


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
