"""How resolution statuses read on the page (times are ``uk_formats.uk_time``)."""

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
