"""How meeting times and resolution statuses read on the page."""

from datetime import time

from django import template

register = template.Library()

_STATUS_TAG_CLASSES = {
    "open": "govuk-tag--blue",
    "in_progress": "govuk-tag--yellow",
    "discharged": "govuk-tag--green",
    "noted": "govuk-tag--grey",
    "superseded": "govuk-tag--grey",
}


@register.filter
def uk_time(value: time | None) -> str:
    """6.30pm, 6pm, 12 noon: the GOV.UK style for times."""
    if value is None:
        return ""
    if value.hour == 12 and value.minute == 0:
        return "12 noon"
    if value.hour == 0 and value.minute == 0:
        return "12 midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}.{value.minute:02d}{suffix}"


@register.filter
def status_tag_class(status: str) -> str:
    return _STATUS_TAG_CLASSES.get(status, "govuk-tag--grey")


@register.filter
def overdue_on(resolution, day) -> bool:
    return resolution.is_overdue(day)


@register.filter
def govuk_widget(field, classes: str):
    """Render a bound field's widget with GOV.UK classes and its hint/error described."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
        classes += " " + classes.split()[0] + "--error"
    attrs = {"class": classes}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
