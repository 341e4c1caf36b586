"""Send every reminder, chaser and daily summary that is due now. Run it every 15
minutes (a systemd timer or cron: docs/deploy.md); running it again, or after it
was killed, never sends an email twice (docs/notifications.md)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.services import reminders_send


class Command(BaseCommand):
    help = "Send the reminders, chasers and daily summaries that are due now."

    def handle(self, *args, **options) -> None:
        if not settings.SITE_URL:
            raise CommandError("Set SITE_URL (like https://csp.example.gov.uk): emails link to it.")
        result = reminders_send(now=timezone.now())
        self.stdout.write(
            f"{result.claimed} new notification{'s' if result.claimed != 1 else ''}, "
            f"{result.summaries} daily summar{'ies' if result.summaries != 1 else 'y'}, "
            f"{result.sent} email{'s' if result.sent != 1 else ''} sent, "
            f"{result.failed} failed."
        )
