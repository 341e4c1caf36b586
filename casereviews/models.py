"""The ASB case review (community trigger) register of a partnership.

Section 104 of the Anti-social Behaviour, Crime and Policing Act 2014 makes the
relevant bodies publish, at least every 12 months, how many applications for a case
review they received, how many did not meet the threshold, how many reviews they
carried out and how many reviews led to recommendations. The register records each
application by the officer's reference number, never the applicant's name or address,
so that the four figures are counted rather than typed.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from casereviews import timescales
from cspportal.lib.validation import DateInRange
from cspportal.lib.versioning import Versioned
from partnerships.models import Organisation, Partnership, PartnershipOwnedQuerySet

_DAYS = [MinValueValidator(1), MaxValueValidator(250)]


class CaseReviewSettings(Versioned):
    """A partnership's local timescales (in working days) and its local threshold, in
    the words the publication prints."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="case_review_settings"
    )
    threshold_days = models.PositiveSmallIntegerField(
        "working days to decide the threshold",
        default=timescales.DEFAULT_THRESHOLD_DAYS,
        validators=_DAYS,
        help_text="Counted from the day the application is received.",
    )
    review_days = models.PositiveSmallIntegerField(
        "working days to hold the review",
        default=timescales.DEFAULT_REVIEW_DAYS,
        validators=_DAYS,
        help_text="Counted from the day the threshold is found met.",
    )
    outcome_days = models.PositiveSmallIntegerField(
        "working days to send the outcome",
        default=timescales.DEFAULT_OUTCOME_DAYS,
        validators=_DAYS,
        help_text="Counted from the review, or from a decision that the threshold is not met.",
    )
    threshold_text = models.TextField(
        "local threshold",
        blank=True,
        help_text="The threshold in words, as the public reads it: for example, three "
        "complaints about separate incidents in the last six months.",
    )
    how_to_apply = models.TextField(
        "how to apply",
        blank=True,
        help_text="How someone applies for a case review: the telephone number, email "
        "address or web form to use.",
    )
    history = HistoricalRecords()

    objects = PartnershipOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "case review settings"
        verbose_name_plural = "case review settings"

    def __str__(self) -> str:
        return f"Case review settings of {self.partnership}"

    @property
    def timescales(self) -> timescales.Timescales:
        return timescales.Timescales(self.threshold_days, self.review_days, self.outcome_days)


