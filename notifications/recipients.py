"""Who the reminders go to: the active editors and managers of the partnerships a
run covers, read in one query whatever their number."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from partnerships.models import PartnershipRole, Role


@dataclass
class Recipients:
    # (partnership id, organisation id) -> the editors and managers of that
    # organisation there; partnership id -> its managers. Each list by email.
    editors: dict[tuple[int, int], list[PartnershipRole]] = field(
        default_factory=lambda: defaultdict(list)
    )
    managers: dict[int, list[PartnershipRole]] = field(default_factory=lambda: defaultdict(list))


def recipients(partnership_ids: Iterable[int]) -> Recipients:
    found = Recipients()
    for role in (
        PartnershipRole.objects.filter(
            partnership__in=set(partnership_ids),
            role__in=(Role.EDITOR, Role.MANAGER),
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__email")
    ):
        if role.organisation_id is not None:
            found.editors[(role.partnership_id, role.organisation_id)].append(role)
        if role.role == Role.MANAGER:
            found.managers[role.partnership_id].append(role)
    return found
