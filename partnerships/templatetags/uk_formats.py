"""UK formats for dates, times and money in templates."""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.formats import number_format

register = template.Library()


@register.filter
def uk_date(value: date | datetime | None) -> str:
    """11 January 2024."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return f"{value.day} {value:%B %Y}"


@register.filter
def uk_datetime(value: datetime | None) -> str:
    """11 January 2024 at 2:05pm, in UK time."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    return f"{local.day} {local:%B %Y} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


@register.filter
def money(value) -> str:
    """£10,000 (pence shown only when there are any)."""
    if value is None:
        return ""
    whole = value == int(value)
    return "£" + number_format(value, decimal_pos=0 if whole else 2, force_grouping=True)
