"""Reads for the notification pages."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

from accounts.models import User
from notifications.models import Delivery, EmailPreference, Notification
from partnerships.models import Partnership

NOTIFICATIONS_PER_PAGE = 25
DELIVERIES_PER_PAGE = 50


def notifications_page(user: User, page_number: int | str | None) -> Page:
    """The user's own notifications, newest first, with their partnership. Two
    queries (the count and the page)."""
    notifications = Notification.objects.filter(user=user).select_related("partnership")
    return Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(page_number)


def email_preference_for(user: User) -> EmailPreference:
    """The user's preferences, unsaved with the defaults when they have chosen none."""
    return EmailPreference.objects.filter(user=user).first() or EmailPreference(user=user)


def delivery_log(partnership: Partnership, page_number: int | str | None) -> Page:
    """Which emails went to whom and when, for one partnership, newest first. Two
    queries."""
    deliveries = Delivery.objects.filter(partnership=partnership).select_related("recipient")
    return Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(page_number)
