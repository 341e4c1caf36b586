"""Template filters for figures: how a value reads in its unit, and where it is."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def where(area) -> str:
    """An area's name, or "whole partnership" for a figure with no area."""
    return area.name if area is not None else "whole partnership"


@register.filter
def figure(value, measure) -> str:
    """1,234 for a count, £10,000 for money, 67% for a percentage."""
    if value is None:
        return ""
    value = Decimal(value)
    whole = value == value.to_integral_value()
    text = number_format(value, decimal_pos=0 if whole else 2, force_grouping=True)
    unit = getattr(measure, "unit", "")
    if unit == "gbp":
        return f"£{text}"
    if unit == "percentage":
        return f"{text}%"
    return text
