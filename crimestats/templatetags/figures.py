"""Template filters for figures: where a figure is. How it reads is in
``partnerships/templatetags/uk_formats.py`` (``figure``)."""

from django import template

register = template.Library()


@register.filter
def where(area) -> str:
    """An area's name, or "whole partnership" for a figure with no area."""
    return area.name if area is not None else "whole partnership"
