"""The partnership switcher's options, written in Python: a user of every partnership
in a national instance has 300 of them on every page, and Django's template loop
costs several milliseconds for that many."""

from collections.abc import Iterable

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def switcher_options(partnerships: Iterable, current: str) -> SafeString:
    """One ``<option>`` a partnership (``slug`` and ``name``), the current one
    selected."""
    return mark_safe(  # noqa: S308 (slug and name are escaped)
        "".join(
            f'<option value="{escape(p.slug)}"{" selected" if p.slug == current else ""}>'
            f"{escape(p.name)}</option>"
            for p in partnerships
        )
    )
