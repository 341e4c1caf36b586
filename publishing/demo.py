"""The demo's public pages: Safer Chorley and South Ribble publishes one version, so
that ``make run`` shows them at /public/. Safe to run again: it publishes only when
the partnership has published nothing yet."""

from __future__ import annotations

from accounts.models import User
from partnerships.models import Partnership
from publishing import selectors, services

SLUG = "safer-chorley-south-ribble"
MANAGER_EMAIL = "manager@example.org"


def load(stdout) -> None:
    partnership = Partnership.objects.filter(slug=SLUG).first()
    manager = User.objects.filter(email=MANAGER_EMAIL).first()
    if partnership is None or manager is None:
        return
    services.public_pages_set(partnership=partnership, is_on=True, user=manager)
    if selectors.latest_number(partnership) == 0:
        services.version_publish(partnership=partnership, user=manager, expected_latest=0)
        stdout.write(f"Published version 1 of the public pages of {partnership.name}.")
