"""One place that lays forms out in the GOV.UK style.

Every form in the app mixes in ``GovukForm``: it builds the crispy-forms-gds helper
once, with the fields in declaration order and a single submit button.
"""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Submit
from django import forms


class GovukForm:
    """Mixin for ``forms.Form`` and ``forms.ModelForm``: ``submit_label`` names the
    button; ``layout_fields()`` can be overridden to wrap fields in GDS layout objects."""

    submit_label = "Save"
    fields: dict[str, forms.Field]  # the form's own, which this mixin comes before

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The server validates and shows GOV.UK error messages; the browser's own
        # pop-ups are inconsistent and not read well by screen readers.
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(*self.layout_fields(), Submit("submit", self.submit_label))

    def layout_fields(self) -> list[Any]:
        return list(self.fields)


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field ``name``, typed so a form can set its ``choices``."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is a {type(field).__name__}, not a choice field")
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's model choice field ``name``, typed so a form can set its
    ``queryset``, ``empty_label`` or labels."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is a {type(field).__name__}, not a model choice field")
    return field
