"""Scrutiny reports: a report being drafted, its sections, and the versions issued.

A ``Report`` is a working draft that officers edit. Issuing it freezes a
``ReportVersion``: the PDF bytes, a JSON snapshot of every figure and sentence the
PDF shows, and the PDF's SHA-256 checksum, with the Word document built from the
same figures and its own checksum. Versions never change; editing an issued
report moves it back to draft, and issuing it again adds the next version.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from cspportal.lib.periods import financial_year_label
from cspportal.lib.validation import DateInRange
from cspportal.lib.versioning import Versioned
from partnerships.models import Partnership, PartnershipOwnedQuerySet

FIRST_MONTH_OF_YEAR = 4  # April: financial years run April to March


def month_in_financial_year(start_year: int, month: int) -> date:
    """The first day of calendar ``month`` within financial year ``start_year``
    (January 2018 is in 2017/18)."""
    year = start_year if month >= FIRST_MONTH_OF_YEAR else start_year + 1
    return date(year, month, 1)


# A running worker polls for work every second, so a job still waiting after this
# long has most likely no worker to go to.
ISSUE_WORKER_GRACE_SECONDS = 15
# Issuing takes well under a minute; a job printing for this long has most likely
# lost its worker (stopped or killed half-way), and may be cancelled.
ISSUE_STALLED_SECONDS = 10 * 60


class Report(Versioned):
    """A progress report on a partnership to a committee, covering the financial year
    to date from April up to ``end_month``. Its ``version`` counts every edit to it or
    to its sections, so that a second editor working from an older page, or a
    background job started before an edit, is refused; the issued versions the
    committee receives are ``ReportVersion`` rows, numbered on their own."""

    class Type(models.TextChoices):
        QUARTERLY = "quarterly", "Quarterly progress report"
        ANNUAL = "annual", "Annual report to the crime and disorder scrutiny committee"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ISSUED = "issued", "Issued"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="reports")
    type = models.CharField(max_length=20, choices=Type.choices, default=Type.ANNUAL)
    title = models.CharField(max_length=200, default="Progress Report")
    financial_year = models.PositiveSmallIntegerField(
        help_text="The financial year it covers: 2017 for 2017/18.",
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    end_month = models.PositiveSmallIntegerField(
        help_text="The last month with figures (1 for January).",
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        help_text="The committee meeting the report goes to, if it is recorded.",
    )
    committee_name = models.CharField(max_length=200, default="Scrutiny Committee")
    meeting_date = models.DateField(
        null=True, blank=True, validators=[DateInRange("Date of the meeting")]
    )
    lead_member = models.CharField(max_length=200, blank=True)
    lead_officer = models.CharField(max_length=200, blank=True)
    # The rest of a committee paper's cover: where it sits on the agenda, who to ask
    # about it, and which wards it concerns.
    agenda_item = models.CharField(max_length=20, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_telephone = models.CharField(max_length=30, blank=True)
    wards_affected = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Draft or issued follows from the edits and the issue, never typed.
    unlisted_fields = ("status",)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The background job that issues the report, and what it is doing now.
    job_id = models.CharField(max_length=64, blank=True)
    job_message = models.CharField(max_length=300, blank=True)
    job_failed = models.BooleanField(default=False)
    # When the officer asked for the issue, and when a worker took it up: the page says
    # how long it has waited, and a job no worker has taken up can still be cancelled.
    job_queued_at = models.DateTimeField(null=True, blank=True)
    job_started_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(
        excluded_fields=[
            "job_id",
            "job_message",
            "job_failed",
            "job_queued_at",
            "job_started_at",
        ]
    )

    objects = PartnershipOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-financial_year", "-end_month", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_month__gte=1, end_month__lte=12),
                name="report_end_month_valid",
                violation_error_message="The last month must be a month from 1 to 12.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.period_label}"

    @property
    def period_start(self) -> date:
        return date(self.financial_year, FIRST_MONTH_OF_YEAR, 1)

    @property
    def period_end(self) -> date:
        first = month_in_financial_year(self.financial_year, self.end_month)
        return first.replace(day=calendar.monthrange(first.year, first.month)[1])

    @property
    def months(self) -> int:
        """How many months from April the report covers (April to January is 10)."""
        return (self.end_month - FIRST_MONTH_OF_YEAR) % 12 + 1

    @property
    def period_label(self) -> str:
        """'April 2017 to January 2018' (or 'April 2017' for one month)."""
        start, end = self.period_start, self.period_end
        if self.months == 1:
            return f"{start:%B %Y}"
        return f"{start:%B %Y} to {end:%B %Y}"

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def job_running(self) -> bool:
        return bool(self.job_id) and not self.job_failed

    @property
    def job_waiting(self) -> bool:
        """Queued, and no worker has taken it up yet."""
        return self.job_running and self.job_started_at is None


class ReportSection(Versioned):
    """One section of a report. Standard sections have a fixed ``key`` and draw their
    tables and charts from the figures; sections an officer adds have a ``custom-``
    key and only text. ``body`` is the officer's text; until they edit it
    (``body_edited`` false) the report shows the draft generated from the numbers."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(max_length=50)
    title = models.CharField(max_length=200)
    included = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField()
    body = models.TextField(blank=True)
    body_edited = models.BooleanField(default=False)
    # Set by the services when the officer writes their own text.
    unlisted_fields = ("body_edited",)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "key"],
                name="report_section_unique_key",
                violation_error_message="The report already has a section with this key.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_custom(self) -> bool:
        return self.key.startswith("custom-")


