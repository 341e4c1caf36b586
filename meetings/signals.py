"""Calendar links die with the access they were made under.

A calendar link (``CalendarFeed``) is a secret address that works without signing in.
The feed checks the owner's role on every fetch, but a check alone would let an old
link come back to life when the role is given back, or the account switched on again,
months later. So the link itself is deleted when the role is taken away or the account
is switched off: a person given access again makes a new link, and the old address
stays dead. Signals, because roles are removed in more than one place (the members
page, the admin, a cascade) and the partnerships app does not know about meetings.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from meetings.models import CalendarFeed
from partnerships.models import PartnershipRole


@receiver(post_delete, sender=PartnershipRole, dispatch_uid="calendar_feed_dies_with_role")
def calendar_feed_revoke_with_role(sender: Any, instance: PartnershipRole, **kwargs: Any) -> None:
    CalendarFeed.objects.filter(
        user_id=instance.user_id, partnership_id=instance.partnership_id
    ).delete()


@receiver(post_save, sender=get_user_model(), dispatch_uid="calendar_feeds_die_with_account")
def calendar_feeds_revoke_when_switched_off(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not instance.is_active:
        CalendarFeed.objects.filter(user_id=instance.pk).delete()
