"""Reads for the public pages and the manager's publishing page.

The public reads never take a user: whoever asks sees the same page. Each one
refuses with a 404 (never a 403) when the partnership has its public pages off or has
published nothing, so that a refusal says nothing about what exists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Exists, Max, OuterRef, Prefetch
from django.http import Http404

from actionplans.models import Action, ActionPlan
from casereviews.models import CaseReviewPublication
from meetings.models import AgendaItem, Meeting, Resolution
from partnerships.models import Partnership
from publishing.models import PublicPages, PublishedVersion

# A version never changes once published, so its content can stay cached as long
# as the cache keeps it; the key carries the version number (``content_key``).
CONTENT_TIMEOUT = 24 * 60 * 60


@dataclass(frozen=True)
class PublicPartnership:
    """A partnership whose public pages are on, with its latest version's number."""

    id: int
    slug: str
    name: str
    latest: int
    # Whether the partnership has published a year of ASB case review figures: that
    # publication (the casereviews app) is live, and the public pages link to it.
    case_reviews: bool = False


def public_partnership(slug: str) -> PublicPartnership:
    """The partnership with public pages on and at least one published version, or
    404. One query."""
    row = (
        Partnership.objects.filter(slug=slug, is_reference=False, public_pages__is_on=True)
        .annotate(
            latest=Max("published_versions__number"),
            case_reviews=Exists(CaseReviewPublication.objects.filter(partnership=OuterRef("pk"))),
        )
        .values_list("id", "slug", "name", "latest", "case_reviews")
        .first()
    )
    if row is None or row[3] is None:
        raise Http404("No such public pages.")
    return PublicPartnership(*row)


@dataclass(frozen=True)
class PublishedPartnership:
    slug: str
    name: str
    latest: int
    published_at: datetime


def published_partnerships() -> list[PublishedPartnership]:
    """Every partnership with public pages on and a published version, by name, with
    when it last published. One query."""
    rows = (
        Partnership.objects.filter(is_reference=False, public_pages__is_on=True)
        .annotate(
            latest=Max("published_versions__number"),
            published_at=Max("published_versions__published_at"),
        )
        .filter(latest__isnull=False)
        .order_by("name")
        .values_list("slug", "name", "latest", "published_at")
    )
    return [PublishedPartnership(*row) for row in rows]


def content_key(partnership_id: int, number: int) -> str:
    return f"publishing:content:{partnership_id}:{number}"


def version_content(partnership_id: int, number: int) -> dict[str, Any]:
    """A published version's content, from the cache or in one query; 404 when the
    partnership has no such version."""
    key = content_key(partnership_id, number)
    found = cache.get(key)
    if found is None:
        found = (
            PublishedVersion.objects.filter(partnership_id=partnership_id, number=number)
            .values_list("content", flat=True)
            .first()
        )
        if found is None:
            raise Http404("No such version.")
        cache.set(key, found, CONTENT_TIMEOUT)
    return found


@dataclass(frozen=True)
class VersionRow:
    number: int
    period_label: str
    published_at: datetime


def versions(partnership_id: int) -> list[VersionRow]:
    """The partnership's published versions, newest first, without their content. One
    query."""
    rows = (
        PublishedVersion.objects.filter(partnership_id=partnership_id)
        .order_by("-number")
        .values_list("number", "period_label", "published_at")
    )
    return [VersionRow(*row) for row in rows]


def case_review_publications() -> list[tuple[str, datetime]]:
    """Each partnership that has published ASB case review figures, with when it last
    did. One query."""
    rows = (
        CaseReviewPublication.objects.values("partnership__slug")
        .annotate(last=Max("published_at"))
        .order_by("partnership__slug")
        .values_list("partnership__slug", "last")
    )
    return list(rows)


def has_case_reviews(partnership_id: int) -> bool:
    return CaseReviewPublication.objects.filter(partnership_id=partnership_id).exists()


def public_pages_on(partnership: Partnership) -> bool:
    return PublicPages.objects.filter(partnership=partnership, is_on=True).exists()


def latest_number(partnership: Partnership) -> int:
    """The number of the latest version, 0 before the first publish."""
    found = PublishedVersion.objects.filter(partnership=partnership).aggregate(n=Max("number"))
    return int(found["n"] or 0)


# --- what may be shown: the rules for private records, in one place ---------------


def public_meetings(partnership_id: int) -> Any:
    """The partnership's meetings that are not private."""
    return Meeting.objects.filter(partnership_id=partnership_id, is_private=False)


def upcoming_public_meetings(partnership_id: int, *, as_of: date) -> list[Meeting]:
    """Public meetings from ``as_of`` on, soonest first, with their agenda items (for
    the calendar's descriptions). Two queries."""
    return list(
        public_meetings(partnership_id)
        .filter(date__gte=as_of)
        .select_related("thematic_group")
        .prefetch_related(Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("number")))
        .order_by("date", "start_time", "id")
    )


def public_resolutions(partnership: Partnership) -> list[Resolution]:
    """The resolutions of public meetings that are not private themselves, newest
    meeting first. One query."""
    return list(
        Resolution.objects.filter(
            meeting__partnership=partnership, meeting__is_private=False, is_private=False
        )
        .select_related("meeting", "meeting__thematic_group", "agenda_item", "owner")
        .order_by("-meeting__date", "meeting_id", "agenda_item__number", "number", "id")
    )


def public_actions(partnership: Partnership) -> list[Action]:
    """The actions of the partnership's plans that are not drafts, leaving out
    private actions, in plan, objective and action order. One query."""
    return list(
        Action.objects.filter(objective__plan__partnership=partnership, is_private=False)
        .exclude(objective__plan__status=ActionPlan.Status.DRAFT)
        .select_related("objective__plan", "objective__priority", "lead_organisation")
        .order_by(
            "-objective__plan__start_year",
            "objective__plan__title",
            "objective__display_order",
            "objective_id",
            "display_order",
            "id",
        )
    )
