"""Meetings of a partnership's bodies, their agenda and minutes, and the resolutions
they make, each tracked through responses until it is discharged.

Minutes are kept per agenda item (as council committee systems publish them), so the
text a resolution came from sits next to it.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from cspportal.lib.validation import DateInRange, PublicLink
from cspportal.lib.versioning import Versioned
from partnerships.models import (
    Organisation,
    Partnership,
    PartnershipOwnedQuerySet,
    ThematicGroup,
)


class Body(models.TextChoices):
    """The bodies whose meetings the app records. RAG here is always the Responsible
    Authorities Group, never a red/amber/green status."""

    RESPONSIBLE_AUTHORITIES_GROUP = "rag", "Responsible Authorities Group"
    BOARD = "board", "CSP board"
    THEMATIC_GROUP = "thematic", "Thematic group"
    SCRUTINY = "scrutiny", "Scrutiny committee"


class Meeting(Versioned):
    """One meeting of a partnership body: when, where and who came."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="meetings")
    body = models.CharField(max_length=20, choices=Body.choices)
    thematic_group = models.ForeignKey(
        ThematicGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text="Only for a meeting of a thematic group.",
    )
    title = models.CharField(
        max_length=200, help_text="For example, Scrutiny Committee: Community Safety Partnership."
    )
    date = models.DateField(validators=[DateInRange("Date of the meeting")])
    start_time = models.TimeField(null=True, blank=True, help_text="UK time, like 18:30.")
    end_time = models.TimeField(null=True, blank=True, help_text="UK time, like 20:00.")
    place = models.CharField(max_length=200, blank=True)
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="meetings_attended",
        verbose_name="organisations attending",
    )
    notes = models.TextField(blank=True)
    is_private = models.BooleanField(
        "private meeting",
        default=False,
        help_text="A private meeting, and its resolutions, never appear on the public pages.",
    )
    # Rises with every save, so that an edit made from an older copy is refused
    # rather than silently overwriting someone else's (see services.meeting_save).
    history = HistoricalRecords(m2m_fields=[organisations])

    objects = PartnershipOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time"]
        indexes = [models.Index(fields=["partnership", "date"], name="meeting_partnership_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(body="thematic", thematic_group__isnull=False)
                | (~Q(body="thematic") & Q(thematic_group__isnull=True)),
                name="meeting_thematic_group_iff_thematic_body",
                violation_error_message=(
                    "Choose the thematic group for a thematic group meeting, and only then."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | (Q(start_time__isnull=False) & Q(end_time__gt=models.F("start_time"))),
                name="meeting_ends_after_it_starts",
                violation_error_message="The meeting must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.date.day} {self.date:%B %Y}"

    @property
    def body_label(self) -> str:
        if self.body == Body.THEMATIC_GROUP and self.thematic_group is not None:
            return f"Thematic group: {self.thematic_group.name}"
        return self.get_body_display()


def agenda_paper_path(instance: AgendaItem, filename: str) -> str:
    return f"meetings/{instance.meeting.partnership_id}/{instance.meeting_id}/{filename}"


class AgendaItem(Versioned):
    """An item on a meeting's agenda, with its paper and the minutes of its discussion."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    title = models.CharField(max_length=300)
    paper_file = models.FileField(
        "paper (file)", upload_to=agenda_paper_path, blank=True, max_length=300
    )
    paper_link = models.URLField(
        "paper (link)",
        blank=True,
        max_length=500,
        validators=[URLValidator(schemes=["https", "http"]), PublicLink("Link to the paper")],
    )
    minutes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="agenda_item_unique_number",
                violation_error_message="This meeting already has an item with this number.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ResolutionQuerySet(models.QuerySet):
    def for_user(self, user) -> ResolutionQuerySet:
        return self.filter(meeting__in=Meeting.objects.for_user(user))


class Resolution(Versioned):
    """A decision of a meeting, numbered as the minutes number it, tracked until it is
    discharged, noted or superseded."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DISCHARGED = "discharged", "Discharged"
        NOTED = "noted", "Noted"
        SUPERSEDED = "superseded", "Superseded"

        @classmethod
        def outstanding(cls) -> list[str]:
            return [cls.OPEN, cls.IN_PROGRESS]

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resolutions",
    )
    number = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1)], help_text="As the minutes number it."
    )
    text = models.TextField()
    owner = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions_owned",
        verbose_name="owner organisation",
    )
    report_back_date = models.DateField(
        null=True, blank=True, validators=[DateInRange("Report-back date")]
    )
    report_back_meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resolutions_reported_back",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    is_private = models.BooleanField(
        "private resolution",
        default=False,
        help_text="A private resolution never appears on the public pages.",
    )
    action = models.ForeignKey(
        "actionplans.Action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resolutions",
        verbose_name="action-plan action",
        help_text="The action in the partnership's action plan that carries this out.",
    )
    history = HistoricalRecords()

    objects = ResolutionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting__date", "agenda_item__number", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "number"],
                condition=Q(agenda_item__isnull=False),
                name="resolution_unique_number_per_item",
                violation_error_message=(
                    "This agenda item already has a resolution with this number."
                ),
            ),
            models.UniqueConstraint(
                fields=["meeting", "number"],
                condition=Q(agenda_item__isnull=True),
                name="resolution_unique_number_per_meeting",
                violation_error_message="This meeting already has a resolution with this number.",
            ),
        ]

    def __str__(self) -> str:
        return f"Resolution {self.citation} of {self.meeting}"

    @property
    def reference(self) -> str:
        """The resolution's own number as the minutes print it: "2" for the second
        decision under "RESOLVED", whatever the number of the item it sits under.
        Clerks read "7.2" as a paragraph number, which minutes rarely use."""
        return str(self.number)

    @property
    def item_number(self) -> int | None:
        """The number of the agenda item (the minute) it was made under, if any."""
        return self.agenda_item.number if self.agenda_item is not None else None

    @property
    def citation(self) -> str:
        """Where to find it in the minutes: "2 (item 7)", or "2" with no item."""
        if self.agenda_item is not None:
            return f"{self.number} (item {self.agenda_item.number})"
        return str(self.number)

    @property
    def due_date(self) -> date | None:
        """When the owner must report back: the date, else the report-back meeting's date."""
        if self.report_back_date is not None:
            return self.report_back_date
        if self.report_back_meeting is not None:
            return self.report_back_meeting.date
        return None

    @property
    def is_outstanding(self) -> bool:
        return self.status in self.Status.outstanding()

    def is_overdue(self, as_of: date) -> bool:
        """Outstanding and its report-back date has passed (the day itself is not late)."""
        due = self.due_date
        return self.is_outstanding and due is not None and due < as_of

    def clean(self) -> None:
        if self.agenda_item is not None and self.agenda_item.meeting_id != self.meeting_id:
            raise ValidationError({"agenda_item": "Choose an item of this meeting."})
        if (
            self.report_back_meeting is not None
            and self.report_back_meeting.partnership_id != self.meeting.partnership_id
        ):
            raise ValidationError({"report_back_meeting": "Choose a meeting of this partnership."})
        if (
            self.owner_id is not None
            and not self.meeting.partnership.memberships.filter(
                organisation_id=self.owner_id
            ).exists()
        ):
            raise ValidationError({"owner": "Choose a member organisation of this partnership."})
        if (
            self.action is not None
            and self.action.objective.plan.partnership_id != self.meeting.partnership_id
        ):
            raise ValidationError({"action": "Choose an action of this partnership's plans."})


class ResolutionResponse(Versioned):
    """What was done about a resolution, by whom and when; it may move the status on."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="responses")
    responded_on = models.DateField("date", validators=[DateInRange("Date of the response")])
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The organisation that acted.",
    )
    text = models.TextField("what was done")
    new_status = models.CharField(
        "new status",
        max_length=20,
        choices=Resolution.Status.choices,
        blank=True,
        help_text="Leave blank to keep the status as it is.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["responded_on", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"Response of {self.responded_on:%d/%m/%Y} to {self.resolution}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A secret link to one user's iCalendar feed of one partnership's meetings, for
    calendar apps that cannot sign in. The feed checks the user's role on every fetch,
    and removing the role (or switching the account off) deletes the link
    (meetings/signals.py), so a role given back later needs a new link; a new link
    replaces the old one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership"],
                name="calendar_feed_one_per_user_and_partnership",
                violation_error_message="This user already has a calendar link here.",
            )
        ]

    def __str__(self) -> str:
        return f"Calendar link of {self.user} for {self.partnership}"
