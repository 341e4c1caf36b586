"""Writes to partnership records. Each runs in one transaction and validates first;
django-simple-history records who made the change (from the request)."""

from django.db import transaction
from django.db.models import Model

from partnerships.forms import MembershipForm
from partnerships.models import Membership


@transaction.atomic
def partnership_record_save(*, instance: Model) -> Model:
    """Create or update one partnership-owned row (an area, group, priority...)."""
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def partnership_record_delete(*, instance: Model) -> None:
    instance.delete()


@transaction.atomic
def membership_save(*, form: MembershipForm) -> Membership:
    """Save a membership, creating the organisation first when the manager added a new one."""
    membership: Membership = form.instance
    organisation = form.new_organisation()
    if organisation is not None:
        organisation.full_clean()
        organisation.save()
        membership.organisation = organisation
    membership.full_clean()
    membership.save()
    return membership
