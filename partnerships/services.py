"""Writes to partnership records. Each runs in one transaction and validates first;
django-simple-history records who made the change (from the request).

The profile and its rows are versioned (``cspportal.lib.versioning``): an edit names
the version the manager's page was opened on, and refuses with ``EditConflict`` when
someone saved the record since."""

import smtplib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.invitations import invitation_path, is_invited
from accounts.models import User
from cspportal.lib.versioning import Versioned, claim, next_version
from partnerships.models import (
    Area,
    Membership,
    Organisation,
    Partnership,
    PartnershipRole,
    Role,
)


@transaction.atomic
def partnership_record_save(
    *, instance: Versioned, expected_version: int | None = None
) -> Versioned:
    """Create or update the partnership or one row it owns (an area, group, priority...)."""
    instance.full_clean()
    if instance.pk is not None:
        claim(instance, expected_version)
    instance.save()
    return instance


@transaction.atomic
def partnership_record_delete(*, instance: Versioned, expected_version: int | None = None) -> None:
    """Remove a row of the profile, unless someone changed it after the page was shown."""
    next_version(instance, expected_version)
    instance.delete()


@transaction.atomic
def membership_save(
    *,
    membership: Membership,
    new_organisation: Organisation | None = None,
    expected_version: int | None = None,
) -> Membership:
    """Save a membership, creating the organisation first when the manager added a new one."""
    if new_organisation is not None:
        new_organisation.full_clean()
        new_organisation.save()
        membership.organisation = new_organisation
    partnership_record_save(instance=membership, expected_version=expected_version)
    return membership


# --- Members: people and their roles ------------------------------------------------


class LastManager(Exception):
    """The change would leave the partnership with no manager."""

    def __init__(self, partnership: Partnership):
        self.partnership = partnership
        super().__init__(
            f"{partnership.name} needs at least one manager: make someone else a manager first."
        )


class EmailNotSent(ValidationError):
    """The mail server did not take the email; the invitation was not recorded."""

    def __init__(self, email: str):
        super().__init__(
            {
                "email": f"The email to {email} could not be sent, so nothing was changed. "
                "Try again later, or ask the site administrator to check the mail settings."
            }
        )


@dataclass(frozen=True)
class InviteOutcome:
    """What inviting an email address did: ``invited`` when an invitation link was
    sent (a new person, or one who never chose a password), else the existing person
    was told about their role."""

    role: PartnershipRole
    invited: bool
    created: bool


