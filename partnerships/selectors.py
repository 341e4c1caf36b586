"""Reads of partnership data, always scoped to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias

from django.core.exceptions import PermissionDenied
from django.db.models import Field, Prefetch
from django.http import Http404

from partnerships.models import (
    Area,
    Membership,
    Organisation,
    Partnership,
    PartnershipRole,
    Priority,
    Role,
    ThematicGroup,
)

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class PartnershipAccess:
    """A partnership as one user sees it: their role there and their organisation."""

    partnership: Partnership
    role: str
    organisation: Organisation | None

    def allows(self, needed: str) -> bool:
        return Role.rank(self.role) >= Role.rank(needed)

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def is_manager(self) -> bool:
        return self.allows(Role.MANAGER)

    @property
    def is_editor(self) -> bool:
        return self.allows(Role.EDITOR)


def partnership_access(user: User, slug: str, needed: str = Role.VIEWER) -> PartnershipAccess:
    """The partnership with this slug if the user may see it (else 404) and holds at
    least the ``needed`` role there (else 403). One query."""
    if user.is_authenticated and user.is_superuser:
        partnership = Partnership.objects.filter(slug=slug, is_reference=False).first()
        if partnership is None:
            raise Http404("No such partnership.")
        return PartnershipAccess(partnership, Role.MANAGER, None)
    role = (
        PartnershipRole.objects.for_user(user)
        .select_related("partnership__lead_council", "organisation")
        .filter(user=user, partnership__slug=slug)
        .first()
    )
    if role is None:
        raise Http404("No such partnership.")
    access = PartnershipAccess(role.partnership, role.role, role.organisation)
    if not access.allows(needed):
        raise PermissionDenied("Your role in this partnership does not allow this.")
    return access


def partnerships_for_user(user: User) -> list[Partnership]:
    return list(Partnership.objects.for_user(user).order_by("name"))


def partnership_roles_for_user(user: User) -> list[PartnershipRole]:
    """The user's roles, with partnership and organisation, for the 'my partnerships' page.
    Site administrators get a manager row for every partnership."""
    if user.is_superuser:
        return [
            PartnershipRole(user=user, partnership=p, role=Role.MANAGER)
            for p in Partnership.objects.for_user(user).order_by("name")
        ]
    return list(
        PartnershipRole.objects.for_user(user)
        .filter(user=user)
        .select_related("partnership", "organisation")
        .order_by("partnership__name")
    )


@dataclass(frozen=True)
class PartnershipProfile:
    partnership: Partnership
    areas: list[Area]
    memberships: list[Membership]
    thematic_groups: list[ThematicGroup]
    priorities: list[Priority]

    @property
    def total_population(self) -> int | None:
        populations = [a.population for a in self.areas if a.population is not None]
        if not populations or len(populations) != len(self.areas):
            return None
        return sum(populations)


def partnership_profile(partnership: Partnership) -> PartnershipProfile:
    """Everything the profile page shows, in a fixed number of queries."""
    partnership = (
        Partnership.objects.filter(pk=partnership.pk)
        .select_related("lead_council")
        .prefetch_related(
            Prefetch("areas", queryset=Area.objects.order_by("name")),
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("organisation").order_by(
                    "-is_statutory", "organisation__name"
                ),
            ),
            Prefetch(
                "thematic_groups",
                queryset=ThematicGroup.objects.select_related("lead_organisation"),
            ),
            Prefetch("priorities", queryset=Priority.objects.order_by("-start_year", "name")),
        )
        .get()
    )
    return PartnershipProfile(
        partnership=partnership,
        areas=list(partnership.areas.all()),
        memberships=list(partnership.memberships.all()),
        thematic_groups=list(partnership.thematic_groups.all()),
        priorities=list(partnership.priorities.all()),
    )


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    action: str
    record_type: str
    record: str
    changes: list[FieldChange]


# A row of a django-simple-history table. Its model class is built at run time, so
# there is no static type to give it.
HistoricalRow: TypeAlias = Any
# A field's raw value read off a historical row: whatever type that field holds.
FieldValue: TypeAlias = Any

_HistoriedModel: TypeAlias = (
    type[Partnership]
    | type[Area]
    | type[Membership]
    | type[ThematicGroup]
    | type[Priority]
    | type[PartnershipRole]
)

_ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
_HISTORY_SOURCES: list[tuple[_HistoriedModel, str, str, tuple[str, ...]]] = [
    (Partnership, "Partnership", "id", ()),
    (Area, "Area", "partnership_id", ()),
    (Membership, "Member organisation", "partnership_id", ()),
    (ThematicGroup, "Thematic group", "partnership_id", ()),
    (Priority, "Priority", "partnership_id", ()),
    (PartnershipRole, "User role", "partnership_id", ("user",)),
]


def _display(field: Field[Any, Any], value: FieldValue, organisation_names: dict[int, str]) -> str:
    if value is None or value == "":
        return "(blank)"
    if field.is_relation:
        if field.related_model is Organisation:
            return organisation_names.get(value, f"organisation {value}")
        return f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


@dataclass(frozen=True)
class _Version:
    """One historical row of one record, with its field values and the values of the
    row before it (None for the first)."""

    row: HistoricalRow
    label: str
    fields: list[Field[Any, Any]]
    before: dict[str, FieldValue] | None
    after: dict[str, FieldValue]


def partnership_history(partnership: Partnership, limit: int = 300) -> list[HistoryEntry]:
    """Every recorded change to the partnership's profile, newest first, with what
    changed. One query per kind of record plus one for organisation names."""
    raw: list[_Version] = []
    org_ids: set[int] = set()
    for model, label, key, related in _HISTORY_SOURCES:
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.name not in ("id", "version") and not f.name.startswith("history")
        ]
        rows = list(
            model.history.filter(**{key: partnership.pk})
            .select_related("history_user", *related)
            .order_by("id", "history_date", "history_id")
        )
        previous: dict[int, dict[str, FieldValue]] = {}
        for row in rows:
            values = {f.attname: getattr(row, f.attname) for f in fields}
            for f in fields:
                if f.is_relation and f.related_model is Organisation and values[f.attname]:
                    org_ids.add(values[f.attname])
            raw.append(_Version(row, label, fields, previous.get(row.id), values))
            previous[row.id] = values
    organisation_names = dict(Organisation.objects.filter(id__in=org_ids).values_list("id", "name"))
    entries: list[HistoryEntry] = []
    for version in raw:
        row, fields, before, after = version.row, version.fields, version.before, version.after
        changes: list[FieldChange] = []
        if row.history_type == "~" and before is not None:
            for f in fields:
                if before[f.attname] != after[f.attname]:
                    changes.append(
                        FieldChange(
                            str(f.verbose_name).capitalize(),
                            _display(f, before[f.attname], organisation_names),
                            _display(f, after[f.attname], organisation_names),
                        )
                    )
        user = row.history_user
        entries.append(
            HistoryEntry(
                when=row.history_date,
                who=(user.full_name or user.email) if user else "System",
                action=_ACTIONS[row.history_type],
                record_type=version.label,
                record=_record_name(row, version.label, organisation_names),
                changes=changes,
            )
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def _record_name(row: HistoricalRow, label: str, organisation_names: dict[int, str]) -> str:
    if label == "Member organisation":
        return organisation_names.get(row.organisation_id, "an organisation")
    if label == "User role":
        return f"{row.get_role_display()} role of {row.user.email if row.user else 'a user'}"
    return str(getattr(row, "name", row))


@dataclass(frozen=True)
class Member:
    """A person with a role in the partnership, for the members page."""

    role: PartnershipRole

    @property
    def invited(self) -> bool:
        """Invited but not yet signed in: they have not chosen a password."""
        return not self.role.user.has_usable_password()


def partnership_members(partnership: Partnership) -> list[Member]:
    """Everyone with a role in the partnership, managers first, in one query."""
    roles = (
        PartnershipRole.objects.filter(partnership=partnership)
        .select_related("user", "organisation")
        .order_by("user__email")
    )
    members = [Member(r) for r in roles]
    members.sort(key=lambda m: -Role.rank(m.role.role))
    return members


def member_organisations(partnership: Partnership):
    """The partnership's member organisations: the organisations a role can name."""
    return Organisation.objects.filter(memberships__partnership=partnership).order_by("name")


def reference_partnership_message(partnership: Partnership, then: str) -> str:
    """What to say when someone asks for a reference partnership by its slug."""
    code = f" ({partnership.gss_code})" if partnership.gss_code else ""
    return (
        f"{partnership.name}{code} is a reference partnership from the ONS tables. "
        "Set it up first: a site administrator opens Set up a partnership "
        f"(/partnerships/new/) and chooses {partnership.name}, then {then}."
    )
