"""Writes to partnership records. Each runs in one transaction and validates first;
django-simple-history records who made the change (from the request).

The profile and its rows are versioned (``cspportal.lib.versioning``): an edit names
the version the manager's page was opened on, and refuses with ``EditConflict`` when
someone saved the record since."""

from django.db import transaction

from cspportal.lib.versioning import Versioned, claim, next_version
from partnerships.models import Membership, Organisation


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
