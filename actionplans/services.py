"""Writes to action plans. Each validates, then saves in one transaction;
django-simple-history records who made the change (from the request).

Plans, objectives, actions, targets and updates are versioned
(``cspportal.lib.versioning``): an edit names the version the page was opened on, and
refuses with ``EditConflict`` when someone saved the record since."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from actionplans.models import Action, ActionPlan, ActionUpdate, MeasureTarget, Objective
from cspportal.lib.versioning import claim, next_version
from partnerships.models import Role

if TYPE_CHECKING:
    from accounts.models import User
    from partnerships.selectors import PartnershipAccess


def can_post_update(access: PartnershipAccess, action: Action) -> bool:
    """Managers update any action; an editor only the actions their organisation leads."""
    if access.allows(Role.MANAGER):
        return True
    return (
        access.allows(Role.EDITOR)
        and access.organisation is not None
        and access.organisation.pk == action.lead_organisation_id
    )


@transaction.atomic
def plan_save(*, plan: ActionPlan, expected_version: int | None = None) -> ActionPlan:
    """Create or change a plan."""
    plan.full_clean()
    if plan.pk is not None:
        claim(plan, expected_version)
    plan.save()
    return plan


@transaction.atomic
def objective_save(*, objective: Objective, expected_version: int | None = None) -> Objective:
    """Create or change an objective. Its priority and thematic group must be the
    plan's partnership's own."""
    partnership_id = objective.plan.partnership_id
    if objective.priority is not None and objective.priority.partnership_id != partnership_id:
        raise ValidationError({"priority": "Choose one of this partnership's priorities."})
    group = objective.thematic_group
    if group is not None and group.partnership_id != partnership_id:
        raise ValidationError({"thematic_group": "Choose one of this partnership's groups."})
    objective.full_clean()
    if objective.pk is not None:
        claim(objective, expected_version)
    objective.save()
    return objective


@transaction.atomic
def action_save(*, action: Action, expected_version: int | None = None) -> Action:
    """Create or change an action. ``expected_version`` is the version the editor
    started from: if someone saved the action since, nothing changes and
    ``EditConflict`` says so, rather than one edit silently overwriting the other."""
    action.full_clean()
    if action.pk is not None:
        claim(action, expected_version)
    action.save()
    return action


@transaction.atomic
def action_update_post(
    *, access: PartnershipAccess, action: Action, update: ActionUpdate, author: User
) -> ActionUpdate:
    """Record a quarter's update on an action. When it is for the latest quarter
    reported, the action's status and RAG status follow it."""
    if not can_post_update(access, action):
        raise PermissionDenied("Only the lead organisation's editors or a manager can update this.")
    update.action = action
    update.author = author
    update.full_clean()
    update.save()
    latest = action.updates.order_by("-financial_year", "-quarter").first()
    if latest is not None and latest.pk == update.pk:
        locked = Action.objects.get(pk=action.pk)
        # A form someone opened before this update must not put the old status back.
        claim(locked, None)
        locked.status = update.status
        locked.rag_status = update.rag_status
        locked.save()
        action.refresh_from_db()
    return update


@transaction.atomic
def target_save(*, target: MeasureTarget) -> MeasureTarget:
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def target_delete(*, target: MeasureTarget, expected_version: int | None = None) -> None:
    """Remove a target, unless someone changed it after the page was shown."""
    next_version(target, expected_version)
    target.delete()
