"""Reads of meetings and resolutions, each for one partnership, in a fixed number of
queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from meetings.models import (
    AgendaItem,
    Body,
    CalendarFeed,
    Meeting,
    Resolution,
    ResolutionResponse,
)
from partnerships.models import Organisation, Partnership, ThematicGroup

Status = Resolution.Status


def _meetings(partnership: Partnership) -> QuerySet[Meeting]:
    return Meeting.objects.filter(partnership=partnership).select_related("thematic_group")


def _with_counts(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.annotate(
        resolution_count=Count("resolutions", distinct=True),
        outstanding_count=Count(
            "resolutions",
            filter=Q(resolutions__status__in=Status.outstanding()),
            distinct=True,
        ),
    )


@dataclass(frozen=True)
class MeetingLists:
    upcoming: list[Meeting]
    past: list[Meeting]


def meeting_lists(partnership: Partnership, *, as_of: date) -> MeetingLists:
    """Meetings from ``as_of`` on (soonest first) and before it (latest first), each
    with its number of resolutions and of outstanding ones. Two queries."""
    meetings = _with_counts(_meetings(partnership))
    return MeetingLists(
        upcoming=list(meetings.filter(date__gte=as_of).order_by("date", "start_time", "id")),
        past=list(meetings.filter(date__lt=as_of).order_by("-date", "-start_time", "-id")),
    )


def upcoming_meetings(partnership: Partnership, *, as_of: date, limit: int = 5) -> list[Meeting]:
    """The next few meetings, for a dashboard or report. One query."""
    return list(
        _meetings(partnership).filter(date__gte=as_of).order_by("date", "start_time")[:limit]
    )


def meeting_get(partnership: Partnership, pk: int) -> Meeting:
    """One meeting of the partnership (else 404), with what its page shows. Four queries:
    the meeting, attending organisations, agenda items, resolutions."""
    meeting = (
        _meetings(partnership)
        .prefetch_related(
            Prefetch("organisations", queryset=Organisation.objects.order_by("name")),
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("number")),
            Prefetch(
                "resolutions",
                queryset=Resolution.objects.select_related(
                    "agenda_item", "owner", "report_back_meeting"
                ).order_by("agenda_item__number", "number"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def meeting_get_plain(partnership: Partnership, pk: int) -> Meeting:
    """One meeting of the partnership for editing (else 404). One query."""
    meeting = _meetings(partnership).filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def agenda_item_get(meeting: Meeting, pk: int) -> AgendaItem:
    item = AgendaItem.objects.filter(meeting=meeting, pk=pk).select_related("meeting").first()
    if item is None:
        raise Http404("No such agenda item.")
    return item


def resolution_get(partnership: Partnership, pk: int) -> Resolution:
    """One resolution of the partnership (else 404) with its meeting, owner, action and
    the timeline of responses. Two queries."""
    resolution = (
        Resolution.objects.filter(meeting__partnership=partnership, pk=pk)
        .select_related(
            "meeting__thematic_group",
            "agenda_item",
            "owner",
            "report_back_meeting",
            "action__objective__plan",
        )
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=ResolutionResponse.objects.select_related(
                    "organisation", "recorded_by"
                ).order_by("responded_on", "recorded_at", "id"),
            )
        )
        .first()
    )
    if resolution is None:
        raise Http404("No such resolution.")
    return resolution


def response_get(resolution: Resolution, pk: int) -> ResolutionResponse:
    """One response to the resolution (else 404)."""
    response = (
        ResolutionResponse.objects.filter(resolution=resolution, pk=pk)
        .select_related("organisation", "recorded_by")
        .first()
    )
    if response is None:
        raise Http404("No such response.")
    return response


@dataclass(frozen=True)
class DeleteEffects:
    """What else goes when a record is deleted, for its confirmation page."""

    items: int = 0
    resolutions: tuple[str, ...] = ()  # their numbers, as the minutes give them
    responses: int = 0
    reported_back: int = 0  # resolutions of other meetings that report back to it


def delete_effects(
    *, meeting: Meeting | None = None, item: AgendaItem | None = None
) -> DeleteEffects:
    """The agenda items, resolutions and responses deleted with a meeting or an item,
    and the other meetings' resolutions that report back to the meeting. Up to four
    queries."""
    if meeting is not None:
        resolutions = Resolution.objects.filter(meeting=meeting)
        return DeleteEffects(
            items=AgendaItem.objects.filter(meeting=meeting).count(),
            resolutions=tuple(str(n) for n in resolutions.values_list("number", flat=True)),
            responses=ResolutionResponse.objects.filter(resolution__meeting=meeting).count(),
            reported_back=Resolution.objects.filter(report_back_meeting=meeting)
            .exclude(meeting=meeting)
            .count(),
        )
    resolutions = Resolution.objects.filter(agenda_item=item).order_by("number")
    return DeleteEffects(
        resolutions=tuple(str(n) for n in resolutions.values_list("number", flat=True)),
        responses=ResolutionResponse.objects.filter(resolution__agenda_item=item).count(),
    )


@dataclass(frozen=True)
class ResolutionChange:
    when: object
    who: str
    action: str
    status_label: str


def resolution_history(resolution: Resolution) -> list[ResolutionChange]:
    """Every recorded change to the resolution, oldest first, with who made it. One query."""
    labels = dict(Status.choices)
    actions = {"+": "Created", "~": "Changed", "-": "Deleted"}
    return [
        ResolutionChange(
            when=row.history_date,
            who=(row.history_user.full_name or row.history_user.email)
            if row.history_user
            else "System",
            action=actions[row.history_type],
            status_label=labels.get(row.status, row.status),
        )
        for row in resolution.history.select_related("history_user").order_by("history_date")
    ]


def member_organisations(partnership: Partnership) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__partnership=partnership).order_by("name")


def thematic_groups(partnership: Partnership) -> QuerySet[ThematicGroup]:
    return ThematicGroup.objects.filter(partnership=partnership).order_by("name")


def partnership_meetings(partnership: Partnership) -> QuerySet[Meeting]:
    return Meeting.objects.filter(partnership=partnership).order_by("-date", "-start_time")


@dataclass(frozen=True)
class ResolutionFilters:
    """The tracker's filters. By default it shows the outstanding (open and in
    progress) resolutions of every body and owner; ``status=ALL`` shows every status."""

    body: str = ""
    owner_id: int | None = None
    status: str = "outstanding"
    overdue_only: bool = False

    OUTSTANDING = "outstanding"
    ALL = "all"

    @property
    def is_filtered(self) -> bool:
        """Whether the filters differ from the default outstanding list."""
        return self != ResolutionFilters()


# A link names a resolution by its first ten words, unless the whole text is
# barely longer: cutting "...each month." to "...each…" helps nobody.
SUMMARY_WORDS = 10
SUMMARY_SLACK = 4


@dataclass(frozen=True)
class TrackedResolution:
    """A resolution as the tracker and the scrutiny report show it."""

    resolution: Resolution
    due_date: date | None
    is_overdue: bool
    latest_response: ResolutionResponse | None

    @property
    def meeting(self) -> Meeting:
        return self.resolution.meeting

    @property
    def status(self) -> str:
        return self.resolution.status

    @property
    def status_label(self) -> str:
        return self.resolution.get_status_display()

    @property
    def is_outstanding(self) -> bool:
        return self.resolution.is_outstanding

    @property
    def summary(self) -> str:
        """The first ten words of the text, enough to tell the resolution from its
        neighbours in a link; the whole text when it is at most four words longer."""
        words = self.resolution.text.split()
        if not self.is_summarised:
            return " ".join(words)
        return " ".join(words[:SUMMARY_WORDS]).rstrip(",;:.-") + "\u2026"

    @property
    def is_summarised(self) -> bool:
        return len(self.resolution.text.split()) > SUMMARY_WORDS + SUMMARY_SLACK


@dataclass(frozen=True)
class TrackedMeeting:
    """One meeting on the tracker with the resolutions of it that pass the filters."""

    meeting: Meeting
    rows: list[TrackedResolution]

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.is_overdue)


def _tracked(resolutions: QuerySet[Resolution], as_of: date) -> list[TrackedResolution]:
    """Resolutions in tracker order (outstanding first, then by report-back date), each
    with its overdue flag on ``as_of`` and latest response. Two queries."""
    outstanding = Status.outstanding()
    rows = (
        resolutions.select_related(
            "meeting__thematic_group", "agenda_item", "owner", "report_back_meeting", "action"
        )
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=ResolutionResponse.objects.select_related("organisation").order_by(
                    "responded_on", "recorded_at", "id"
                ),
            )
        )
        .annotate(
            status_rank=Case(
                When(status__in=outstanding, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            due=Coalesce("report_back_date", "report_back_meeting__date"),
        )
        .order_by(
            "status_rank",
            F("due").asc(nulls_last=True),
            "meeting__date",
            F("agenda_item__number").asc(nulls_first=True),
            "number",
            "id",
        )
    )
    tracked = []
    for resolution in rows:
        responses = list(resolution.responses.all())
        due = resolution.due
        tracked.append(
            TrackedResolution(
                resolution=resolution,
                due_date=due,
                is_overdue=resolution.status in outstanding and due is not None and due < as_of,
                latest_response=responses[-1] if responses else None,
            )
        )
    return tracked


def resolution_tracker(
    partnership: Partnership, *, filters: ResolutionFilters, as_of: date
) -> list[TrackedResolution]:
    """The resolutions of the partnership's meetings that pass the filters (by default
    the open and in-progress ones), open and in progress first, soonest report-back
    first, overdue ones flagged on ``as_of``. Two queries."""
    resolutions = Resolution.objects.filter(meeting__partnership=partnership)
    if filters.body:
        resolutions = resolutions.filter(meeting__body=filters.body)
    if filters.owner_id:
        resolutions = resolutions.filter(owner_id=filters.owner_id)
    if filters.status == ResolutionFilters.OUTSTANDING:
        resolutions = resolutions.filter(status__in=Status.outstanding())
    elif filters.status and filters.status != ResolutionFilters.ALL:
        resolutions = resolutions.filter(status=filters.status)
    if filters.overdue_only:
        # The same rule as Resolution.is_overdue: outstanding, and the report-back
        # date (or the report-back meeting's date) before today.
        resolutions = resolutions.alias(
            due_on=Coalesce("report_back_date", "report_back_meeting__date")
        ).filter(status__in=Status.outstanding(), due_on__lt=as_of)
    return _tracked(resolutions, as_of)


def by_meeting(rows: list[TrackedResolution]) -> list[TrackedMeeting]:
    """The tracker's rows under their meetings. A meeting comes where its first row
    comes, so the meeting with the most pressing report-back leads; its rows keep the
    tracker's order. No query."""
    groups: dict[int, TrackedMeeting] = {}
    for row in rows:
        group = groups.get(row.meeting.pk)
        if group is None:
            group = groups[row.meeting.pk] = TrackedMeeting(meeting=row.meeting, rows=[])
        group.rows.append(row)
    return list(groups.values())


def outstanding_resolutions(partnership: Partnership, as_of: date) -> list[TrackedResolution]:
    """The partnership's open and in-progress resolutions on ``as_of``, soonest
    report-back first, each with ``status``/``status_label``, ``due_date``,
    ``is_overdue`` and ``latest_response``. For the scrutiny report. Two queries."""
    return _tracked(
        Resolution.objects.filter(
            meeting__partnership=partnership, status__in=Status.outstanding()
        ),
        as_of,
    )


def calendar_meetings(partnership: Partnership, *, as_of: date) -> list[Meeting]:
    """Meetings for the calendar feed: the past year and everything ahead. Two queries."""
    return list(
        _meetings(partnership)
        .filter(date__gte=as_of - timedelta(days=366))
        .prefetch_related(Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("number")))
        .order_by("date", "start_time", "id")
    )


def calendar_feed_for(user, partnership: Partnership) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, partnership=partnership).first()


def body_choices() -> list[tuple[str, str]]:
    return list(Body.choices)
