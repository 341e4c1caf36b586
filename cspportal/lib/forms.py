"""One place that lays forms out in the GOV.UK style.

Every form in the app mixes in ``GovukForm``: it builds the crispy-forms-gds helper
once, with the fields in declaration order and a single submit button.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Submit
from django import forms

from cspportal.lib import validation


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


class LinkField(forms.URLField):
    """A web link, checked by ``validation.check_link``: http or https to a public
    host. A bare ``example.org/x`` gets ``https://``; a scheme-relative ``//host/x`` is
    refused rather than guessed at. ``name`` is how messages call the field."""

    def __init__(self, *, name: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("max_length", validation.MAX_LINK_LENGTH)
        super().__init__(**kwargs)
        self.name = name or str(self.label)
        self.error_messages["invalid"] = (
            f"{self.name}: enter a real web address, like https://www.example.gov.uk/paper.pdf"
        )
        self.error_messages["max_length"] = (
            f"{self.name}: a link can be at most %(limit_value)d characters"
        )

    def to_python(self, value: Any) -> str | None:
        if isinstance(value, str) and value.strip().startswith(validation.SCHEME_RELATIVE):
            # Before Django's guessing: it would read "//host/x" as "https://host/x".
            validation.check_link(value, label=self.name)
        return super().to_python(value)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value:
            validation.check_link(value, label=self.name)


class GovukDateField(DateInputField):
    """A GOV.UK date input (day, month and year boxes) read by
    ``validation.read_date_parts``: ASCII digits, a real day, inside ``earliest`` to
    ``latest`` (2000 to 2100 by default), every message naming the field."""

    def __init__(
        self,
        *,
        name: str = "",
        earliest: date = validation.EARLIEST_DATE,
        latest: date = validation.LATEST_DATE,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.name = name or str(self.label)
        self.earliest, self.latest = earliest, latest
        # compress() sees every box, filled or not, and says in words what is wrong.
        self.require_all_fields = False
        for field in self.fields:
            field.required = False
            field.validators = []
        self.error_messages["required"] = f"Enter the {self.name.lower()}, like 11 1 2024"
        self.error_messages["invalid"] = (
            f"{self.name}: enter the day, month and year, like 11 1 2024"
        )

    def compress(self, data_list: Any) -> date | None:
        day, month, year = (["" if v is None else str(v) for v in data_list] + ["", "", ""])[:3]
        if not (day.strip() or month.strip() or year.strip()):
            return None
        return validation.read_date_parts(
            day, month, year, label=self.name, earliest=self.earliest, latest=self.latest
        )
