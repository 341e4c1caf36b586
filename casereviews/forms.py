"""Forms of the case review register, its settings and its publication."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from actionplans.models import Objective
from casereviews.models import (
    CaseReviewApplication,
    CaseReviewSettings,
    Decision,
    Recommendation,
    YesNo,
)
from casereviews.selectors import SHOW_LABELS, Show
from cspportal.lib.forms import GovukDateField, GovukForm, choice_field, model_choice_field
from cspportal.lib.periods import add_months, financial_year_label, month_end, month_label
from cspportal.lib.versioning import VersionedForm
from partnerships.models import Partnership
from partnerships.selectors import member_organisations

NO_PERSONAL_DATA = (
    "Do not enter names, addresses or other personal details. Record the application "
    "by your reference number only."
)


def _required(form: forms.BaseForm, **messages: str) -> None:
    for name, message in messages.items():
        form.fields[name].error_messages["required"] = message


class ApplicationForm(GovukForm, VersionedForm):
    received_on = GovukDateField(
        label="Date received", help_text="For example, 11 1 2024.", required=True
    )
    decided_on = GovukDateField(
        label="Decision date",
        required=False,
        help_text="When the partners decided whether the threshold is met.",
    )
    reviewed_on = GovukDateField(
        label="Review date", required=False, help_text="When the case review was held."
    )
    outcome_sent_on = GovukDateField(
        label="Outcome sent date",
        required=False,
        help_text="When the applicant was told the outcome.",
    )
    submit_label = "Save the application"

    class Meta:
        model = CaseReviewApplication
        fields = [
            "reference",
            "received_on",
            "receiving_organisation",
            "threshold_used",
            "threshold_met",
            "decided_on",
            "decision_reason",
            "reviewed_on",
            "recommendations_made",
            "pcc_review_requested",
            "pcc_review_outcome",
            "outcome_sent_on",
        ]
        widgets = {
            "threshold_met": forms.RadioSelect,
            "recommendations_made": forms.RadioSelect,
            "pcc_review_requested": forms.RadioSelect,
            "threshold_used": forms.Textarea(attrs={"rows": 3}),
            "decision_reason": forms.Textarea(attrs={"rows": 3}),
            "pcc_review_outcome": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "threshold_met": "Is the threshold met?",
            "recommendations_made": "Did the review make recommendations?",
            "pcc_review_requested": (
                "Did the applicant ask the police and crime commissioner (PCC) to review "
                "the threshold decision?"
            ),
        }
        help_texts = {
            "reference": "Your own reference for the application, like CT-2024-007, "
            "never the applicant's name.",
            "decision_reason": "Why the threshold was or was not met. No names or addresses.",
            "pcc_review_outcome": "What the PCC's review decided.",
        }

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "receiving_organisation").queryset = member_organisations(
            partnership
        )
        model_choice_field(self, "receiving_organisation").empty_label = "Choose an organisation"
        choice_field(self, "threshold_met").choices = Decision.choices
        choice_field(self, "recommendations_made").choices = [
            ("", "No review yet"),
            *YesNo.choices,
        ]
        choice_field(self, "pcc_review_requested").choices = YesNo.choices
        _required(
            self,
            reference="Enter the reference number",
            receiving_organisation="Choose the organisation that received it",
            threshold_used="Enter the local threshold used",
            threshold_met="Say whether the threshold is met",
            pcc_review_requested="Say whether a PCC review was requested",
        )

    def clean_reference(self) -> str:
        reference = " ".join((self.cleaned_data.get("reference") or "").split())
        # Checked here rather than by the model's constraint, so the message sits by
        # the box (the constraint still holds against a save racing this one).
        taken = CaseReviewApplication.objects.filter(
            partnership_id=self.instance.partnership_id, reference__iexact=reference
        ).exclude(pk=self.instance.pk)
        if reference and taken.exists():
            raise forms.ValidationError(
                "Reference number: this partnership already has an application with "
                "this reference number"
            )
        return reference


class RecommendationForm(GovukForm, VersionedForm):
    submit_label = "Save the recommendation"

    class Meta:
        model = Recommendation
        fields = ["owner", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"text": "What the review recommended. No names or addresses."}

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "owner").queryset = member_organisations(partnership)
        model_choice_field(self, "owner").empty_label = "Choose an organisation"
        _required(
            self,
            owner="Choose the organisation that owns the recommendation",
            text="Enter the recommendation",
        )


class _ObjectiveChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Objective) -> str:
        return f"{obj.plan.title}: {obj.title}"


class MakeActionForm(forms.Form):
    """The one-button step that makes a recommendation an action-plan action: only the
    objective it goes under is asked."""

    objective = _ObjectiveChoiceField(
        label="Objective the action goes under",
        queryset=Objective.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Objective: choose the objective the action goes under",
            "invalid_choice": "Objective: choose one of this partnership's objectives",
        },
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "objective").queryset = (
            Objective.objects.filter(plan__partnership=partnership)
            .select_related("plan")
            .order_by("plan__start_year", "display_order", "id")
        )


class SettingsForm(GovukForm, VersionedForm):
    submit_label = "Save the timescales"

    class Meta:
        model = CaseReviewSettings
        fields = ["threshold_days", "review_days", "outcome_days", "threshold_text", "how_to_apply"]
        widgets = {
            "threshold_text": forms.Textarea(attrs={"rows": 4}),
            "how_to_apply": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _required(
            self,
            threshold_days="Enter the working days to decide the threshold",
            review_days="Enter the working days to hold the review",
            outcome_days="Enter the working days to send the outcome",
        )


class ShowForm(forms.Form):
    show = forms.ChoiceField(
        label="Show", choices=[(s.value, SHOW_LABELS[s]) for s in Show], required=False
    )

    def chosen(self) -> Show:
        if self.is_valid() and self.cleaned_data["show"]:
            return Show(self.cleaned_data["show"])
        return Show.OPEN


def year_ending_choices(today: date, count: int = 36) -> list[tuple[str, str]]:
    """The last ``count`` months a 12-month period can end in, newest first, as
    ("2024-12", "Year ending December 2024")."""
    choices = []
    for back in range(count):
        month = add_months(today, -back)
        choices.append((f"{month:%Y-%m}", f"Year ending {month_label(month)}"))
    return choices


class YearEndingForm(forms.Form):
    """Any 12-month period, named by the month it ends in."""

    ending = forms.ChoiceField(label="12 months ending", required=False)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        choice_field(self, "ending").choices = year_ending_choices(today)
        self.fields["ending"].error_messages["invalid_choice"] = (
            "12 months ending: choose one of the months listed"
        )

    def period(self) -> tuple[date, date]:
        """The first and last day of the period chosen (the 12 months to the end of
        the current month when none, or a bad one, is chosen)."""
        value = self.cleaned_data.get("ending") if self.is_valid() else ""
        if value:
            year, month = (int(part) for part in value.split("-"))
            last = month_end(date(year, month, 1))
        else:
            last = month_end(self.today)
        return add_months(last, -11), last


class PublishForm(forms.Form):
    financial_year = forms.TypedChoiceField(
        label="Financial year", coerce=int, choices=[], required=True
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = choice_field(self, "financial_year")
        field.choices = [(str(y), financial_year_label(y)) for y in years]
        field.error_messages["required"] = "Financial year: choose the year to publish"
        field.error_messages["invalid_choice"] = (
            "Financial year: choose a year that has started and has figures"
        )
