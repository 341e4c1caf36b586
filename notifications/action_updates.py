"""Action-update emails. A quarter's action updates are due on the same timetable as
its figures (crimestats/data_requests.py: so many working days after the quarter
ends): from the reminder day to the due date, the editors of each organisation that
leads an action with no update for the quarter are reminded, once, with how many
actions. And the lead organisation's editors are told, once, when an action becomes
overdue."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.urls import reverse

from actionplans.models import Action, ActionPlan, ActionUpdate
from crimestats.data_requests import RequestDates, request_dates, request_quarter, schedules_for
from cspportal.lib import formats
from cspportal.lib.periods import quarter_label, quarter_of
from notifications.due import Due
from notifications.models import Kind
from notifications.recipients import recipients
from partnerships.models import Partnership, PartnershipRole

# An action is told about becoming overdue within this many days of its due date; one
# that went overdue longer ago (before reminders were switched on, or while they were
# stopped) is on the plan page's exceptions, not emailed.
OVERDUE_WINDOW = timedelta(days=14)


def _update_reminder(
    partnership: Partnership,
    plan: ActionPlan,
    actions: list[Action],
    dates: RequestDates,
    role: PartnershipRole,
) -> Due:
    organisation = actions[0].lead_organisation
    count = len(actions)
    quarter = quarter_label(*quarter_of(dates.quarter.start))
    due = formats.uk_date(dates.due)
    plural = "s" if count != 1 else ""
    return Due(
        user_id=role.user.pk,
        email=role.user.email,
        partnership=partnership,
        kind=Kind.ACTION_UPDATES,
        reason_key=(
            f"action-update-reminder:plan={plan.pk}:organisation={organisation.pk}:"
            f"quarter={dates.key}"
        ),
        subject=(
            f"{partnership.name}: updates on {count} action{plural} for {quarter} are due {due}"
        ),
        text=(
            f"{organisation.name} leads {count} action{plural} in {plan.title} with no "
            f"update for {dates.quarter.label}. Updates are due on {due}."
        ),
        link=reverse("actionplans:plan_detail", args=[partnership.slug, plan.pk]),
    )


def _overdue(partnership: Partnership, action: Action, role: PartnershipRole) -> Due:
    assert action.due_date is not None
    return Due(
        user_id=role.user.pk,
        email=role.user.email,
        partnership=partnership,
        kind=Kind.ACTION_UPDATES,
        reason_key=f"action-overdue:action={action.pk}:due={action.due_date.isoformat()}",
        subject=f"{partnership.name}: the action {action.title!r} is overdue",
        text=(
            f"The action {action.title!r}, led by {action.lead_organisation.name}, was "
            f"due on {formats.uk_date(action.due_date)} and is not complete. Post an "
            "update saying where it stands, or ask a manager to change its due date."
        ),
        link=reverse("actionplans:action_detail", args=[partnership.slug, action.pk]),
    )


def action_updates_due(partnerships: list[Partnership], day: date) -> list[Due]:
    """Every action-update email due on ``day``: four queries, whatever the number of
    partnerships, actions and users."""
    if not partnerships:
        return []
    by_pk = {p.pk: p for p in partnerships}
    quarter = request_quarter(day)
    fy, number = quarter_of(quarter.start)
    schedules = schedules_for(partnerships)
    actions = list(
        Action.objects.filter(
            objective__plan__partnership__in=list(by_pk),
            objective__plan__status=ActionPlan.Status.ACTIVE,
        )
        .exclude(status__in=Action.FINISHED)
        .select_related("objective__plan", "lead_organisation")
        .order_by("objective__plan__pk", "pk")
    )
    if not actions:
        return []
    updated = set(
        ActionUpdate.objects.filter(
            action__in=[a.pk for a in actions], financial_year=fy, quarter=number
        ).values_list("action_id", flat=True)
    )
    editors = recipients({a.objective.plan.partnership_id for a in actions}).editors
    due: list[Due] = []
    waiting: dict[tuple[int, int], list[Action]] = defaultdict(list)
    for action in actions:
        plan = action.objective.plan
        partnership = by_pk[plan.partnership_id]
        lead = (plan.partnership_id, action.lead_organisation_id)
        in_plan = plan.start_year <= fy <= plan.end_year
        started = action.start_date is None or action.start_date <= quarter.end
        if in_plan and started and action.pk not in updated:
            waiting[(plan.pk, action.lead_organisation_id)].append(action)
        if action.due_date is not None and day - OVERDUE_WINDOW <= action.due_date < day:
            due.extend(_overdue(partnership, action, role) for role in editors[lead])
    for group in waiting.values():
        plan = group[0].objective.plan
        partnership = by_pk[plan.partnership_id]
        dates = request_dates(quarter, schedules[partnership.pk])
        if not dates.reminder <= day <= dates.due:
            continue
        lead = (partnership.pk, group[0].lead_organisation_id)
        due.extend(
            _update_reminder(partnership, plan, group, dates, role) for role in editors[lead]
        )
    return due
