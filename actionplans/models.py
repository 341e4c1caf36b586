"""The Community Safety Action Plan: objectives under the partnership's priorities,
actions with a lead organisation and owner, quarterly updates, and targets tied to
the figures.

A plan belongs to one partnership; everything under it reaches the partnership
through the plan, so every queryset here has a ``for_partnership`` scope and views
never look a row up by primary key alone.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from crimestats.models import Measure
from cspportal.lib.periods import financial_year_label
from cspportal.lib.validation import DateInRange, PublicLink
from cspportal.lib.versioning import Versioned
from partnerships.models import (
    Organisation,
    Partnership,
    PartnershipOwnedQuerySet,
    Priority,
    ThematicGroup,
)

from .quarters import FinancialQuarter


class RagStatus(models.TextChoices):
    """Red/amber/green delivery status (never "Responsible Authorities Group")."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"

    @property
    def meaning(self) -> str:
        return {
            "red": "Red: will not be delivered without intervention",
            "amber": "Amber: at risk, being managed",
            "green": "Green: on track",
        }[self.value]


class ActionPlan(Versioned):
    """A partnership's action plan for a run of financial years."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="action_plans"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    start_year = models.PositiveSmallIntegerField(
        "first financial year",
        validators=[MinValueValidator(2000)],
        help_text="2018 for 2018/19.",
    )
    end_year = models.PositiveSmallIntegerField(
        "last financial year",
        validators=[MinValueValidator(2000)],
        help_text="2018 for 2018/19.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = PartnershipOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "title"],
                name="action_plan_unique_title",
                violation_error_message="This partnership already has a plan with this title.",
            ),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="action_plan_end_not_before_start",
                violation_error_message="The last year cannot be before the first year.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def years_label(self) -> str:
        if self.start_year == self.end_year:
            return financial_year_label(self.start_year)
        return f"{financial_year_label(self.start_year)} to {financial_year_label(self.end_year)}"

    @property
    def start_date(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def end_date(self) -> date:
        return date(self.end_year + 1, 3, 31)


class ObjectiveQuerySet(models.QuerySet):
    def for_partnership(self, partnership: Partnership) -> ObjectiveQuerySet:
        return self.filter(plan__partnership=partnership)


class Objective(Versioned):
    """What the plan means to achieve under one priority, owned by a thematic group."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    priority = models.ForeignKey(
        Priority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objectives",
        help_text="The strategic assessment priority it serves.",
    )
    thematic_group = models.ForeignKey(
        ThematicGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objectives",
        help_text="The group that owns this part of the plan.",
    )
    display_order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        ordering = ["display_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "title"],
                name="objective_unique_title_per_plan",
                violation_error_message="This plan already has an objective with this title.",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ActionQuerySet(models.QuerySet):
    def for_partnership(self, partnership: Partnership) -> ActionQuerySet:
        return self.filter(objective__plan__partnership=partnership)


class Action(Versioned):
    """One thing a lead organisation will do, by a due date. Its status and RAG status
    are the latest reported; the quarterly updates keep how they moved. Whether it is
    overdue is worked out from the due date and status, never typed."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        OFF_TRACK = "off_track", "Off track"
        COMPLETE = "complete", "Complete"
        CANCELLED = "cancelled", "Cancelled"

    FINISHED = (Status.COMPLETE, Status.CANCELLED)

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_actions"
    )
    owner_name = models.CharField(
        "owner",
        max_length=200,
        help_text="The officer or role accountable, like 'Community Safety Officer'.",
    )
    start_date = models.DateField(null=True, blank=True, validators=[DateInRange("Start date")])
    due_date = models.DateField(null=True, blank=True, validators=[DateInRange("Due date")])
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.NOT_STARTED)
    rag_status = models.CharField("RAG status", max_length=5, choices=RagStatus.choices, blank=True)
    is_private = models.BooleanField(
        "private action",
        default=False,
        help_text="A private action never appears in the public action plan summary.",
    )
    display_order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["display_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(due_date__isnull=True)
                | Q(due_date__gte=models.F("start_date")),
                name="action_due_not_before_start",
                violation_error_message="The due date cannot be before the start date.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    def is_overdue_on(self, day: date) -> bool:
        """Past its due date on ``day`` and neither complete nor cancelled."""
        return self.due_date is not None and self.due_date < day and not self.is_finished

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    @property
    def rag(self) -> RagStatus | None:
        return RagStatus(self.rag_status) if self.rag_status else None


class ActionUpdateQuerySet(models.QuerySet):
    def for_partnership(self, partnership: Partnership) -> ActionUpdateQuerySet:
        return self.filter(action__objective__plan__partnership=partnership)


def evidence_upload_to(instance: ActionUpdate, filename: str) -> str:
    return f"action-evidence/{timezone.now():%Y/%m}/{filename}"


class ActionUpdate(Versioned):
    """The lead organisation's report on one action for one financial quarter."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    financial_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000)], help_text="2018 for 2018/19."
    )
    quarter = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text="Q1 April to June, Q2 July to September, Q3 October to December, "
        "Q4 January to March.",
    )
    rag_status = models.CharField("RAG status", max_length=5, choices=RagStatus.choices)
    status = models.CharField("action status", max_length=15, choices=Action.Status.choices)
    narrative = models.TextField("progress")
    evidence_url = models.URLField(
        "link to evidence", max_length=500, blank=True, validators=[PublicLink("Link to evidence")]
    )
    evidence_file = models.FileField(
        "evidence file", upload_to=evidence_upload_to, max_length=300, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = ActionUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["financial_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "financial_year", "quarter"],
                name="action_update_one_per_quarter",
                violation_error_message="There is already an update for this action and quarter.",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="action_update_quarter_1_to_4",
                violation_error_message="The quarter must be 1, 2, 3 or 4.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.period}"

    @property
    def period(self) -> FinancialQuarter:
        return FinancialQuarter(self.financial_year, self.quarter)

    @property
    def rag(self) -> RagStatus:
        return RagStatus(self.rag_status)


def plain_number(value) -> str:
    """5 for 5.0, 2.5 for 2.50: no trailing zeros, never an exponent."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class MeasureTargetQuerySet(models.QuerySet):
    def for_partnership(self, partnership: Partnership) -> MeasureTargetQuerySet:
        return self.filter(
            Q(objective__plan__partnership=partnership)
            | Q(action__objective__plan__partnership=partnership)
        )


class MeasureTarget(Versioned):
    """A measure an objective or action is judged by: "reduce ASB incidents by 5%
    against 2017/18". The figures for the latest financial year to date are compared
    with the same months of the baseline year."""

    class Direction(models.TextChoices):
        REDUCE = "reduce", "Reduce"
        INCREASE = "increase", "Increase"

    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="+")
    baseline_year = models.PositiveSmallIntegerField(
        "baseline financial year",
        validators=[MinValueValidator(2000)],
        help_text="2017 for 2017/18.",
    )
    baseline_value = models.DecimalField(
        "baseline for the whole year",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="As agreed in the plan, for reference. Progress is measured from the "
        "figures for the same months of the baseline year.",
    )
    direction = models.CharField(max_length=10, choices=Direction.choices)
    change_pct = models.DecimalField(
        "by (%)",
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="0 means no worse than the baseline.",
    )
    history = HistoricalRecords()

    objects = MeasureTargetQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(objective__isnull=False, action__isnull=True)
                | Q(objective__isnull=True, action__isnull=False),
                name="measure_target_objective_or_action",
                violation_error_message="A target belongs to an objective or an action, not both.",
            ),
            models.CheckConstraint(
                condition=Q(change_pct__gte=0, change_pct__lte=100),
                name="measure_target_pct_0_to_100",
                violation_error_message="The change must be between 0% and 100%.",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        pct = plain_number(self.change_pct) if self.change_pct is not None else "?"
        baseline = financial_year_label(self.baseline_year) if self.baseline_year else "?"
        measure = self.measure.name if self.measure_id else "?"
        return f"{self.get_direction_display()} {measure} by {pct}% against {baseline}"
