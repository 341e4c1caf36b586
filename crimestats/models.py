"""Measures, observations, data returns and imports: the figures behind every page.

An ``Observation`` holds the current value of one measure, for one area (or the
whole partnership when ``area`` is empty), for one period. Earlier values are kept
by django-simple-history as revisions, each with who, when and why. "Not supplied"
is a status with a reason, never a zero.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from cspportal.lib.periods import PeriodType
from cspportal.lib.versioning import Versioned
from partnerships.models import Area, Organisation, Partnership, PartnershipOwnedQuerySet


class Measure(models.Model):
    """Anything counted or rated per period: a crime type, ASB incidents, MARAC cases,
    a survey percentage, funding."""

    class Unit(models.TextChoices):
        COUNT = "count", "Count"
        PERCENTAGE = "percentage", "Percentage"
        GBP = "gbp", "Pounds (GBP)"
        RATE = "rate", "Rate per 1,000 population"

    class Polarity(models.TextChoices):
        UP_IS_GOOD = "up_good", "Up is good"
        DOWN_IS_GOOD = "down_good", "Down is good"
        NEUTRAL = "neutral", "Neither"

    class Kind(models.TextChoices):
        CRIME = "crime", "Recorded crime"
        INCIDENT = "incident", "Incident"
        FLAG = "flag", "Flag on crimes"
        PARTNERSHIP = "partnership", "Partnership measure"
        SURVEY = "survey", "Survey"

    class Aggregation(models.TextChoices):
        SUM = "sum", "Sum"
        MEAN = "mean", "Mean"
        LATEST = "latest", "Latest value"

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        ANNUAL = "annual", "Annual"

    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    group = models.CharField(
        max_length=100, help_text="The heading it is listed under, like 'Recorded crime'."
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The measure this is a sub-group of, like Theft offences for Shoplifting.",
    )
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.COUNT)
    polarity = models.CharField(
        max_length=20, choices=Polarity.choices, default=Polarity.DOWN_IS_GOOD
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    aggregation = models.CharField(
        "how periods combine", max_length=10, choices=Aggregation.choices, default="sum"
    )
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    owner_type = models.CharField(
        "organisation type that supplies it",
        max_length=20,
        choices=Organisation.Type.choices,
        blank=True,
    )
    source = models.CharField(max_length=200, blank=True, help_text="Where the figures come from.")
    counting_rule = models.TextField(blank=True, help_text="What is counted, and how.")
    policeuk_crime_type = models.CharField(
        "police.uk crime type",
        max_length=100,
        blank=True,
        help_text="The exact 'Crime type' text in police.uk street-level files.",
    )
    ons_offence_group = models.CharField(
        "ONS offence group",
        max_length=200,
        blank=True,
        help_text="The offence group heading in ONS Community Safety Partnership tables.",
    )
    display_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["display_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_count(self) -> bool:
        return self.unit == self.Unit.COUNT

    @property
    def is_additive(self) -> bool:
        """Whether area figures add up to the partnership's (counts and money do;
        percentages and rates do not)."""
        return self.unit in (self.Unit.COUNT, self.Unit.GBP) and self.aggregation == "sum"


class PartnershipMeasure(models.Model):
    """A measure a partnership reports, and the organisation that supplies it."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="partnership_measures"
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The organisation whose officers enter this measure.",
    )
    is_headline = models.BooleanField(default=False, help_text="Shown first on the dashboard.")
    history = HistoricalRecords()

    objects = PartnershipOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["measure__display_order", "measure__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "measure"],
                name="partnership_measure_unique",
                violation_error_message="The partnership already reports this measure.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} for {self.partnership}"


class DataReturn(Versioned):
    """One organisation's figures for one partnership and period, moving from draft
    to submitted to approved. Approval locks every figure in it; a later correction
    is a new revision with a reason. ``version`` rises with every save so that a
    second editor working from an older copy is refused."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="data_returns"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period_type = models.CharField(max_length=16, choices=PeriodType.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = PartnershipOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation", "period_type", "period_start"],
                name="data_return_unique_per_period",
                violation_error_message="There is already a return for this period.",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="data_return_end_not_before_start",
                violation_error_message="A period cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} return for {self.period_start:%B %Y}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED


class ImportBatch(models.Model):
    """One uploaded file and what became of it. The checksum makes a second import of
    the same file a no-op."""

    class Format(models.TextChoices):
        POLICEUK_STREET = "policeuk_street", "police.uk street-level crime CSV"
        ONS_PFA_TABLES = "ons_pfa_tables", "ONS police force area tables (XLSX)"
        ONS_LOOKUP = "ons_lookup", "ONS local authority to CSP lookup (CSV)"
        LSOA_LOOKUP = "lsoa_lookup", "LSOA to area lookup (CSV)"
        TEMPLATE = "template", "CSP Portal data template (CSV or XLSX)"

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed, not stored"
        STORED = "stored", "Stored"
        REJECTED = "rejected", "Rejected"
        UNCHANGED = "unchanged", "Already imported: nothing changed"

    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="import_batches",
        help_text="Empty for national files such as ONS tables.",
    )
    format = models.CharField(max_length=30, choices=Format.choices)
    file_name = models.CharField(max_length=255)
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    checksum = models.CharField("SHA-256 checksum", max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    rows_read = models.PositiveIntegerField(default=0)
    rows_stored = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    stored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["checksum"], name="import_batch_checksum_idx")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_format_display()})"


class ObservationQuerySet(PartnershipOwnedQuerySet):
    def supplied(self) -> ObservationQuerySet:
        return self.filter(status=Observation.Status.SUPPLIED)


class Observation(models.Model):
    """The current value of a measure for an area (or the whole partnership) and a
    period. One row per (partnership, measure, area, period); every change is a new
    revision in the history, with a reason once the figure has been approved.

    A figure imported from the ONS CSP tables also keeps what ONS publishes beside the
    count: its rate per 1,000 (``published_rate``) and its % change on the year before
    (``published_pct_change``), or, where ONS withholds one, its mark and meaning
    (``published_rate_note``, ``published_pct_change_note``, such as "[u1]: Rates per
    1,000 population are not presented for City of London ..."). Peer comparisons use
    the published rate, never one worked out again from the rounded population."""

    class Status(models.TextChoices):
        SUPPLIED = "supplied", "Supplied"
        NOT_SUPPLIED = "not_supplied", "Not supplied"

    class Source(models.TextChoices):
        FORM = "form", "Entered in a data return"
        TEMPLATE = "template", "Uploaded data template"
        POLICEUK = "policeuk", "police.uk street-level data"
        ONS = "ons", "ONS Community Safety Partnership tables"
        CASE_REVIEWS = "case_reviews", "ASB case review register"
        DEMO = "demo", "Demonstration data"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="observations"
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="observations")
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="observations",
        help_text="Empty for a figure for the whole partnership.",
    )
    period_type = models.CharField(max_length=16, choices=PeriodType.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.SUPPLIED)
    not_supplied_reason = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.FORM)
    data_return = models.ForeignKey(
        DataReturn, null=True, blank=True, on_delete=models.SET_NULL, related_name="observations"
    )
    import_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="observations"
    )
    as_at = models.DateField("figures as at", null=True, blank=True)
    # What ONS publishes beside its own count (years ending from the CSP tables). The
    # workbook holds these as binary doubles: a float keeps exactly the number published.
    published_rate = models.FloatField(
        "rate per 1,000 published by ONS",
        null=True,
        blank=True,
        help_text="ONS's own rate per 1,000 population for this figure, from its rates table.",
    )
    published_rate_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why ONS publishes no rate (its mark and what the mark means).",
    )
    published_pct_change = models.FloatField(
        "% change published by ONS",
        null=True,
        blank=True,
        help_text="ONS's % change on the year before, from its percentage change table.",
    )
    published_pct_change_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why ONS publishes no % change (its mark and what the mark means).",
    )
    revision = models.PositiveIntegerField(default=1)
    is_approved = models.BooleanField(default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()
    history = HistoricalRecords()

    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["period_start", "measure_id", "area_id"]
        indexes = [
            # The dashboard reads one partnership's measures over a run of months.
            models.Index(
                fields=["partnership", "measure", "period_type", "period_start"],
                name="observation_dashboard_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "measure", "area", "period_type", "period_start"],
                condition=Q(area__isnull=False),
                name="observation_unique_area_period",
                violation_error_message="There is already a figure for this area and period.",
            ),
            # NULLs are distinct in a unique index, so whole-partnership figures need
            # their own partial constraint.
            models.UniqueConstraint(
                fields=["partnership", "measure", "period_type", "period_start"],
                condition=Q(area__isnull=True),
                name="observation_unique_partnership_period",
                violation_error_message="There is already a figure for the partnership "
                "and this period.",
            ),
            models.CheckConstraint(
                condition=Q(status="supplied", value__isnull=False)
                | Q(status="not_supplied", value__isnull=True),
                name="observation_value_matches_status",
                violation_error_message="A supplied figure needs a value; a figure that "
                "was not supplied has none.",
            ),
            models.CheckConstraint(
                condition=Q(published_rate__isnull=True) | Q(published_rate_note=""),
                name="observation_published_rate_or_note",
                violation_error_message="A published rate and a reason why none is "
                "published cannot both be set.",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="observation_end_not_before_start",
                violation_error_message="A period cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        where = self.area.name if self.area is not None else "whole partnership"
        return f"{self.measure} {where} {self.period_start:%Y-%m}"

    @property
    def is_supplied(self) -> bool:
        return self.status == self.Status.SUPPLIED


class UnallocatedCount(models.Model):
    """police.uk rows with no location, counted at force level for the month: they
    belong to no area, but they are never silently dropped."""

    import_batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="unallocated_counts"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="unallocated_counts"
    )
    force = models.CharField(max_length=200)
    month = models.DateField()
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField()

    objects = PartnershipOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["month", "force"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "force", "month", "measure"],
                name="unallocated_count_unique",
                violation_error_message="There is already a count for this force and month.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.count} {self.measure} with no location, {self.force} {self.month:%Y-%m}"


class LsoaLookup(models.Model):
    """An uploaded mapping of LSOA codes to one of a partnership's areas, used by the
    police.uk importer before it falls back on the LSOA name."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="lsoa_lookups"
    )
    lsoa_code = models.CharField("LSOA code", max_length=9)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="lsoa_lookups")

    objects = PartnershipOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["lsoa_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "lsoa_code"],
                name="lsoa_lookup_unique",
                violation_error_message="This LSOA is already mapped to an area.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lsoa_code} in {self.area}"


class GeographyLookup(models.Model):
    """One row of the ONS local authority -> CSP -> police force area lookup, with the
    vintage of its codes (a CSP code can change between years)."""

    vintage = models.PositiveSmallIntegerField(help_text="The code year, like 2024.")
    lad_code = models.CharField("local authority code", max_length=9)
    lad_name = models.CharField("local authority name", max_length=200)
    csp_code = models.CharField("CSP code", max_length=9)
    csp_name = models.CharField("CSP name", max_length=200)
    pfa_code = models.CharField("police force area code", max_length=9)
    pfa_name = models.CharField("police force area name", max_length=200)
    import_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["vintage", "pfa_name", "csp_name", "lad_name"]
        constraints = [
            # One local authority can sit in several CSPs (North Northamptonshire is
            # split between four in the 2024 ONS tables), so the pair is the key.
            models.UniqueConstraint(
                fields=["vintage", "lad_code", "csp_code"],
                name="geography_lookup_unique",
                violation_error_message="This local authority and CSP are already in the "
                "lookup for this vintage.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lad_name} -> {self.csp_name} ({self.vintage})"


class PeerGroup(models.Model):
    """A most-similar-group style list of partnerships that a manager compares with."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="peer_groups"
    )
    name = models.CharField(max_length=200)
    members = models.ManyToManyField(Partnership, related_name="+", blank=True)
    history = HistoricalRecords(m2m_fields=[members])

    objects = PartnershipOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"],
                name="peer_group_unique_name",
                violation_error_message="This partnership already has a peer group with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class DataRequestSchedule(models.Model):
    """When a partnership's quarterly figures are due, in working days after the
    quarter ends, and how many working days before that the suppliers are reminded.
    A partnership without a row uses the defaults."""

    DEFAULT_DUE_WORKING_DAYS = 20
    DEFAULT_REMINDER_WORKING_DAYS = 5

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="data_request_schedule"
    )
    due_working_days = models.PositiveSmallIntegerField(
        "figures are due this many working days after the quarter ends",
        default=DEFAULT_DUE_WORKING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    reminder_working_days = models.PositiveSmallIntegerField(
        "remind suppliers this many working days before the due date",
        default=DEFAULT_REMINDER_WORKING_DAYS,
        validators=[MinValueValidator(0), MaxValueValidator(20)],
    )
    history = HistoricalRecords()

    objects = PartnershipOwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(due_working_days__gte=1, due_working_days__lte=60),
                name="data_request_due_days_in_range",
                violation_error_message="Figures are due between 1 and 60 working days "
                "after the quarter ends.",
            ),
            models.CheckConstraint(
                condition=Q(reminder_working_days__lte=20),
                name="data_request_reminder_days_in_range",
                violation_error_message="A reminder goes at most 20 working days before "
                "the due date.",
            ),
        ]

    def __str__(self) -> str:
        return f"Data request schedule of {self.partnership}"
