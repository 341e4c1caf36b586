"""The emails themselves: plain text with a simple HTML alternative, a subject that
names the partnership, the page's absolute link and the link to the recipient's
email preferences. Built from what a ``Delivery`` carries, never from figures."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from notifications.models import Delivery


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _message_id(delivery: Delivery) -> str:
    # The same id every time this delivery is sent: if a run is killed between sending
    # and recording the send, the copy the next run sends carries the same Message-ID,
    # which mail clients and many servers take as a duplicate.
    host = urlsplit(settings.SITE_URL).hostname or "cspportal.localhost"
    return f"<delivery-{delivery.pk}@{host}>"


def delivery_message(delivery: Delivery, carried: list[Delivery]) -> EmailMultiAlternatives:
    """The email of one claimed delivery. A daily summary lists what it ``carried``."""
    context = {
        "delivery": delivery,
        "notification": delivery.notification,
        "link": absolute(delivery.notification.link) if delivery.notification else "",
        "items": [
            {
                "subject": d.notification.subject if d.notification else d.subject,
                "link": absolute(d.notification.link) if d.notification else "",
            }
            for d in carried
        ],
        "preferences_link": absolute(reverse("notifications:preferences")),
    }
    name = "message" if delivery.notification else "summary"
    message = EmailMultiAlternatives(
        subject=delivery.subject,
        body=render_to_string(f"notifications/email/{name}.txt", context),
        to=[delivery.email],
        headers={"Message-ID": _message_id(delivery)},
    )
    message.attach_alternative(
        render_to_string(f"notifications/email/{name}.html", context), "text/html"
    )
    return message
