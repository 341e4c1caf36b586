"""In-app notifications, the record of every email send and each user's email
preferences (docs/notifications.md).

A ``Delivery`` is claimed (inserted) before its email is sent, and is unique per
recipient and reason key, so that no run of ``send_reminders`` sends the same
reminder twice; its status says whether the email has gone yet.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from partnerships.models import Partnership


class Kind(models.TextChoices):
    """What a notification is about: each kind of email can be turned off."""

    DATA_REQUESTS = "data_requests", "Data requests and chasers for figures"
    ACTION_UPDATES = "action_updates", "Action updates"
    REPORT_BACKS = "report_backs", "Resolution report-backs"
    MEETINGS = "meetings", "Meetings"
    WEEKLY_DIGEST = "weekly_digest", "The weekly digest"


class Notification(models.Model):
    """One thing a user is told about, shown in the app whatever their email
    preferences. ``link`` is a path on this site; emails make it absolute."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason_key = models.CharField(max_length=200)
    subject = models.CharField(max_length=200)
    text = models.TextField()
    link = models.CharField(max_length=500)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "reason_key"],
                name="notification_once_per_user_and_reason",
                violation_error_message="This user has already been told about this.",
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """The record of one email to one recipient for one reason: inserted first (the
    claim), then sent, then marked sent. A claimed row that is still ``pending``
    (the run stopped before sending it) is sent by the next run."""

    class Status(models.TextChoices):
        PENDING = "pending", "Claimed, not sent yet"
        SENT = "sent", "Sent"
        HELD = "held", "Held for the daily summary"
        SUMMARISED = "summarised", "Sent in a daily summary"
        OFF = "off", "Not sent: the recipient's preferences"
        FAILED = "failed", "Failed: the mail server refused it five times"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries"
    )
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    summary = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried",
        help_text="The daily summary that carried this email.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, blank=True)
    reason_key = models.CharField(max_length=200)
    email = models.EmailField("sent to")
    subject = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Failed attempts to send it.")

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-claimed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "reason_key"],
                name="delivery_once_per_recipient_and_reason",
                violation_error_message="This email has already been sent to this recipient.",
            )
        ]
        indexes = [models.Index(fields=["status"], name="delivery_status")]

    def __str__(self) -> str:
        return f"{self.subject} to {self.email}"


class EmailPreference(models.Model):
    """Which emails a user gets and how often. A user without a row gets every kind
    as it happens."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "As it happens"
        DAILY = "daily", "In one daily summary"
        NONE = "none", "No emails (notifications in the app only)"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preference"
    )
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    data_requests = models.BooleanField(default=True)
    action_updates = models.BooleanField(default=True)
    report_backs = models.BooleanField(default=True)
    meetings = models.BooleanField(default=True)
    weekly_digest = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"Email preferences of {self.user}"

    def wants(self, kind: str) -> bool:
        """Whether the user gets emails of this kind at all."""
        return self.frequency != self.Frequency.NONE and bool(getattr(self, Kind(kind).value))
