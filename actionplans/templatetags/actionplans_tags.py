"""Formats for action plan pages: figures, signed percentages, financial years."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from cspportal.lib.periods import financial_year_label

register = template.Library()


@register.filter
def figure(value) -> str:
    """1,234 for whole numbers, 12.5 otherwise (one decimal place)."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return number_format(value, decimal_pos=0, force_grouping=True)
    return number_format(value, decimal_pos=1, force_grouping=True)


@register.filter
def signed_pct(value) -> str:
    """+20.4% or -6.0%."""
    if value is None:
        return ""
    return f"{value:+.1f}%"


@register.filter
def fy(year) -> str:
    """2017 -> 2017/18."""
    if year in (None, ""):
        return ""
    return financial_year_label(int(year))
