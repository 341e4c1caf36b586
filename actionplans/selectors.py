"""Reads of action plans, always scoped to one partnership, in a fixed number of
queries whatever the size of the plan."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeAlias

from django.db.models import Case, Field, IntegerField, Model, Prefetch, Q, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from actionplans.models import (
    Action,
    ActionPlan,
    ActionUpdate,
    MeasureTarget,
    Objective,
    RagStatus,
    plain_number,
)
from actionplans.quarters import FinancialQuarter, quarters_between
from actionplans.targets import Figure, TargetEvaluation, compare_year_to_date, evaluate_target
from crimestats.models import Measure, Observation
from cspportal.lib.periods import PeriodType
from partnerships.models import Partnership
from partnerships.selectors import FieldChange, FieldValue, HistoricalRow, HistoryEntry

NOT_RATED = "Not yet rated"
# Keyed by str as well as Frequency: ``Measure.frequency`` reads back as a plain str.
_PERIOD_TYPES: dict[str, PeriodType] = {
    Measure.Frequency.MONTHLY: PeriodType.MONTH,
    Measure.Frequency.QUARTERLY: PeriodType.QUARTER,
    Measure.Frequency.ANNUAL: PeriodType.FINANCIAL_YEAR,
}


def plans_for_partnership(partnership: Partnership) -> list[ActionPlan]:
    return list(ActionPlan.objects.filter(partnership=partnership).order_by("-start_year", "title"))


def plan_for(partnership: Partnership, pk: int) -> ActionPlan:
    return get_object_or_404(
        ActionPlan.objects.select_related("partnership"), partnership=partnership, pk=pk
    )


def objective_for(partnership: Partnership, pk: int) -> Objective:
    return get_object_or_404(
        Objective.objects.for_partnership(partnership).select_related("plan"), pk=pk
    )


def action_for(partnership: Partnership, pk: int) -> Action:
    return get_object_or_404(
        Action.objects.for_partnership(partnership).select_related(
            "objective__plan",
            "objective__priority",
            "objective__thematic_group",
            "lead_organisation",
        ),
        pk=pk,
    )


def update_for(partnership: Partnership, pk: int) -> ActionUpdate:
    return get_object_or_404(
        ActionUpdate.objects.for_partnership(partnership).select_related("action"), pk=pk
    )


def target_for(partnership: Partnership, pk: int) -> MeasureTarget:
    return get_object_or_404(
        MeasureTarget.objects.for_partnership(partnership).select_related(
            "measure", "objective__plan", "action__objective__plan"
        ),
        pk=pk,
    )


def action_history(action: Action) -> list[ActionUpdate]:
    """Every quarterly update on an action, oldest first, with its author."""
    return list(action.updates.select_related("author").order_by("financial_year", "quarter"))


# --- The plan's progress -------------------------------------------------------------


@dataclass(frozen=True)
class TargetRow:
    target: MeasureTarget
    evaluation: TargetEvaluation

    @property
    def owner(self) -> str:
        return str(self.target.action or self.target.objective)


@dataclass
class ActionRow:
    """An action as the plan page and the report show it, judged as at one day."""

    action: Action
    objective: Objective
    updates: list[ActionUpdate]
    is_overdue: bool
    missing_update: bool
    quarter: FinancialQuarter
    targets: list[TargetRow] = field(default_factory=list)

    @property
    def latest_update(self) -> ActionUpdate | None:
        return self.updates[-1] if self.updates else None

    @property
    def reasons(self) -> list[str]:
        """Why the action is an exception, most serious first."""
        reasons = []
        if not self.action.is_finished:
            if self.action.rag_status == RagStatus.RED:
                reasons.append("RAG status red")
            elif self.action.rag_status == RagStatus.AMBER:
                reasons.append("RAG status amber")
        if self.is_overdue:
            reasons.append("Overdue")
        if self.missing_update:
            reasons.append(f"No update for {self.quarter.label}")
        return reasons

    @property
    def is_exception(self) -> bool:
        return bool(self.reasons)

    @property
    def severity(self) -> tuple[int, bool, bool]:
        rag_ranks: dict[str, int] = {RagStatus.RED: 0, RagStatus.AMBER: 1}
        rag_rank = rag_ranks.get(self.action.rag_status, 2)
        return (rag_rank, not self.is_overdue, not self.missing_update)


@dataclass
class RagCounts:
    """Counts of actions by RAG status for one priority or thematic group (cancelled
    actions are left out)."""

    label: str
    red: int = 0
    amber: int = 0
    green: int = 0
    not_rated: int = 0
    complete: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.red + self.amber + self.green + self.not_rated

    def add(self, row: ActionRow) -> None:
        action = row.action
        if action.status == Action.Status.CANCELLED:
            return
        rag = action.rag_status or ""
        if rag == RagStatus.RED:
            self.red += 1
        elif rag == RagStatus.AMBER:
            self.amber += 1
        elif rag == RagStatus.GREEN:
            self.green += 1
        else:
            self.not_rated += 1
        if action.status == Action.Status.COMPLETE:
            self.complete += 1
        if row.is_overdue:
            self.overdue += 1


@dataclass
class ObjectiveRow:
    objective: Objective
    actions: list[ActionRow]
    targets: list[TargetRow]


@dataclass
class PlanProgress:
    """A plan's position as at one day: what the plan page, the export and the
    scrutiny report show. ``quarter`` is the quarter whose update each action owes."""

    plan: ActionPlan
    as_of: date
    quarter: FinancialQuarter
    objectives: list[ObjectiveRow]
    by_priority: list[RagCounts]
    by_group: list[RagCounts]
    totals: RagCounts
    exceptions: list[ActionRow]
    targets: list[TargetRow]
    quarters: list[FinancialQuarter]

    @property
    def actions(self) -> list[ActionRow]:
        return [row for objective in self.objectives for row in objective.actions]

    @property
    def cancelled(self) -> int:
        return sum(1 for row in self.actions if row.action.status == Action.Status.CANCELLED)


def progress_date(plan: ActionPlan, today: date | None = None) -> date:
    """The day a plan is judged at: today, or the plan's last day once it has ended
    (a 2018/19 plan read in 2026 is shown as it stood on 31 March 2019)."""
    today = today or timezone.localdate()
    return min(today, plan.end_date)


def plan_progress_for_plan(plan: ActionPlan, as_of: date | None = None) -> PlanProgress:
    """Everything about one plan as at ``as_of`` (default: ``progress_date``), in
    seven queries: objectives, actions, updates, the two kinds of targets, and one
    query for all the figures the targets need."""
    as_of = as_of or progress_date(plan)
    quarter = FinancialQuarter.of(as_of)
    objectives = list(
        plan.objectives.select_related("priority", "thematic_group")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("lead_organisation").prefetch_related(
                    Prefetch(
                        "updates",
                        queryset=ActionUpdate.objects.select_related("author").order_by(
                            "financial_year", "quarter"
                        ),
                    ),
                    Prefetch("targets", queryset=MeasureTarget.objects.select_related("measure")),
                ),
            ),
            Prefetch("targets", queryset=MeasureTarget.objects.select_related("measure")),
        )
        .order_by("display_order", "id")
    )
    all_targets = [t for o in objectives for t in o.targets.all()] + [
        t for o in objectives for a in o.actions.all() for t in a.targets.all()
    ]
    evaluations = evaluate_targets(plan.partnership, all_targets, as_of)

    plan_started = as_of >= plan.start_date
    objective_rows = []
    for objective in objectives:
        rows = []
        for action in objective.actions.all():
            updates = [u for u in action.updates.all() if u.period <= quarter]
            started = action.start_date is None or action.start_date <= as_of
            has_update = any(u.period == quarter for u in updates)
            rows.append(
                ActionRow(
                    action=action,
                    objective=objective,
                    updates=updates,
                    is_overdue=action.is_overdue_on(as_of),
                    missing_update=(
                        plan_started
                        and plan.status != ActionPlan.Status.DRAFT
                        and started
                        and not action.is_finished
                        and not has_update
                    ),
                    quarter=quarter,
                    targets=[TargetRow(t, evaluations[t.pk]) for t in action.targets.all()],
                )
            )
        objective_rows.append(
            ObjectiveRow(
                objective=objective,
                actions=rows,
                targets=[TargetRow(t, evaluations[t.pk]) for t in objective.targets.all()],
            )
        )

    by_priority: dict[str, RagCounts] = {}
    by_group: dict[str, RagCounts] = {}
    totals = RagCounts("All actions")
    for objective_row in objective_rows:
        objective = objective_row.objective
        priority = objective.priority.name if objective.priority else "No priority"
        group = objective.thematic_group.name if objective.thematic_group else "No thematic group"
        for row in objective_row.actions:
            by_priority.setdefault(priority, RagCounts(priority)).add(row)
            by_group.setdefault(group, RagCounts(group)).add(row)
            totals.add(row)
    action_rows = [row for o in objective_rows for row in o.actions]
    exceptions = sorted((row for row in action_rows if row.is_exception), key=lambda r: r.severity)
    first_quarter = FinancialQuarter(plan.start_year, 1)
    return PlanProgress(
        plan=plan,
        as_of=as_of,
        quarter=quarter,
        objectives=objective_rows,
        by_priority=sorted(by_priority.values(), key=lambda c: c.label),
        by_group=sorted(by_group.values(), key=lambda c: c.label),
        totals=totals,
        exceptions=exceptions,
        targets=[TargetRow(t, evaluations[t.pk]) for t in all_targets],
        quarters=quarters_between(first_quarter, quarter),
    )


def plan_progress(partnership: Partnership, as_of: date) -> PlanProgress | None:
    """The progress of the partnership's plan that covers ``as_of``, for reports:
    an active plan first, else the most recent closed one; drafts never. None when
    no plan covers that day. Eight queries."""
    fy = FinancialQuarter.of(as_of).year
    plan = (
        ActionPlan.objects.filter(partnership=partnership, start_year__lte=fy, end_year__gte=fy)
        .exclude(status=ActionPlan.Status.DRAFT)
        .select_related("partnership")
        .annotate(
            active_first=Case(
                When(status=ActionPlan.Status.ACTIVE, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("active_first", "-start_year", "title")
        .first()
    )
    if plan is None:
        return None
    return plan_progress_for_plan(plan, as_of)


def evaluate_targets(
    partnership: Partnership, targets: list[MeasureTarget], as_of: date
) -> dict[int, TargetEvaluation]:
    """Each target judged from the partnership's monthly figures up to ``as_of``,
    reading every figure needed in one query (and one to count the areas)."""
    if not targets:
        return {}
    earliest = min(t.baseline_year for t in targets)
    frequency = {t.measure_id: t.measure.frequency for t in targets}
    figures: dict[int, list[Figure]] = defaultdict(list)
    rows = Observation.objects.filter(
        partnership=partnership,
        measure_id__in=frequency,
        period_type__in=list(_PERIOD_TYPES.values()),
        period_start__gte=date(earliest, 4, 1),
        period_end__lte=as_of,
    ).values_list("measure_id", "period_type", "area__name", "period_start", "value", "status")
    for measure_id, period_type, area_name, start, value, status in rows:
        # Each measure is judged on figures of its own frequency only.
        if _PERIOD_TYPES[frequency[measure_id]] != period_type:
            continue
        supplied = status == Observation.Status.SUPPLIED
        figures[measure_id].append(Figure(start, area_name, value if supplied else None))
    area_count = partnership.areas.count()
    results = {}
    for target in targets:
        measure = target.measure
        comparison = compare_year_to_date(
            figures[measure.pk],
            baseline_year=target.baseline_year,
            aggregation=measure.aggregation,
            additive=measure.is_additive,
            area_count=area_count,
            as_of=as_of,
            frequency=measure.frequency,
        )
        results[target.pk] = evaluate_target(
            baseline=comparison.baseline,
            current=comparison.current,
            direction=target.direction,
            change_pct=target.change_pct,
            is_count=measure.is_count,
            period_label=comparison.period_label,
            notes=comparison.notes,
        )
    return results


def action_targets(partnership: Partnership, action: Action) -> list[TargetRow]:
    """An action's targets, judged as at the plan's progress date."""
    targets = list(action.targets.select_related("measure"))
    evaluations = evaluate_targets(partnership, targets, progress_date(action.objective.plan))
    return [TargetRow(t, evaluations[t.pk]) for t in targets]


# --- The audit trail -------------------------------------------------------------------

_HIDDEN_FIELDS = {
    "id",
    "version",
    "updated_at",
    "created_at",
    "display_order",
    "plan",
    "objective",
    "action",
}


def plan_history(plan: ActionPlan, limit: int = 300) -> list[HistoryEntry]:
    """Every recorded change to a plan and everything in it (objectives, actions,
    quarterly updates, targets), newest first, with who made it and what changed.
    Deleted rows stay in the trail. Ten queries whatever the size of the plan."""
    objective_rows = list(Objective.history.filter(plan_id=plan.pk).select_related("history_user"))
    objective_ids = {row.id for row in objective_rows}
    action_rows = list(
        Action.history.filter(objective_id__in=objective_ids).select_related("history_user")
    )
    action_ids = {row.id for row in action_rows}
    sources = [
        ("Plan", list(ActionPlan.history.filter(id=plan.pk).select_related("history_user"))),
        ("Objective", objective_rows),
        ("Action", action_rows),
        (
            "Quarterly update",
            list(
                ActionUpdate.history.filter(action_id__in=action_ids).select_related("history_user")
            ),
        ),
        (
            "Target",
            list(
                MeasureTarget.history.filter(
                    Q(objective_id__in=objective_ids) | Q(action_id__in=action_ids)
                ).select_related("history_user")
            ),
        ),
    ]
    names = _related_names(sources)
    action_titles = {row.id: row.title for row in sorted(action_rows, key=lambda r: r.history_date)}
    entries = []
    for label, rows in sources:
        model = rows[0].instance_type if rows else None
        if model is None:
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.name not in _HIDDEN_FIELDS and not f.name.startswith("history")
        ]
        previous: dict[int, dict[str, FieldValue]] = {}
        for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
            values = {f.attname: getattr(row, f.attname) for f in fields}
            before = previous.get(row.id)
            previous[row.id] = values
            changes = []
            if row.history_type == "~" and before is not None:
                changes = [
                    FieldChange(
                        _sentence_case(str(f.verbose_name)),
                        _shown(f, before[f.attname], names),
                        _shown(f, values[f.attname], names),
                    )
                    for f in fields
                    if before[f.attname] != values[f.attname]
                ]
                if not changes:
                    continue
            user = row.history_user
            entries.append(
                HistoryEntry(
                    when=row.history_date,
                    who=(user.full_name or user.email) if user else "System",
                    action={"+": "Created", "~": "Changed", "-": "Deleted"}[row.history_type],
                    record_type=label,
                    record=_history_record_name(label, row, names, action_titles),
                    changes=changes,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


# The display name of a related record, by its model and primary key.
_RelatedNames: TypeAlias = dict[tuple[type[Model], int], str]


def _related_names(sources: list[tuple[str, list[HistoricalRow]]]) -> _RelatedNames:
    """Names of the organisations, priorities, groups and measures the trail mentions,
    one query per kind."""
    wanted: dict[type[Model], set[int]] = defaultdict(set)
    for _, rows in sources:
        for row in rows:
            for f in row.instance_type._meta.concrete_fields:
                if f.is_relation and f.name not in _HIDDEN_FIELDS and f.name != "author":
                    value = getattr(row, f.attname)
                    if value is not None:
                        wanted[f.related_model].add(value)
    names: _RelatedNames = {}
    for model, ids in wanted.items():
        for pk, obj in model._default_manager.in_bulk(ids).items():
            names[(model, pk)] = str(obj)
    return names


def _sentence_case(text: str) -> str:
    """ "RAG status" stays as it is; "lead organisation" becomes "Lead organisation"."""
    return text[:1].upper() + text[1:]


def _shown(field: Field[Any, Any], value: FieldValue, names: _RelatedNames) -> str:
    if value is None or value == "":
        return "(blank)"
    if field.is_relation:
        # Every concrete relation field points at a model once the app registry is ready.
        assert field.related_model is not None
        return names.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def _history_record_name(
    label: str, row: HistoricalRow, names: _RelatedNames, action_titles: dict[int, str]
) -> str:
    if label == "Quarterly update":
        quarter = FinancialQuarter(row.financial_year, row.quarter).label
        return f"{action_titles.get(row.action_id, 'an action')}, {quarter}"
    if label == "Target":
        measure = names.get((Measure, row.measure_id), "a measure")
        return f"{row.get_direction_display()} {measure} by {plain_number(row.change_pct)}%"
    return row.title
