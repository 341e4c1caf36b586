"""Partnerships, their areas, member organisations, groups, priorities and user roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from cspportal.lib.periods import financial_year_label
from cspportal.lib.versioning import Versioned

if TYPE_CHECKING:
    from accounts.models import User

gss_code_validator = RegexValidator(
    r"^[EWSN]\d{8}$",
    "Enter a GSS code: a letter E, W, S or N then eight digits, like E22000123.",
)


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    EDITOR = "editor", "Editor"
    MANAGER = "manager", "Manager"

    @classmethod
    def rank(cls, role: str) -> int:
        return {cls.VIEWER: 1, cls.EDITOR: 2, cls.MANAGER: 3}[cls(role)]


class Organisation(models.Model):
    """A responsible authority or other partner. Shared across partnerships: the same
    police force sits in every CSP of its force area."""

    class Type(models.TextChoices):
        COUNCIL = "council", "Council"
        POLICE = "police", "Police"
        FIRE = "fire", "Fire and rescue"
        PROBATION = "probation", "Probation"
        HEALTH = "health", "Health"
        PCC = "pcc", "Police and crime commissioner"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    type = models.CharField(max_length=20, choices=Type.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnershipQuerySet(models.QuerySet):
    def for_user(self, user: User) -> PartnershipQuerySet:
        """The partnerships a user may see: site administrators see all of them,
        everyone else those they hold a role in."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.filter(is_reference=False)
        return self.filter(roles__user=user, is_reference=False)


class Partnership(Versioned):
    """A Community Safety Partnership. Reference partnerships are CSPs known only
    from ONS tables (for peer comparison); nobody signs in to them."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    gss_code = models.CharField(
        "GSS code", max_length=9, blank=True, validators=[gss_code_validator]
    )
    gss_vintage = models.PositiveSmallIntegerField(
        "GSS code vintage",
        null=True,
        blank=True,
        help_text="The year of the code list the GSS code comes from, like 2024.",
    )
    lead_council = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_partnerships",
        limit_choices_to={"type": Organisation.Type.COUNCIL},
    )
    description = models.TextField(blank=True)
    is_reference = models.BooleanField(
        default=False, help_text="Known only from published tables, for peer comparison."
    )
    population = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The published population of the whole partnership (ONS), for rates.",
    )
    population_year = models.PositiveSmallIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gss_code="") | Q(gss_vintage__isnull=False),
                name="partnership_gss_code_has_vintage",
                violation_error_message="Give the vintage (year) of the GSS code.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PartnershipOwnedQuerySet(models.QuerySet):
    """Rows that belong to a partnership, restricted to what a user may see."""

    def for_user(self, user: User) -> PartnershipOwnedQuerySet:
        return self.filter(partnership__in=Partnership.objects.for_user(user))


class Area(Versioned):
    """A district, borough, unitary authority or ward inside a partnership."""

    class Kind(models.TextChoices):
        DISTRICT = "district", "District"
        BOROUGH = "borough", "Borough"
        UNITARY = "unitary", "Unitary authority"
        COUNTY = "county", "County"
        WARD = "ward", "Ward"
        OTHER = "other", "Other"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DISTRICT)
    gss_code = models.CharField(
        "GSS code", max_length=9, blank=True, validators=[gss_code_validator]
    )
    population = models.PositiveIntegerField(null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1900)]
    )
    history = HistoricalRecords()

    objects = PartnershipOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"],
                name="area_unique_name_per_partnership",
                violation_error_message="This partnership already has an area with this name.",
            ),
            models.CheckConstraint(
                condition=Q(population__isnull=True) | Q(population_year__isnull=False),
                name="area_population_has_year",
                violation_error_message="Give the year of the population estimate.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(Versioned):
    """An organisation's place in a partnership."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    is_statutory = models.BooleanField(
        "responsible authority",
        default=False,
        help_text="A responsible authority under the Crime and Disorder Act 1998.",
    )
    representative = models.CharField(
        max_length=200, blank=True, help_text="Who attends for the organisation, and their role."
    )
    history = HistoricalRecords()

    objects = PartnershipOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-is_statutory", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"],
                name="membership_unique_organisation",
                violation_error_message="This organisation is already a member.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"


class ThematicGroup(Versioned):
    """A working group of the partnership that owns part of the action plan."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="thematic_groups"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    lead_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    objects = PartnershipOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"],
                name="thematic_group_unique_name",
                violation_error_message="This partnership already has a group with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Priority(Versioned):
    """A priority from the strategic assessment, for a run of financial years."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="priorities"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    start_year = models.PositiveSmallIntegerField(
        help_text="The financial year it starts: 2018 for 2018/19.",
        validators=[MinValueValidator(2000)],
    )
    end_year = models.PositiveSmallIntegerField(
        help_text="The last financial year it applies to: 2018 for 2018/19.",
        validators=[MinValueValidator(2000)],
    )
    history = HistoricalRecords()

    objects = PartnershipOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year", "name"]
        verbose_name_plural = "priorities"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="priority_end_not_before_start",
                violation_error_message="The last year cannot be before the first year.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def years_label(self) -> str:
        if self.start_year == self.end_year:
            return financial_year_label(self.start_year)
        return f"{financial_year_label(self.start_year)} to {financial_year_label(self.end_year)}"


class PartnershipRole(models.Model):
    """What one user may do in one partnership, and the organisation they work for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partnership_roles"
    )
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=10, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    objects = PartnershipOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership"],
                name="role_one_per_user_and_partnership",
                violation_error_message="This user already has a role in this partnership.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.get_role_display().lower()} of {self.partnership}"

    def allows(self, needed: str) -> bool:
        return Role.rank(self.role) >= Role.rank(needed)
