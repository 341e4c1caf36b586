"""Forms for plans, objectives, actions, quarterly updates and measure targets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.utils import timezone

from actionplans.models import (
    Action,
    ActionPlan,
    ActionUpdate,
    MeasureTarget,
    Objective,
    RagStatus,
)
from actionplans.quarters import FinancialQuarter, quarters_between
from crimestats.models import Measure
from cspportal.lib import uploads
from cspportal.lib.forms import (
    GovukDateField,
    GovukForm,
    LinkField,
    choice_field,
    model_choice_field,
)
from cspportal.lib.versioning import VersionedForm
from partnerships.forms import FINANCIAL_YEAR_CHOICES
from partnerships.models import Organisation, Priority, ThematicGroup

EVIDENCE_SUFFIXES = (
    ".pdf",
    ".docx",
    ".doc",
    ".odt",
    ".xlsx",
    ".ods",
    ".csv",
    ".txt",
    ".png",
    ".jpg",
    ".jpeg",
)
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def _number_input(width: int = 5, mode: str = "numeric") -> forms.TextInput:
    # GOV.UK asks for type=text with inputmode rather than type=number (which
    # changes values on scroll); crispy-forms-gds styles only text inputs.
    return forms.TextInput(attrs={"inputmode": mode, "class": f"govuk-input--width-{width}"})


class ChildForm(GovukForm, VersionedForm):
    """A form for a row whose parent (``parent_field``) the view sets on the instance
    before validation, so that unique constraints naming it are still checked."""

    parent_field = ""

    def _get_validation_exclusions(self):
        # A private ModelForm hook that django-stubs does not declare.
        exclusions = super()._get_validation_exclusions()  # type: ignore[misc]
        exclusions.discard(self.parent_field)
        return exclusions


def _date_field(label: str, help_text: str) -> GovukDateField:
    return GovukDateField(label=label, help_text=help_text, required=False)


class ActionPlanForm(ChildForm):
    parent_field = "partnership"
    start_year = forms.TypedChoiceField(
        label="First financial year", choices=FINANCIAL_YEAR_CHOICES, coerce=int
    )
    end_year = forms.TypedChoiceField(
        label="Last financial year", choices=FINANCIAL_YEAR_CHOICES, coerce=int
    )

    class Meta:
        model = ActionPlan
        fields = ["title", "summary", "start_year", "end_year", "status"]
        help_texts = {
            "title": "For example, Community Safety Action Plan 2024-2027.",
            "status": "A draft is not shown in reports; a closed plan is kept for the record.",
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start is not None and end is not None and end < start:
            self.add_error("end_year", "The last year cannot be before the first year.")
        return cleaned


class ObjectiveForm(ChildForm):
    parent_field = "plan"

    class Meta:
        model = Objective
        fields = ["title", "description", "priority", "thematic_group", "display_order"]
        labels = {"thematic_group": "Thematic group", "display_order": "Order in the plan"}
        help_texts = {"display_order": "Lower numbers come first."}
        widgets = {"display_order": _number_input(3)}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        partnership_id = self.instance.plan.partnership_id
        model_choice_field(self, "priority").queryset = Priority.objects.filter(
            partnership_id=partnership_id
        )
        model_choice_field(self, "priority").empty_label = "No priority"
        model_choice_field(self, "thematic_group").queryset = ThematicGroup.objects.filter(
            partnership_id=partnership_id
        )
        model_choice_field(self, "thematic_group").empty_label = "No thematic group"


class ActionForm(ChildForm):
    parent_field = "objective"
    start_date = _date_field("Start date", "For example, 1 4 2024.")
    due_date = _date_field("Due date", "For example, 31 3 2025.")

    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "lead_organisation",
            "owner_name",
            "start_date",
            "due_date",
            "status",
            "rag_status",
            "is_private",
            "display_order",
        ]
        labels = {
            "display_order": "Order under the objective",
            "is_private": "Private action: keep it out of the public action plan summary",
        }
        widgets = {"rag_status": forms.RadioSelect, "display_order": _number_input(3)}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        partnership_id = self.instance.objective.plan.partnership_id
        model_choice_field(self, "lead_organisation").queryset = Organisation.objects.filter(
            memberships__partnership_id=partnership_id
        ).order_by("name")
        model_choice_field(self, "lead_organisation").empty_label = "Choose the lead organisation"
        choice_field(self, "rag_status").choices = [("", "Not yet rated"), *RagStatus.choices]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", "The due date cannot be before the start date.")
        return cleaned


class ActionUpdateForm(ChildForm):
    parent_field = "action"
    period = forms.ChoiceField(label="Quarter")
    evidence_url = LinkField(
        label="Link to evidence",
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "url"}),
        help_text="A link to a report, minutes or other evidence (optional).",
    )

    class Meta:
        model = ActionUpdate
        # evidence_url is declared above (https by default) and copied in clean().
        fields = ["rag_status", "status", "narrative", "evidence_file"]
        labels = {"status": "Status of the action", "narrative": "Progress this quarter"}
        help_texts = {
            "narrative": "What was done, what changed and what happens next. Figures only: "
            "never give details of victims or offenders.",
            "evidence_file": "Or attach a file: PDF, Word, Excel, CSV, text or an image, "
            "up to 10 MB.",
        }
        widgets = {"rag_status": forms.RadioSelect}

    submit_label = "Post update"

    def __init__(self, *args, today=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        action = self.instance.action
        plan = action.objective.plan
        today = today or timezone.localdate()
        current = FinancialQuarter.of(min(today, plan.end_date))
        first = FinancialQuarter(plan.start_year, 1)
        quarters = quarters_between(first, current) or [first]
        self.quarters = {q.code: q for q in quarters}
        choice_field(self, "period").choices = [(q.code, q.long_label) for q in reversed(quarters)]
        reported = {
            (year, number)
            for year, number in action.updates.values_list("financial_year", "quarter")
        }
        unreported = [q for q in quarters if (q.year, q.quarter) not in reported]
        self.fields["period"].initial = (unreported or quarters)[-1].code
        choice_field(self, "rag_status").choices = [(c.value, c.meaning) for c in RagStatus]
        self.fields["rag_status"].error_messages["required"] = "Choose a RAG status."
        choice_field(self, "status").choices = Action.Status.choices
        self.fields["status"].initial = action.status
        self.fields["status"].error_messages["required"] = "Choose the status of the action."
        self.fields["narrative"].error_messages["required"] = "Describe the progress this quarter."

    def layout_fields(self) -> list:
        return ["period", "rag_status", "status", "narrative", "evidence_url", "evidence_file"]

    def clean_narrative(self) -> str:
        text = self.cleaned_data["narrative"].strip()
        if not text:
            raise forms.ValidationError("Describe the progress this quarter.")
        return text

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if not upload:
            return upload
        if Path(upload.name).suffix.lower() not in EVIDENCE_SUFFIXES:
            raise forms.ValidationError(
                f"{upload.name} is not a file type we accept: attach a PDF, Word, Excel, "
                "CSV, text or image file."
            )
        if upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(f"{upload.name} is larger than 10 MB.")
        # The name passed; the content must be what the name says.
        data = upload.read()
        upload.seek(0)
        problem = uploads.upload_problem(
            upload.name,
            data,
            suffixes=EVIDENCE_SUFFIXES,
            accepted="a PDF, Word, Excel, CSV, text or image file",
            limits=uploads.Limits(max_bytes=EVIDENCE_MAX_BYTES),
        )
        if problem:
            raise forms.ValidationError(f"The evidence file {upload.name} {problem}")
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        code = cleaned.get("period", "")
        quarter = self.quarters.get(code)
        if quarter is None:
            return cleaned
        self.instance.evidence_url = cleaned.get("evidence_url") or ""
        self.instance.financial_year = quarter.year
        self.instance.quarter = quarter.quarter
        if self.instance.action.updates.filter(
            financial_year=quarter.year, quarter=quarter.quarter
        ).exists():
            self.add_error(
                "period",
                f"There is already an update for {quarter.label}. Choose another quarter.",
            )
        return cleaned


class MeasureTargetForm(ChildForm):
    baseline_year = forms.TypedChoiceField(
        label="Baseline financial year", choices=FINANCIAL_YEAR_CHOICES, coerce=int
    )

    class Meta:
        model = MeasureTarget
        fields = ["measure", "direction", "change_pct", "baseline_year", "baseline_value"]
        labels = {"direction": "Target"}
        widgets = {
            "direction": forms.RadioSelect,
            "change_pct": _number_input(4, "decimal"),
            "baseline_value": _number_input(10, "decimal"),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "measure").queryset = Measure.objects.filter(
            is_active=True
        ).order_by("group", "display_order", "name")
        model_choice_field(self, "measure").empty_label = "Choose a measure"
        choice_field(self, "direction").choices = MeasureTarget.Direction.choices
        self.fields["direction"].error_messages["required"] = "Choose reduce or increase."
        self.fields["measure"].error_messages["required"] = "Choose a measure."
        self.fields["change_pct"].error_messages["required"] = "Enter the change in per cent."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        measure, baseline = cleaned.get("measure"), cleaned.get("baseline_value")
        if measure is not None and baseline is not None and baseline < 0:
            # Every unit a measure has is a count, a sum of money, a share or a rate:
            # none can fall below nothing.
            kind = {
                Measure.Unit.COUNT: "a count",
                Measure.Unit.GBP: "an amount of money",
                Measure.Unit.PERCENTAGE: "a percentage",
                Measure.Unit.RATE: "a rate",
            }.get(measure.unit, "a figure")
            self.add_error(
                "baseline_value",
                f"The baseline for the whole year cannot be below 0: {measure.name} is "
                f"{kind}. Enter 0 or more, or leave it blank.",
            )
        return cleaned
