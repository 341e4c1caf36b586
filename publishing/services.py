"""Writes of the public pages: switching them on or off, and publishing a version."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from partnerships.models import Partnership
from publishing import content
from publishing.models import PublicPages, PublishedVersion


class StaleVersion(ValidationError):
    """Someone else published since the manager's page was loaded."""


def public_pages_set(*, partnership: Partnership, is_on: bool, user: User) -> PublicPages:
    """Turn the partnership's public pages on or off. Off, every public address of the
    partnership answers 404 at once; its published versions are kept."""
    with transaction.atomic():
        found, _ = PublicPages.objects.select_for_update().get_or_create(partnership=partnership)
        found.is_on = is_on
        found.changed_by = user
        found.changed_at = timezone.now()
        found.full_clean()
        found.save()
    return found


def version_publish(
    *, partnership: Partnership, user: User, expected_latest: int
) -> PublishedVersion:
    """Build the public content from the data as it stands and store it as the next
    version. ``expected_latest`` is the latest number the manager saw: if another
    manager published in between, nothing is stored (``StaleVersion``), so that a
    double click or two managers never make two versions of one intent."""
    with transaction.atomic():
        # Lock the partnership row: publishes of one partnership queue here.
        Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
        latest = (
            PublishedVersion.objects.filter(partnership=partnership).aggregate(n=Max("number"))["n"]
            or 0
        )
        if latest != expected_latest:
            raise StaleVersion(
                f"Version {latest} was published since you opened this page: check it "
                "before publishing again."
            )
        now = timezone.now()
        built = content.build(partnership, as_at=timezone.localdate(now))
        number = latest + 1
        built["number"] = number
        built["published_at"] = now.isoformat()
        version = PublishedVersion(
            partnership=partnership,
            number=number,
            period_label=built["period_label"],
            period_start=built["period_start"] or None,
            period_end=built["period_end"] or None,
            content=built,
            published_at=now,
            published_by=user,
        )
        version.full_clean()
        version.save()
    return version
