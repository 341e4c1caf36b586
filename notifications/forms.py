"""The email preferences form."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from cspportal.lib.forms import GovukForm, StrictModelForm
from notifications.models import EmailPreference, Kind

KIND_FIELDS = [kind.value for kind in Kind]


class EmailPreferenceForm(GovukForm, StrictModelForm):
    """How often a user gets emails, and which kinds. Notifications in the app are
    shown whatever is chosen here."""

    submit_label = "Save email preferences"

    class Meta:
        model = EmailPreference
        fields = ["frequency", *KIND_FIELDS]
        labels = {"frequency": "How often do you want emails?"} | {
            kind.value: kind.label for kind in Kind
        }
        widgets = {"frequency": forms.RadioSelect}
        error_messages = {
            "frequency": {
                "required": "Choose how often you want emails",
                "invalid_choice": "Choose how often you want emails from the list",
            }
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "frequency"
        ].help_text = "A daily summary goes at 7am with everything since the last one."

    def layout_fields(self) -> list[Any]:
        return [
            Field.radios("frequency", legend_size=Size.MEDIUM),
            Fieldset(
                *[Field.checkbox(name) for name in KIND_FIELDS],
                legend="Which emails do you want?",
                legend_size=Size.MEDIUM,
            ),
        ]
