"""Action plan pages: the plans, one plan's progress, actions and their quarterly
updates, targets, and the plan as a spreadsheet."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedRequest
from actionplans import exports, selectors, services
from actionplans.forms import (
    ActionForm,
    ActionPlanForm,
    ActionUpdateForm,
    MeasureTargetForm,
    ObjectiveForm,
)
from actionplans.models import Action, ActionPlan, ActionUpdate, MeasureTarget, Objective
from cspportal.lib.downloads import FORMATS, attachment, table_response
from cspportal.lib.versioning import DeleteForm, VersionedEdit
from partnerships.models import Role
from partnerships.selectors import PartnershipAccess, partnership_access


def _form_page(
    request: HttpRequest, access: PartnershipAccess, form, *, title: str, back_url: str, **extra
) -> HttpResponse:
    return render(
        request,
        "actionplans/form.html",
        {
            "access": access,
            "partnership": access.partnership,
            "form": form,
            "title": title,
            "back_url": back_url,
            **extra,
        },
    )


def _plan_url(slug: str, plan: ActionPlan) -> str:
    return reverse("actionplans:plan_detail", args=[slug, plan.pk])


def _action_url(slug: str, action: Action) -> str:
    return reverse("actionplans:action_detail", args=[slug, action.pk])


@login_required
@require_GET
def plan_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = partnership_access(request.user, slug)
    plans = selectors.plans_for_partnership(access.partnership)
    return render(
        request,
        "actionplans/plan_list.html",
        {"access": access, "partnership": access.partnership, "plans": plans},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_add(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.MANAGER)
    plan = ActionPlan(partnership=access.partnership)
    form = ActionPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        services.plan_save(plan=form.instance)
        messages.success(request, f"Plan created: {plan.title}.")
        return redirect(_plan_url(slug, plan))
    return _form_page(
        request,
        access,
        form,
        title="Create an action plan",
        back_url=reverse("actionplans:plan_list", args=[slug]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthenticatedRequest, slug: str, plan_id: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.MANAGER)
    plan = selectors.plan_for(access.partnership, plan_id)
    form = ActionPlanForm(request.POST or None, instance=plan)
    edit = VersionedEdit(form)
    if request.method == "POST" and edit.save(
        lambda version: services.plan_save(plan=form.instance, expected_version=version)
    ):
        messages.success(request, "Plan details saved.")
        return redirect(_plan_url(slug, plan))
    return _form_page(
        request,
        access,
        form,
        title=f"Edit {plan}",
        back_url=_plan_url(slug, plan),
        changes=edit.changes,
    )


@login_required
@require_GET
def plan_detail(request: AuthenticatedRequest, slug: str, plan_id: int) -> HttpResponse:
    access = partnership_access(request.user, slug)
    plan = selectors.plan_for(access.partnership, plan_id)
    progress = selectors.plan_progress_for_plan(plan)
    can_update = {
        row.action.pk for row in progress.actions if services.can_post_update(access, row.action)
    }
    return render(
        request,
        "actionplans/plan_detail.html",
        {
            "access": access,
            "partnership": access.partnership,
            "plan": plan,
            "progress": progress,
            "can_update": can_update,
        },
    )


@login_required
@require_GET
def plan_export(request: AuthenticatedRequest, slug: str, plan_id: int, fmt: str) -> HttpResponse:
    access = partnership_access(request.user, slug)
    if fmt not in FORMATS:
        raise Http404("No such download format.")
    plan = selectors.plan_for(access.partnership, plan_id)
    progress = selectors.plan_progress_for_plan(plan)
    filename = f"{slug}-action-plan-{plan.start_year}"
    return table_response(
        filename=filename,
        fmt=fmt,
        headers=exports.plan_headers(progress),
        rows=exports.plan_rows(progress),
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_add(request: AuthenticatedRequest, slug: str, plan_id: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.MANAGER)
    plan = selectors.plan_for(access.partnership, plan_id)
    return _objective_form(request, access, Objective(plan=plan), "Add an objective")


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.MANAGER)
    objective = selectors.objective_for(access.partnership, pk)
    return _objective_form(request, access, objective, f"Edit {objective}")


def _objective_form(request, access, objective: Objective, title: str) -> HttpResponse:
    form = ObjectiveForm(request.POST or None, instance=objective)
    back_url = _plan_url(access.partnership.slug, objective.plan)
    edit = VersionedEdit(form)
    if request.method == "POST" and edit.save(
        lambda version: services.objective_save(objective=form.instance, expected_version=version)
    ):
        messages.success(request, f"Objective saved: {objective.title}.")
        return redirect(back_url)
    return _form_page(request, access, form, title=title, back_url=back_url, changes=edit.changes)


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request: AuthenticatedRequest, slug: str, objective_id: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.MANAGER)
    objective = selectors.objective_for(access.partnership, objective_id)
    action = Action(objective=objective)
    return _action_form(request, access, action, f"Add an action to {objective}")


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.MANAGER)
    action = selectors.action_for(access.partnership, pk)
    return _action_form(request, access, action, f"Edit {action}")


def _action_form(request, access, action: Action, title: str) -> HttpResponse:
    form = ActionForm(request.POST or None, instance=action)
    edit = VersionedEdit(form)
    if request.method == "POST" and edit.save(
        lambda version: services.action_save(action=form.instance, expected_version=version)
    ):
        messages.success(request, f"Action saved: {action.title}.")
        return redirect(_action_url(access.partnership.slug, action))
    back_url = (
        _action_url(access.partnership.slug, action)
        if action.pk
        else _plan_url(access.partnership.slug, action.objective.plan)
    )
    return _form_page(request, access, form, title=title, back_url=back_url, changes=edit.changes)


@login_required
@require_GET
def action_detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug)
    action = selectors.action_for(access.partnership, pk)
    plan = action.objective.plan
    return render(
        request,
        "actionplans/action_detail.html",
        {
            "access": access,
            "partnership": access.partnership,
            "plan": plan,
            "action": action,
            "updates": selectors.action_history(action),
            "targets": selectors.action_targets(access.partnership, action),
            "can_update": services.can_post_update(access, action),
            "is_overdue": action.is_overdue_on(selectors.progress_date(plan)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def update_add(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.EDITOR)
    action = selectors.action_for(access.partnership, pk)
    if not services.can_post_update(access, action):
        raise PermissionDenied(
            f"Only editors of {action.lead_organisation} or a manager can update this action."
        )
    form = ActionUpdateForm(
        request.POST or None, request.FILES or None, instance=ActionUpdate(action=action)
    )
    if request.method == "POST" and form.is_valid():
        update = services.action_update_post(
            access=access, action=action, update=form.instance, author=request.user
        )
        messages.success(request, f"Update for {update.period.label} posted.")
        return redirect(_action_url(slug, action))
    return _form_page(
        request,
        access,
        form,
        title=f"Post a quarterly update on {action}",
        back_url=_action_url(slug, action),
        action=action,
    )


@login_required
@require_GET
def update_evidence(request: AuthenticatedRequest, slug: str, pk: int) -> FileResponse:
    access = partnership_access(request.user, slug)
    update = selectors.update_for(access.partnership, pk)
    if not update.evidence_file:
        raise Http404("This update has no evidence file.")
    # Always a download, never shown inline: an uploaded HTML file cannot run here.
    response = FileResponse(update.evidence_file.open("rb"), as_attachment=True)
    response["Content-Disposition"] = attachment(Path(update.evidence_file.name or "").name)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def target_add(request: AuthenticatedRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.MANAGER)
    owner: Objective | Action
    if kind == "objectives":
        objective = selectors.objective_for(access.partnership, pk)
        owner, target, plan = objective, MeasureTarget(objective=objective), objective.plan
        back_url = _plan_url(slug, plan)
    elif kind == "actions":
        action = selectors.action_for(access.partnership, pk)
        owner, target, plan = action, MeasureTarget(action=action), action.objective.plan
        back_url = _action_url(slug, action)
    else:
        raise Http404("No such kind of record.")
    form = MeasureTargetForm(
        request.POST or None, instance=target, initial={"baseline_year": plan.start_year - 1}
    )
    if request.method == "POST" and form.is_valid():
        services.target_save(target=form.instance)
        messages.success(request, f"Target saved: {target.label}.")
        return redirect(back_url)
    return _form_page(request, access, form, title=f"Add a target to {owner}", back_url=back_url)


@login_required
@require_http_methods(["GET", "POST"])
def target_delete(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.MANAGER)
    target = selectors.target_for(access.partnership, pk)
    if target.action is not None:
        back_url = _action_url(slug, target.action)
    else:
        assert target.objective is not None  # a target belongs to an action or an objective
        back_url = _plan_url(slug, target.objective.plan)
    form = DeleteForm(
        request.POST if request.method == "POST" else None, initial={"version": target.version}
    )
    edit = VersionedEdit(form, delete=True)
    label = target.label
    if request.method == "POST" and edit.save(
        lambda version: services.target_delete(target=target, expected_version=version)
    ):
        messages.success(request, f"Target removed: {label}.")
        return redirect(back_url)
    return render(
        request,
        "actionplans/target_delete.html",
        {
            "access": access,
            "partnership": access.partnership,
            "target": target,
            "back_url": back_url,
            "form": form,
            "changes": edit.changes,
        },
    )


@login_required
@require_GET
def plan_history(request: AuthenticatedRequest, slug: str, plan_id: int) -> HttpResponse:
    access = partnership_access(request.user, slug, Role.MANAGER)
    plan = selectors.plan_for(access.partnership, plan_id)
    return render(
        request,
        "actionplans/plan_history.html",
        {
            "access": access,
            "partnership": access.partnership,
            "plan": plan,
            "entries": selectors.plan_history(plan),
        },
    )
