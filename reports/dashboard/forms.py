"""Forms of the dashboards: choosing the period (a GET form, so every view of the
dashboard has its own address) and a manager's peer group."""

from __future__ import annotations

from datetime import date
from typing import cast

from django import forms
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from cspportal.lib.forms import GovukForm
from cspportal.lib.periods import PERIOD_KIND_LABELS, Period, PeriodKind, period_for
from partnerships.models import Partnership

PERIOD_HINTS = {
    PeriodKind.FYTD: "From April to the chosen month, against the same months a year earlier.",
    PeriodKind.QUARTER: "The last complete quarter up to the chosen month.",
    PeriodKind.ROLLING: "The 12 months to the chosen month, against the 12 months before.",
    PeriodKind.FINANCIAL_YEAR: "The last complete financial year up to the chosen month.",
    PeriodKind.YEAR_ENDING: "As ONS tables: the year ending with the chosen month.",
}


class PeriodForm(GovukForm, forms.Form):
    """Which period the dashboard compares. Bound to ``request.GET``; the months offered
    are those with data, newest first."""

    submit_label = "Show figures"

    period = forms.ChoiceField(
        label="Period",
        choices=[(kind.value, label) for kind, label in PERIOD_KIND_LABELS.items()],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of the periods listed."},
    )
    month = forms.ChoiceField(
        label="Up to the end of",
        help_text="The latest month to include.",
        error_messages={"invalid_choice": "Choose a month that has figures."},
    )

    def __init__(self, *args, months: list[date], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"
        self.helper.form_tag = True
        month = cast(forms.ChoiceField, self.fields["month"])
        month.choices = [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in months]

    @property
    def period_options(self) -> list[tuple[str, str, bool]]:
        chosen = str(self["period"].value() or "")
        choices = cast(
            list[tuple[str, str]], cast(forms.ChoiceField, self.fields["period"]).choices
        )
        return [(value, label, value == chosen) for value, label in choices]

    @property
    def month_options_html(self) -> str:
        """The month options, built here: a select of ten years of months through
        Django's widget templates costs more than the rest of the form."""
        chosen = str(self["month"].value() or "")
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (value, mark_safe(" selected") if value == chosen else "", label)  # noqa: S308
                for value, label in cast(
                    list[tuple[str, str]], cast(forms.ChoiceField, self.fields["month"]).choices
                )
            ),
        )

    def clean_month(self) -> date:
        year, month = self.cleaned_data["month"].split("-")
        return date(int(year), int(month), 1)

    @property
    def chosen_period(self) -> Period:
        return period_for(self.cleaned_data["period"], self.cleaned_data["month"])


class PeerGroupForm(GovukForm, forms.Form):
    """A peer group: a name and the ONS-imported partnerships in it."""

    submit_label = "Save peer group"

    name = forms.CharField(
        label="Name of the peer group",
        max_length=200,
        help_text="For example 'Most similar group (ONS)'.",
        error_messages={"required": "Enter a name for the peer group."},
    )
    members = forms.ModelMultipleChoiceField(
        label="Partnerships in the group",
        queryset=Partnership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Partnerships imported from the ONS tables. Choose at least two.",
        error_messages={"required": "Choose the partnerships in the group."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        members = cast(forms.ModelMultipleChoiceField, self.fields["members"])
        members.queryset = Partnership.objects.filter(is_reference=True).order_by("name")

    def clean_members(self):
        members = self.cleaned_data["members"]
        if len(members) < 2:
            raise forms.ValidationError("Choose at least two partnerships for the group.")
        return members
