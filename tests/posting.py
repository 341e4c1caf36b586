"""A page's form posted back as the browser would send it, left as it was shown, so a
test changes one value and sees that value's refusal alone."""

from datetime import date
from typing import Any

from django import forms


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def add_posted(form: forms.BaseForm, data: dict[str, Any]) -> dict[str, Any]:
    """Add ``form``'s fields, with the values it shows, to ``data``."""
    for name, field in form.fields.items():
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(field.widget, forms.MultiWidget):  # day, month, year; date and time
            parts = value if isinstance(value, list) else field.widget.decompress(value)
            for i, part in enumerate(parts):
                data[f"{key}_{i}"] = _text(part)
        elif isinstance(field, forms.BooleanField):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [_text(v) for v in value]
        elif isinstance(field, forms.FileField):
            continue  # a file is sent again only when chosen again
        else:
            data[key] = _text(value)
    return data


def posted(form: forms.BaseForm) -> dict[str, Any]:
    return add_posted(form, {})
