"""Writes made from the dashboards: a manager's peer groups."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from crimestats.models import PeerGroup
from partnerships.models import Partnership

__all__ = ["ValidationError", "peer_group_save"]


@transaction.atomic
def peer_group_save(
    *,
    partnership: Partnership,
    group: PeerGroup | None,
    name: str,
    members: list[Partnership],
    user=None,
) -> PeerGroup:
    """Create or change a peer group of ONS-imported (reference) partnerships. Raises
    ValidationError, changing nothing, for a duplicate name or a member that is not a
    reference partnership."""
    if any(not m.is_reference for m in members):
        raise ValidationError("A peer group can only hold partnerships imported from ONS tables.")
    group = group or PeerGroup(partnership=partnership)
    group.name = name.strip()
    group.full_clean()
    group._history_user = user  # type: ignore[attr-defined]  # simple-history reads it on save
    group.save()
    group.members.set(members)
    return group