class ReportVersionQuerySet(models.QuerySet):
    def for_user(self, user) -> ReportVersionQuerySet:
        return self.filter(report__in=Report.objects.for_user(user))


def _version_upload_to(version: ReportVersion, filename: str) -> str:
    return f"reports/{version.report.partnership.slug}/{filename}"


class ReportVersion(models.Model):
    """An issued, frozen version of a report: what the committee received. The PDF
    and the snapshot are written once and never change; the checksum lets anyone
    confirm that a file is the one issued."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    period_label = models.CharField(max_length=100)
    snapshot = models.JSONField(help_text="Every figure and sentence in the PDF, as issued.")
    pdf = models.FileField(upload_to=_version_upload_to)
    checksum = models.CharField("SHA-256 checksum", max_length=64)
    size = models.PositiveIntegerField(help_text="The PDF's size in bytes.")
    page_count = models.PositiveSmallIntegerField()
    # The Word document, built from the same figures as the PDF and frozen with it.
    # Empty for versions issued before Word documents were (they say "not available").
    docx = models.FileField("Word document", upload_to=_version_upload_to, blank=True)
    docx_checksum = models.CharField("Word document's SHA-256 checksum", max_length=64, blank=True)
    docx_size = models.PositiveIntegerField(
        null=True, blank=True, help_text="The Word document's size in bytes."
    )
    charts_drawn = models.BooleanField(
        default=True, help_text="False when charts were replaced by their tables."
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()

    objects = ReportVersionQuerySet.as_manager()

    class Meta:
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"],
                name="report_version_unique_number",
                violation_error_message="This report already has a version with this number.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}, version {self.number}"

    @property
    def file_name(self) -> str:
        return f"{self.report.partnership.slug}-report-{self.report_id}-v{self.number}.pdf"

    @property
    def docx_file_name(self) -> str:
        return f"{self.report.partnership.slug}-report-{self.report_id}-v{self.number}.docx"

    @property
    def has_docx(self) -> bool:
        return bool(self.docx)


def _template_upload_to(template: WordTemplate, filename: str) -> str:
    return f"word-templates/{template.partnership.slug}/{filename}"


class WordTemplate(models.Model):
    """A partnership's own Word template (the council's .docx, checked on upload as a
    plain Word document without macros). Every Word download of the partnership's
    reports starts from it: its fonts, styles, margins, headers and footers."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="word_template"
    )
    file = models.FileField(upload_to=_template_upload_to)
    original_name = models.CharField(max_length=200)
    checksum = models.CharField("SHA-256 checksum", max_length=64)
    size = models.PositiveIntegerField(help_text="The template's size in bytes.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    objects = PartnershipOwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Word template of {self.partnership}: {self.original_name}"
