"""The manager's two forms: public pages on or off, and publish."""

from __future__ import annotations

from django import forms

from cspportal.lib.forms import GovukForm


class PublicPagesForm(GovukForm, forms.Form):
    submit_label = "Save"
    is_on = forms.TypedChoiceField(
        label="Show public pages for this partnership?",
        choices=[("yes", "Yes, show the published version to everyone"), ("no", "No, hide them")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to show public pages.",
            "invalid_choice": "Choose whether to show public pages: yes or no.",
        },
    )


STALE = "The page was out of date: check the versions below, then publish again."


class PublishForm(forms.Form):
    """A publish carries the latest version number the manager saw, so that two
    managers (or a double click) publish once. Only a button on the page."""

    latest = forms.IntegerField(
        min_value=0,
        widget=forms.HiddenInput,
        error_messages={"required": STALE, "invalid": STALE, "min_value": STALE},
    )
