"""Partnership pages: my partnerships, the profile, its editing and its history."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedRequest
from cspportal.lib.versioning import DeleteForm, VersionedEdit
from partnerships import selectors, services
from partnerships.forms import (
    AreaForm,
    InviteForm,
    MemberRoleForm,
    MembershipForm,
    PartnershipForm,
    PriorityForm,
    ThematicGroupForm,
)
from partnerships.models import (
    Area,
    Membership,
    Partnership,
    PartnershipRole,
    Priority,
    Role,
    ThematicGroup,
)


@dataclass(frozen=True)
class RecordKind:
    """One kind of row on the profile that a manager adds, edits and removes."""

    model: type[Area | Membership | ThematicGroup | Priority]
    form: type
    singular: str


RECORD_KINDS = {
    "areas": RecordKind(Area, AreaForm, "area"),
    "members": RecordKind(Membership, MembershipForm, "member organisation"),
    "groups": RecordKind(ThematicGroup, ThematicGroupForm, "thematic group"),
    "priorities": RecordKind(Priority, PriorityForm, "priority"),
}


def remember_partnership(request: HttpRequest, slug: str) -> None:
    """Make this the partnership the switcher shows, writing the session only on change."""
    if request.session.get("current_partnership") != slug:
        request.session["current_partnership"] = slug


def _record_kind(kind: str) -> RecordKind:
    try:
        return RECORD_KINDS[kind]
    except KeyError:
        raise Http404("No such kind of record.") from None


@login_required
@require_GET
def partnership_list(request: AuthenticatedRequest) -> HttpResponse:
    roles = selectors.partnership_roles_for_user(request.user)
    return render(request, "partnerships/partnership_list.html", {"roles": roles})


@login_required
@require_GET
def partnership_switch(request: AuthenticatedRequest) -> HttpResponse:
    slug = request.GET.get("partnership", "")
    if not slug:
        return redirect("partnerships:partnership_list")
    access = selectors.partnership_access(request.user, slug)
    remember_partnership(request, access.partnership.slug)
    return redirect("partnerships:partnership_detail", slug=access.partnership.slug)


@login_required
@require_GET
def partnership_detail(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    if request.user.is_superuser:
        reference = Partnership.objects.filter(slug=slug, is_reference=True).first()
        if reference is not None:
            # Only a site administrator learns that a reference partnership exists.
            messages.info(
                request, selectors.reference_partnership_message(reference, then="open it")
            )
            return redirect("onboarding:set_up_confirm", slug=slug)
    access = selectors.partnership_access(request.user, slug)
    remember_partnership(request, access.partnership.slug)
    profile = selectors.partnership_profile(access.partnership)
    return render(
        request,
        "partnerships/partnership_detail.html",
        {"access": access, "partnership": profile.partnership, "profile": profile},
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = selectors.partnership_access(request.user, slug, Role.MANAGER)
    form = PartnershipForm(request.POST or None, instance=access.partnership)
    edit = VersionedEdit(form)
    if request.method == "POST" and edit.save(
        lambda version: services.partnership_record_save(
            instance=form.instance, expected_version=version
        )
    ):
        messages.success(request, "Partnership details saved.")
        return redirect("partnerships:partnership_detail", slug=slug)
    return render(
        request,
        "partnerships/record_form.html",
        {
            "access": access,
            "partnership": access.partnership,
            "form": form,
            "title": "Edit partnership details",
            "changes": edit.changes,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_add(request: AuthenticatedRequest, slug: str, kind: str) -> HttpResponse:
    access = selectors.partnership_access(request.user, slug, Role.MANAGER)
    record_kind = _record_kind(kind)
    instance = record_kind.model(partnership=access.partnership)
    return _record_form(request, access, record_kind, instance, f"Add a {record_kind.singular}")


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request: AuthenticatedRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    access = selectors.partnership_access(request.user, slug, Role.MANAGER)
    record_kind = _record_kind(kind)
    instance = get_object_or_404(record_kind.model, pk=pk, partnership=access.partnership)
    return _record_form(request, access, record_kind, instance, f"Edit {instance}")


def _record_form(request, access, record_kind: RecordKind, instance, title: str) -> HttpResponse:
    form = record_kind.form(request.POST or None, instance=instance)

    def save(version: int | None) -> None:
        if isinstance(form, MembershipForm):
            services.membership_save(
                membership=form.instance,
                new_organisation=form.new_organisation(),
                expected_version=version,
            )
        else:
            services.partnership_record_save(instance=form.instance, expected_version=version)

    edit = VersionedEdit(form)
    if request.method == "POST" and edit.save(save):
        singular = record_kind.singular.capitalize()
        messages.success(request, f"{singular} saved: {form.instance}.")
        return redirect("partnerships:partnership_detail", slug=access.partnership.slug)
    return render(
        request,
        "partnerships/record_form.html",
        {
            "access": access,
            "partnership": access.partnership,
            "form": form,
            "title": title,
            "changes": edit.changes,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_delete(request: AuthenticatedRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    access = selectors.partnership_access(request.user, slug, Role.MANAGER)
    record_kind = _record_kind(kind)
    instance = get_object_or_404(record_kind.model, pk=pk, partnership=access.partnership)
    form = DeleteForm(
        request.POST if request.method == "POST" else None, initial={"version": instance.version}
    )
    edit = VersionedEdit(form, delete=True)
    name = str(instance)
    if request.method == "POST" and edit.save(
        lambda version: services.partnership_record_delete(
            instance=instance, expected_version=version
        )
    ):
        messages.success(request, f"{record_kind.singular.capitalize()} removed: {name}.")
        return redirect("partnerships:partnership_detail", slug=slug)
    return render(
        request,
        "partnerships/record_delete.html",
        {
            "access": access,
            "partnership": access.partnership,
            "record": instance,
            "singular": record_kind.singular,
            "form": form,
            "changes": edit.changes,
        },
    )


@login_required
@require_GET
def partnership_history(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    access = selectors.partnership_access(request.user, slug, Role.MANAGER)
    entries = selectors.partnership_history(access.partnership)
    return render(
        request,
        "partnerships/partnership_history.html",
        {"access": access, "partnership": access.partnership, "entries": entries},
    )


# --- Members: people and their roles ------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def member_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Everyone with a role here. Managers (and site administrators) invite and change
    roles; editors only read the list; viewers are refused."""
    access = selectors.partnership_access(request.user, slug, Role.EDITOR)
    organisations = selectors.member_organisations(access.partnership)
    form = None
    if access.is_manager:
        form = InviteForm(request.POST or None, organisations=organisations)
    elif request.method == "POST":
        raise PermissionDenied("Only a manager can invite people.")
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            outcome = services.member_invite(
                partnership=access.partnership,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
                invited_by=request.user,
                site_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            email = outcome.role.user.email
            role = outcome.role.get_role_display().lower()
            if outcome.invited:
                messages.success(request, f"Invitation sent to {email}, as a {role}.")
            else:
                messages.success(request, f"{email} is now a {role}. We have emailed them.")
            return redirect("partnerships:member_list", slug=slug)
    members = selectors.partnership_members(access.partnership)
    return render(
        request,
        "partnerships/member_list.html",
        {
            "access": access,
            "partnership": access.partnership,
            "members": members,
            "form": form,
        },
    )


def _member_for(access, pk: int) -> PartnershipRole:
    return get_object_or_404(
        PartnershipRole.objects.select_related("user", "organisation", "partnership"),
        pk=pk,
        partnership=access.partnership,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = selectors.partnership_access(request.user, slug, Role.MANAGER)
    member = _member_for(access, pk)
    form = MemberRoleForm(
        request.POST or None,
        organisations=selectors.member_organisations(access.partnership),
        initial={"role": member.role, "organisation": member.organisation},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_role_change(
                member=member,
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
            )
        except services.LastManager as exc:
            form.add_error("role", str(exc))
        else:
            messages.success(
                request, f"{member.user.email} is now a {member.get_role_display().lower()}."
            )
            return redirect("partnerships:member_list", slug=slug)
    return render(
        request,
        "partnerships/member_form.html",
        {
            "access": access,
            "partnership": access.partnership,
            "member": member,
            "form": form,
            "title": f"Change the role of {member.user.email}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    access = selectors.partnership_access(request.user, slug, Role.MANAGER)
    member = _member_for(access, pk)
    error = ""
    if request.method == "POST":
        try:
            services.member_remove(member=member)
        except services.LastManager as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                f"{member.user.email} no longer has a role in {access.partnership.name}.",
            )
            return redirect("partnerships:member_list", slug=slug)
    return render(
        request,
        "partnerships/member_remove.html",
        {
            "access": access,
            "partnership": access.partnership,
            "member": member,
            "error": error,
        },
        status=400 if error else 200,
    )
