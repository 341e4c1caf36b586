"""Load the demo partnerships and users. Safe to run again: it updates in place."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.module_loading import import_string

from accounts.models import User
from partnerships import demo
from partnerships.models import (
    Area,
    Membership,
    Organisation,
    Partnership,
    PartnershipRole,
    Priority,
    ThematicGroup,
)

# Later apps extend the demo: each loader takes the command's stdout and must be
# idempotent. They run in this order, inside the same transaction.
DEMO_LOADERS: list[str] = [
    "crimestats.demo.load",
    "actionplans.demo.load",
    "meetings.demo.load",
    "casereviews.demo.load",
    "reports.demo.load",
    "publishing.demo.load",
]


class Command(BaseCommand):
    help = "Load the demo partnerships and users (refuses when DEBUG is off, unless --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even though DEBUG is off (production)."
        )
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Where the app is served, for the sign-in address it prints.",
        )

    def handle(
        self, *args: object, force: bool = False, base_url: str = "", **options: object
    ) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this looks like production. The demo adds users with a "
                "published password; run with --force only if you really mean it."
            )
        with transaction.atomic():
            for spec in demo.PARTNERSHIPS:
                self._load_partnership(spec)
            self._load_users()
            for loader in DEMO_LOADERS:
                import_string(loader)(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(
            f"Sign in at {base_url.rstrip('/')}/accounts/sign-in/ with any of "
            f"these, password '{demo.DEMO_PASSWORD}':"
        )
        for email, name, slug, role, _organisation in demo.USERS:
            what = f"{role.label.lower()} of {slug}" if role else "site administrator"
            self.stdout.write(f"  {email:24} {name} ({what})")
        self.stdout.write(f"Public pages, no sign-in needed: {base_url.rstrip('/')}/public/")

    def _organisation(self, name: str, kind: str) -> Organisation:
        organisation, _ = Organisation.objects.update_or_create(name=name, defaults={"type": kind})
        return organisation

    def _load_partnership(self, spec: demo.DemoPartnership) -> None:
        members = {m.name: self._organisation(m.name, m.type) for m in spec.members}
        partnership, _ = Partnership.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "gss_code": spec.gss_code,
                "gss_vintage": spec.gss_vintage,
                "lead_council": members.get(spec.lead_council),
                "description": spec.description,
                "is_reference": False,
            },
        )
        for name, kind, code, population, year in spec.areas:
            Area.objects.update_or_create(
                partnership=partnership,
                name=name,
                defaults={
                    "kind": kind,
                    "gss_code": code,
                    "population": population,
                    "population_year": year,
                },
            )
        for member in spec.members:
            Membership.objects.update_or_create(
                partnership=partnership,
                organisation=members[member.name],
                defaults={
                    "is_statutory": member.statutory,
                    "representative": member.representative,
                },
            )
        for name, description in spec.groups:
            ThematicGroup.objects.update_or_create(
                partnership=partnership, name=name, defaults={"description": description}
            )
        for name, description, start, end in spec.priorities:
            Priority.objects.update_or_create(
                partnership=partnership,
                name=name,
                start_year=start,
                defaults={"description": description, "end_year": end},
            )

    def _load_users(self) -> None:
        for email, name, slug, role, organisation_name in demo.USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User(email=email)
            user.full_name = name
            user.is_superuser = user.is_staff = slug is None
            user.set_password(demo.DEMO_PASSWORD)
            user.save()
            if slug is not None:
                # Only the site administrator has neither a partnership nor a role.
                assert role is not None
                PartnershipRole.objects.update_or_create(
                    user=user,
                    partnership=Partnership.objects.get(slug=slug),
                    defaults={
                        "role": role,
                        "organisation": Organisation.objects.get(name=organisation_name),
                    },
                )
