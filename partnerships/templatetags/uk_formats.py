"""The template filters for every number, date and time a page prints.

Thin wrappers over ``cspportal.lib.formats``, which pages, downloads and PDFs share;
only the turn of a datetime into UK time happens here (it needs the settings).
"""

from datetime import date, datetime, time

from django import template
from django.utils import timezone

from cspportal.lib import formats

register = template.Library()


@register.filter
def uk_date(value: date | datetime | None) -> str:
    """11 January 2024."""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return formats.uk_date(value)


@register.filter
def uk_datetime(value: datetime | None) -> str:
    """11 January 2024 at 2:05pm, in UK time."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{formats.uk_date(local)} at {formats.uk_clock(local.time())}"


@register.filter
def uk_time(value: time | None) -> str:
    """6.30pm, 6pm, 12 noon: the GOV.UK style for times."""
    return formats.uk_time(value)


@register.filter
def money(value) -> str:
    """£10,000 (pence shown only when there are any)."""
    return formats.money(value)


@register.filter
def figure(value, measure=None) -> str:
    """A value in its measure's unit: 1,234 for a count, £10,000 for money, 67% for a
    percentage; a plain number (1,234 or 12.5) without a measure."""
    return formats.value(value, getattr(measure, "unit", "count"))


@register.filter
def signed_pct(value) -> str:
    """+20.4% or -6.0%."""
    return formats.pct_change(value)