class Decision(models.TextChoices):
    PENDING = "pending", "Not decided yet"
    MET = "met", "Yes, the threshold is met"
    NOT_MET = "not_met", "No, the threshold is not met"


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class CaseReviewApplication(Versioned):
    """One application for an ASB case review, by its reference number. It holds no
    personal data: no name, address or other detail of the applicant or anyone else."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="case_review_applications"
    )
    reference = models.CharField(
        "reference number",
        max_length=50,
        help_text="Your own reference for the application, like CT-2024-007.",
    )
    received_on = models.DateField("date received", validators=[DateInRange("Date received")])
    receiving_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="organisation that received it",
    )
    threshold_used = models.TextField(
        "local threshold used", help_text="The threshold the application was judged against."
    )
    threshold_met = models.CharField(
        "threshold met", max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_on = models.DateField(
        "decision date", null=True, blank=True, validators=[DateInRange("Decision date")]
    )
    decision_reason = models.TextField("reason for the decision", blank=True)
    reviewed_on = models.DateField(
        "review date", null=True, blank=True, validators=[DateInRange("Review date")]
    )
    recommendations_made = models.CharField(
        "recommendations made", max_length=3, choices=YesNo.choices, blank=True
    )
    pcc_review_requested = models.CharField(
        "PCC review of the threshold decision requested",
        max_length=3,
        choices=YesNo.choices,
        default=YesNo.NO,
    )
    pcc_review_outcome = models.TextField("outcome of the PCC review", blank=True)
    outcome_sent_on = models.DateField(
        "outcome sent date",
        null=True,
        blank=True,
        validators=[DateInRange("Outcome sent date")],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = PartnershipOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "reference"]
        verbose_name = "case review application"
        indexes = [models.Index(fields=["partnership", "received_on"], name="case_review_received")]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "reference"],
                name="case_review_unique_reference",
                violation_error_message="This partnership already has an application with "
                "this reference number.",
            ),
            models.CheckConstraint(
                condition=Q(threshold_met="pending") | Q(decided_on__isnull=False),
                name="case_review_decision_has_date",
                violation_error_message="Give the decision date of a threshold decision.",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_on__isnull=True) | Q(threshold_met="met"),
                name="case_review_review_needs_threshold_met",
                violation_error_message="A review is held only when the threshold is met.",
            ),
        ]

    def __str__(self) -> str:
        return f"Case review application {self.reference}"

    @property
    def met(self) -> bool | None:
        if self.threshold_met == Decision.PENDING:
            return None
        return self.threshold_met == Decision.MET

    def next_step(self, rules: timescales.Timescales, today: date) -> timescales.NextStep:
        return timescales.next_step(
            received_on=self.received_on,
            decided_on=self.decided_on,
            threshold_met=self.met,
            reviewed_on=self.reviewed_on,
            outcome_sent_on=self.outcome_sent_on,
            timescales=rules,
            today=today,
        )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        received, decided, reviewed, sent = (
            self.received_on,
            self.decided_on,
            self.reviewed_on,
            self.outcome_sent_on,
        )
        if self.threshold_met == Decision.PENDING:
            if decided is not None:
                errors["decided_on"] = (
                    "Decision date: leave it empty until the threshold is decided, or say "
                    "whether the threshold is met"
                )
        elif decided is None:
            errors["decided_on"] = "Enter the decision date of the threshold decision"
        if received and decided and decided < received:
            errors["decided_on"] = "Decision date: it cannot be before the date received"
        if reviewed is not None and self.threshold_met != Decision.MET:
            errors["reviewed_on"] = "Review date: a review is held only when the threshold is met"
        elif reviewed and decided and reviewed < decided:
            errors["reviewed_on"] = "Review date: it cannot be before the decision date"
        if self.recommendations_made and reviewed is None:
            errors["recommendations_made"] = (
                "Recommendations made: say so only once the review date is entered"
            )
        elif reviewed is not None and not self.recommendations_made:
            errors["recommendations_made"] = (
                "Recommendations made: say whether the review made recommendations"
            )
        if self.pcc_review_outcome.strip() and self.pcc_review_requested != YesNo.YES:
            errors["pcc_review_outcome"] = (
                "Outcome of the PCC review: only when a PCC review was requested"
            )
        if sent is not None:
            last = reviewed or decided
            if self.threshold_met == Decision.PENDING:
                errors["outcome_sent_on"] = (
                    "Outcome sent date: decide the threshold before sending the outcome"
                )
            elif self.threshold_met == Decision.MET and reviewed is None:
                errors["outcome_sent_on"] = (
                    "Outcome sent date: hold the review before sending its outcome"
                )
            elif last and sent < last:
                before = "review date" if reviewed else "decision date"
                errors["outcome_sent_on"] = f"Outcome sent date: it cannot be before the {before}"
        if (
            self.receiving_organisation_id is not None
            and self.partnership_id is not None
            and not self.partnership.memberships.filter(
                organisation_id=self.receiving_organisation_id
            ).exists()
        ):
            errors["receiving_organisation"] = (
                "Organisation that received it: choose a member organisation of this partnership"
            )
        if errors:
            raise ValidationError(errors)


class Recommendation(Versioned):
    """A recommendation a case review made, its owner, and the action-plan action that
    carries it out once one is made from it."""

    application = models.ForeignKey(
        CaseReviewApplication, on_delete=models.CASCADE, related_name="recommendations"
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="owner organisation",
    )
    text = models.TextField("recommendation")
    action = models.ForeignKey(
        "actionplans.Action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_review_recommendations",
        verbose_name="action-plan action",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Recommendation of {self.application.reference}"

    def clean(self) -> None:
        application = self.application
        if (
            self.owner_id is not None
            and not application.partnership.memberships.filter(
                organisation_id=self.owner_id
            ).exists()
        ):
            raise ValidationError(
                {"owner": "Owner organisation: choose a member organisation of this partnership"}
            )
        if application.recommendations_made != YesNo.YES:
            raise ValidationError("Record that the review made recommendations before adding one.")


class CaseReviewPublication(models.Model):
    """The four statutory figures of one financial year as a manager published them,
    with the threshold text of the day. Frozen: later edits to the register or the
    settings do not change it. Publishing a year again adds a newer publication; the
    public page shows the newest of each year."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="case_review_publications"
    )
    financial_year = models.PositiveSmallIntegerField(
        help_text="The year it starts: 2024 for 2024/25.",
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    applications = models.PositiveIntegerField()
    thresholds_not_met = models.PositiveIntegerField()
    reviews = models.PositiveIntegerField()
    reviews_with_recommendations = models.PositiveIntegerField()
    threshold_text = models.TextField(blank=True)
    how_to_apply = models.TextField(blank=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PartnershipOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-financial_year", "-published_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reviews_with_recommendations__lte=models.F("reviews")),
                name="case_review_publication_figures_consistent",
                violation_error_message="More reviews led to recommendations than were held.",
            )
        ]

    def __str__(self) -> str:
        return f"Case review figures {self.financial_year} of {self.partnership}"