def _site_link(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + path


def _send(*, template: str, to: str, context: dict[str, object]) -> None:
    """One email with a plain text body and a simple HTML alternative, from the
    templates ``accounts/email/<template>.txt``, ``.html`` and ``_subject.txt``."""
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
    text = render_to_string(f"accounts/email/{template}.txt", context)
    html = render_to_string(f"accounts/email/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


@transaction.atomic
def member_invite(
    *,
    partnership: Partnership,
    email: str,
    role: str,
    organisation: Organisation | None,
    invited_by: User,
    site_url: str,
) -> InviteOutcome:
    """Give the person with this email a role in the partnership, creating their
    account (with no usable password) if they have none. A person who has not chosen
    a password yet gets an invitation link; anyone else an email saying what role they
    now hold. When the email cannot be sent, nothing is changed (``EmailNotSent``)."""
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User(email=email)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    existing = PartnershipRole.objects.filter(partnership=partnership, user=user).first()
    if existing is not None:
        raise ValidationError(
            {"email": f"{email} already has a role in {partnership.name}: change it in the list."}
        )
    granted = PartnershipRole(
        partnership=partnership, user=user, role=role, organisation=organisation
    )
    granted.full_clean()
    granted.save()
    invited = is_invited(user)
    context: dict[str, object] = {
        "partnership": partnership,
        "role": Role(role).label.lower(),
        "organisation": organisation,
        "invited_by": invited_by.full_name or invited_by.email,
        "email": email,
    }
    if invited:
        context["link"] = _site_link(site_url, invitation_path(user, partnership.slug))
        template = "invitation"
    else:
        context["link"] = _site_link(
            site_url, reverse("partnerships:partnership_detail", args=[partnership.slug])
        )
        template = "role_granted"
    # Sent inside the transaction, last: if the mail server refuses, nothing is kept
    # and the manager is told, rather than a role whose invitation never left.
    try:
        _send(template=template, to=email, context=context)
    except (smtplib.SMTPException, OSError) as exc:
        raise EmailNotSent(email) from exc
    return InviteOutcome(role=granted, invited=invited, created=created)


def _managers_after(
    partnership: Partnership, changed: PartnershipRole, new_role: str | None
) -> int:
    roles = PartnershipRole.objects.select_for_update().filter(partnership=partnership).order_by()
    managers = {r.pk for r in roles if r.role == Role.MANAGER}
    if new_role == Role.MANAGER:
        managers.add(changed.pk)
    else:
        managers.discard(changed.pk)
    return len(managers)


@transaction.atomic
def member_role_change(
    *, member: PartnershipRole, role: str, organisation: Organisation | None
) -> PartnershipRole:
    """Change a person's role or organisation; the last manager cannot be demoted."""
    if _managers_after(member.partnership, member, role) == 0:
        raise LastManager(member.partnership)
    member.role = role
    member.organisation = organisation
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_remove(*, member: PartnershipRole) -> None:
    """Take a person's role away; their account stays. Never the last manager."""
    if _managers_after(member.partnership, member, None) == 0:
        raise LastManager(member.partnership)
    member.delete()


# --- Setting up a partnership from a reference partnership ---------------------------


class AlreadySetUp(Exception):
    """The partnership is already a real one: it cannot be set up twice."""

    def __init__(self, partnership: Partnership):
        self.partnership = partnership
        super().__init__(
            f"{partnership.name} ({partnership.gss_code}) is already set up as a partnership: "
            "open it from My partnerships."
        )


@dataclass(frozen=True)
class LocalAuthority:
    """A local authority of a CSP, as the ONS lookup names it."""

    code: str
    name: str
    population: int | None = None
    population_year: int | None = None

    @property
    def kind(self) -> str:
        return area_kind_for(self.code)


def area_kind_for(gss_code: str) -> str:
    """The kind of area a local authority code names: E06/W06 unitary authorities,
    E07 districts, E08 metropolitan boroughs, E09 London boroughs."""
    prefix = gss_code[:3]
    if prefix in ("E06", "W06"):
        return Area.Kind.UNITARY
    if prefix == "E07":
        return Area.Kind.DISTRICT
    if prefix in ("E08", "E09"):
        return Area.Kind.BOROUGH
    return Area.Kind.OTHER


@dataclass(frozen=True)
class SetUpOutcome:
    partnership: Partnership
    areas_created: list[Area]
    lead_council: Organisation
    manager: InviteOutcome | None


REFERENCE_DESCRIPTION_START = "Reference partnership from the ONS tables"


@transaction.atomic
def partnership_set_up(
    *,
    partnership: Partnership,
    local_authorities: list[LocalAuthority],
    lead_council_name: str,
    manager_email: str,
    set_up_by: User,
    site_url: str,
) -> SetUpOutcome:
    """Turn a reference partnership into a real one, in place: the same row, so every
    ONS figure it holds stays with it. Adds an area for each local authority it does
    not have yet, makes ``lead_council_name`` its lead council (the organisation of
    that name, or a new council) and a responsible authority, and makes the person
    with ``manager_email`` its first manager (inviting them if they are new)."""
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if not locked.is_reference:
        raise AlreadySetUp(locked)
    council = Organisation.objects.filter(name__iexact=lead_council_name.strip()).first()
    if council is None:
        council = Organisation(name=lead_council_name.strip(), type=Organisation.Type.COUNCIL)
        council.full_clean()
        council.save()
    Membership.objects.get_or_create(
        partnership=locked, organisation=council, defaults={"is_statutory": True}
    )
    locked.is_reference = False
    locked.lead_council = council
    if locked.description.startswith(REFERENCE_DESCRIPTION_START):
        locked.description = ""
    partnership_record_save(instance=locked)
    have_codes = set(locked.areas.exclude(gss_code="").values_list("gss_code", flat=True))
    have_names = {n.casefold() for n in locked.areas.values_list("name", flat=True)}
    created: list[Area] = []
    for authority in local_authorities:
        if authority.code in have_codes or authority.name.casefold() in have_names:
            continue
        area = Area(
            partnership=locked,
            name=authority.name,
            kind=authority.kind,
            gss_code=authority.code,
            population=authority.population,
            population_year=authority.population_year if authority.population else None,
        )
        partnership_record_save(instance=area)
        created.append(area)
    manager = None
    if manager_email.strip().casefold() == set_up_by.email.casefold() and set_up_by.is_superuser:
        # A site administrator manages every partnership already; a role row makes
        # them its named manager, so the last-manager rule has someone to protect.
        role = PartnershipRole(
            partnership=locked, user=set_up_by, role=Role.MANAGER, organisation=council
        )
        role.full_clean()
        role.save()
        manager = InviteOutcome(role=role, invited=False, created=False)
    else:
        manager = member_invite(
            partnership=locked,
            email=manager_email,
            role=Role.MANAGER,
            organisation=council,
            invited_by=set_up_by,
            site_url=site_url,
        )
    return SetUpOutcome(
        partnership=locked, areas_created=created, lead_council=council, manager=manager
    )
