"""Action plan template filters: financial years. Figures and signed percentages
are ``uk_formats`` filters (``figure``, ``signed_pct``)."""

from django import template

from cspportal.lib.periods import financial_year_label

register = template.Library()


@register.filter
def fy(year) -> str:
    """2017 -> 2017/18."""
    if year in (None, ""):
        return ""
    return financial_year_label(int(year))
