"""Forms officers use to record meetings, agenda items, resolutions and responses."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from actionplans.models import Action, Objective
from cspportal.lib import uploads, validation
from cspportal.lib.forms import (
    GovukDateField,
    GovukForm,
    LinkField,
    WholeNumberField,
    choice_field,
    model_choice_field,
)
from cspportal.lib.versioning import VersionedForm
from meetings import selectors
from meetings.minutes import MAX_RESOLUTIONS, MinutesError, ParsedMinutes, parse_resolutions
from meetings.models import AgendaItem, Body, Meeting, Resolution, ResolutionResponse
from partnerships.models import Organisation, Partnership

Status = Resolution.Status
# "18:30", "18.30", "6.30pm", "6:30 pm", "6pm": how people write times in the UK.
_TIME_FORMATS = ["%H:%M", "%H.%M", "%I:%M%p", "%I.%M%p", "%I%p"]


class UkTimeField(forms.TimeField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("input_formats", _TIME_FORMATS)
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "govuk-input--width-5"}))
        kwargs.setdefault("error_messages", {"invalid": "Enter a time like 18:30 or 6.30pm."})
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(" ", "").lower()
        return super().to_python(value)

    def prepare_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime("%H:%M")
        return value


def _date_field(
    label: str, *, required: bool, help_text: str = "", name: str = ""
) -> GovukDateField:
    return GovukDateField(label=label, name=name, required=required, help_text=help_text)


def _required(form: forms.BaseForm, **messages: str) -> None:
    """Say what is missing in words, instead of Django's "This field is required"."""
    for name, message in messages.items():
        form.fields[name].error_messages["required"] = message


class MeetingForm(GovukForm, VersionedForm):
    date = _date_field(
        "Date", name="Date of the meeting", required=True, help_text="For example, 11 1 2024."
    )
    start_time = UkTimeField(label="Start time", required=False, help_text="For example, 18:30.")
    end_time = UkTimeField(label="End time", required=False, help_text="For example, 20:00.")

    class Meta:
        model = Meeting
        fields = [
            "body",
            "thematic_group",
            "title",
            "date",
            "start_time",
            "end_time",
            "place",
            "organisations",
            "notes",
            "is_private",
        ]
        widgets = {
            "body": forms.RadioSelect,
            "organisations": forms.CheckboxSelectMultiple,
        }
        labels = {
            "body": "Which body met?",
            "organisations": "Organisations attending",
            "is_private": "Private meeting: keep it and its resolutions off the public pages",
        }

    def __init__(self, *args, partnership: Partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "body").choices = Body.choices
        group = model_choice_field(self, "thematic_group")
        group.queryset = selectors.thematic_groups(partnership)
        group.empty_label = "Not a thematic group meeting"
        group.help_text = "Only when the body is a thematic group."
        model_choice_field(self, "organisations").queryset = selectors.member_organisations(
            partnership
        )
        self.fields["organisations"].help_text = "The partnership's member organisations."
        _required(self, body="Choose which body met.", title="Enter the meeting's title.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        body, group = cleaned.get("body"), cleaned.get("thematic_group")
        if body == Body.THEMATIC_GROUP and group is None:
            self.add_error("thematic_group", "Choose the thematic group that met.")
        elif body and body != Body.THEMATIC_GROUP and group is not None:
            self.add_error("thematic_group", "Leave the thematic group empty for this body.")
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if end is not None and start is None:
            self.add_error("start_time", "Enter the start time as well as the end time.")
        elif start is not None and end is not None and end <= start:
            self.add_error("end_time", "The end time must be after the start time.")
        return cleaned


class AgendaItemForm(GovukForm, VersionedForm):
    paper_link = LinkField(
        label="Or a link to the paper",
        name="Link to the paper",
        required=False,
        help_text="The address of the paper on the council's website, like https://...",
    )

    class Meta:
        model = AgendaItem
        fields = ["number", "title", "paper_file", "paper_link", "minutes"]
        labels = {"paper_file": "Paper (upload a file)"}
        help_texts = {
            "paper_file": "A PDF, Word or spreadsheet file up to 20 MB.",
            "minutes": "The minutes of this item, as published.",
        }
        widgets = {
            "number": forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }

    MAX_BYTES = 20 * 1024 * 1024
    ALLOWED_SUFFIXES = (
        ".pdf",
        ".doc",
        ".docx",
        ".odt",
        ".xls",
        ".xlsx",
        ".ods",
        ".odp",
        ".ppt",
        ".pptx",
    )

    def _get_validation_exclusions(self):
        # ``meeting`` is not a form field, but the unique number per meeting needs it.
        # A private ModelForm hook that django-stubs does not declare.
        exclusions = super()._get_validation_exclusions()  # type: ignore[misc]
        exclusions.discard("meeting")
        return exclusions

    def clean_paper_file(self):
        paper = self.cleaned_data.get("paper_file")
        if not isinstance(paper, UploadedFile):
            # Nothing uploaded: the paper already stored (or none) stays.
            return paper
        # Judged by its size and content whatever name or Content-Type the browser sent:
        # a part with no Content-Type is checked like any other.
        if (paper.size or 0) > self.MAX_BYTES:
            raise ValidationError("The paper must be smaller than 20 MB.")
        data = paper.read()
        paper.seek(0)
        name = paper.name or ""
        problem = uploads.upload_problem(
            name,
            data,
            suffixes=self.ALLOWED_SUFFIXES,
            accepted="a PDF, Word, spreadsheet or slides file",
            limits=uploads.Limits(max_bytes=self.MAX_BYTES),
        )
        if problem:
            raise ValidationError(f"The paper {name} {problem}")
        return paper

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("paper_file") and cleaned.get("paper_link"):
            self.add_error("paper_link", "Give a file or a link for the paper, not both.")
        return cleaned


class ResolutionForm(GovukForm, VersionedForm):
    report_back_date = _date_field(
        "Report-back date", required=False, help_text="When the owner must report back."
    )

    class Meta:
        model = Resolution
        fields = [
            "agenda_item",
            "number",
            "text",
            "owner",
            "report_back_date",
            "report_back_meeting",
            "status",
            "is_private",
        ]
        labels = {
            "is_private": "Private resolution: keep it off the public pages",
            "agenda_item": "Agenda item",
            "text": "Resolution",
            "owner": "Owner organisation",
            "report_back_meeting": "Or report back to a meeting",
        }
        widgets = {
            "number": forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
            "text": forms.Textarea(attrs={"rows": 4}),
            "status": forms.RadioSelect,
        }

    def __init__(self, *args, meeting: Meeting, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        partnership = meeting.partnership
        item = model_choice_field(self, "agenda_item")
        item.queryset = AgendaItem.objects.filter(meeting=meeting).order_by("number")
        item.empty_label = "No agenda item"
        owner = model_choice_field(self, "owner")
        owner.queryset = selectors.member_organisations(partnership)
        owner.empty_label = "No owner yet"
        back = model_choice_field(self, "report_back_meeting")
        back.queryset = selectors.partnership_meetings(partnership).exclude(pk=meeting.pk)
        back.empty_label = "No meeting chosen"
        choice_field(self, "status").choices = Status.choices
        _required(
            self,
            number="Enter the resolution's number, as the minutes number it.",
            text="Enter the text of the resolution.",
            status="Choose the status of the resolution.",
        )

    def _get_validation_exclusions(self):
        # A private ModelForm hook that django-stubs does not declare.
        exclusions = super()._get_validation_exclusions()  # type: ignore[misc]
        exclusions.discard("meeting")
        return exclusions


class ResponseForm(GovukForm, VersionedForm):
    responded_on = _date_field(
        "Date", name="Date of the response", required=True, help_text="When it was done."
    )
    submit_label = "Add the response"

    class Meta:
        model = ResolutionResponse
        fields = ["responded_on", "organisation", "text", "new_status"]
        labels = {"organisation": "Organisation that acted"}
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, resolution: Resolution, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        organisation = model_choice_field(self, "organisation")
        organisation.queryset = selectors.member_organisations(resolution.meeting.partnership)
        organisation.empty_label = "Not recorded"
        choice_field(self, "new_status").choices = [
            ("", f"Keep it {resolution.get_status_display().lower()}"),
            *Status.choices,
        ]
        _required(self, text="Say what was done.")


class MinutesPasteForm(GovukForm, forms.Form):
    """Step one of pasting minutes: the text and the agenda item it belongs to."""

    agenda_item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label="No agenda item",
        label="Agenda item",
    )
    minutes = forms.CharField(
        label="Minutes",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=(
            "Paste the item's minutes from the RESOLVED (or Recommendations) heading to "
            "the end of the decisions. You check every resolution before it is saved."
        ),
    )
    submit_label = "Split into resolutions"

    def __init__(self, *args, meeting: Meeting, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.agenda_items = AgendaItem.objects.filter(meeting=meeting)
        model_choice_field(self, "agenda_item").queryset = self.agenda_items
        self.parsed: ParsedMinutes | None = None
        _required(self, minutes="Paste the text of the minutes: the box is empty.")

    def clean_minutes(self) -> str:
        text = self.cleaned_data["minutes"]
        try:
            self.parsed = parse_resolutions(text)
        except MinutesError as error:
            raise ValidationError(str(error)) from None
        return text

    def clean(self) -> dict[str, Any]:
        """Minutes that number decisions "42.1", "42.2" name their minute: with no item
        chosen, the meeting's item 42 is taken; a different item chosen gets a warning."""
        cleaned = super().clean() or {}
        parsed = self.parsed
        minute = parsed.minute_number if parsed else None
        if parsed is None or minute is None or "agenda_item" in self.errors:
            return cleaned
        item = cleaned.get("agenda_item")
        if item is None:
            item = self.agenda_items.filter(number=minute).first()
            if item is not None:
                cleaned["agenda_item"] = item
                parsed.warnings.append(
                    f"The minutes number these resolutions under minute {minute}, so they "
                    f"are for item {item.number}, {item.title}."
                )
            else:
                parsed.warnings.append(
                    f"The minutes number these resolutions under minute {minute}, but this "
                    "meeting has no item with that number: add the item first if they "
                    "belong under it."
                )
        elif item.number != minute:
            parsed.warnings.append(
                f"The minutes number these resolutions under minute {minute}, but you chose "
                f"item {item.number}, {item.title}. Check the agenda item before saving."
            )
        return cleaned


class DraftResolutionForm(forms.Form):
    """One row of the check-before-saving step; rendered by hand as a table row."""

    include = forms.BooleanField(label="Save this resolution", required=False, initial=True)
    number = WholeNumberField(label="Number", min_value=1, max_value=999, required=False, width=3)
    text = forms.CharField(
        label="Resolution", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    status = forms.ChoiceField(label="Status", choices=Status.choices)
    owner: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="Owner organisation",
        queryset=None,
        required=False,
        empty_label="No owner yet",
    )
    report_back_date = forms.DateField(
        label="Report-back date",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"],
        help_text="Like 31/03/2024.",
        error_messages={"invalid": "Enter the report-back date like 31/03/2024."},
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"class": "govuk-input--width-10"}),
    )

    def __init__(
        self, *args, partnership: Partnership, owner_choices: list | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        owner = model_choice_field(self, "owner")
        owner.queryset = selectors.member_organisations(partnership)
        if owner_choices is not None:
            # Worked out once by the formset: every row offers the same organisations.
            owner.choices = owner_choices

    def clean_report_back_date(self) -> date | None:
        value = self.cleaned_data.get("report_back_date")
        if value is None:
            return None
        return validation.check_date_range(value, label="Report-back date")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("include"):
            if cleaned.get("number") is None and "number" not in self.errors:
                self.add_error("number", "Enter the resolution's number.")
            if not (cleaned.get("text") or "").strip():
                self.add_error("text", "Enter the text of the resolution.")
        return cleaned


class BaseDraftFormSet(forms.BaseFormSet):
    """The rows of the check page. The owner list is read from the database once for
    all rows, not once per row, and the checks are one pass over the rows, so a full
    page (``MAX_RESOLUTIONS`` rows) is quick to build and to save."""

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if not hasattr(self, "_owner_choices"):
            form = DraftResolutionForm(partnership=kwargs["partnership"])
            choices = model_choice_field(form, "owner").choices
            self._owner_choices = list(cast(Iterable[Any], choices))
        return {**kwargs, "owner_choices": self._owner_choices}

    def clean(self) -> None:
        if any(self.errors):
            return
        numbers = [
            form.cleaned_data["number"]
            for form in self.forms
            if form.cleaned_data.get("include") and form.cleaned_data.get("text")
        ]
        if not numbers:
            raise ValidationError("Tick at least one resolution to save.")
        repeated = sorted(n for n, times in Counter(numbers).items() if times > 1)
        if repeated:
            raise ValidationError(
                "Each resolution needs its own number: "
                + ", ".join(str(n) for n in repeated)
                + " is used more than once."
            )


DraftFormSet = forms.formset_factory(
    DraftResolutionForm,
    formset=BaseDraftFormSet,
    extra=0,
    max_num=MAX_RESOLUTIONS,
    validate_max=True,
)


_BODY_PHRASES = {
    Body.RESPONSIBLE_AUTHORITIES_GROUP: "of the Responsible Authorities Group",
    Body.BOARD: "of the CSP board",
    Body.THEMATIC_GROUP: "of thematic groups",
    Body.SCRUTINY: "of the scrutiny committee",
}

_STATUS_HEADINGS = {
    selectors.ResolutionFilters.OUTSTANDING: "Outstanding resolutions",
    selectors.ResolutionFilters.ALL: "All resolutions",
    Status.OPEN: "Open resolutions",
    Status.IN_PROGRESS: "Resolutions in progress",
    Status.DISCHARGED: "Discharged resolutions",
    Status.NOTED: "Noted resolutions",
    Status.SUPERSEDED: "Superseded resolutions",
}


class TrackerFilterForm(forms.Form):
    """The GET filters of the resolutions tracker. Left empty, it shows the outstanding
    resolutions; a value that is not in a list is ignored and reported on its field."""

    status = forms.ChoiceField(
        label="Status",
        required=False,
        error_messages={"invalid_choice": "Choose a status from the list."},
    )
    body = forms.ChoiceField(
        label="Body",
        required=False,
        error_messages={"invalid_choice": "Choose a body from the list."},
    )
    owner: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="Owner",
        queryset=None,
        required=False,
        empty_label="Any owner",
        error_messages={"invalid_choice": "Choose an owner from the list."},
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)

    def __init__(self, *args, partnership: Partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "status").choices = [
            # First, so that a bound form without a status still shows the default.
            (selectors.ResolutionFilters.OUTSTANDING, "Open or in progress"),
            (selectors.ResolutionFilters.ALL, "Any status"),
            *Status.choices,
        ]
        choice_field(self, "body").choices = [("", "Any body"), *Body.choices]
        model_choice_field(self, "owner").queryset = selectors.member_organisations(partnership)

    def filters(self) -> selectors.ResolutionFilters:
        """The filters to apply: the valid fields' values, the default for the rest."""
        if not self.is_bound:
            return selectors.ResolutionFilters()
        self.is_valid()
        cleaned = self.cleaned_data
        owner = cleaned.get("owner")
        return selectors.ResolutionFilters(
            body=cleaned.get("body") or "",
            owner_id=owner.pk if owner else None,
            status=cleaned.get("status") or selectors.ResolutionFilters.OUTSTANDING,
            overdue_only=bool(cleaned.get("overdue")),
        )

    def heading(self) -> str:
        """What the list shows, as the page's title: "Outstanding resolutions" by
        default, "Overdue resolutions of the scrutiny committee owned by Testshire
        Police" when filtered so."""
        filters = self.filters()
        words = _STATUS_HEADINGS[filters.status]
        if filters.overdue_only:
            if filters.status in (
                selectors.ResolutionFilters.OUTSTANDING,
                selectors.ResolutionFilters.ALL,
            ):
                words = "Overdue resolutions"
            else:
                words = "Overdue " + words[:1].lower() + words[1:]
        if filters.body:
            words += " " + _BODY_PHRASES[Body(filters.body)]
        owner = self.cleaned_data.get("owner") if self.is_bound else None
        if owner is not None:
            words += f" owned by {owner.name}"
        return words


class _ActionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Action) -> str:
        return f"{obj.title} ({obj.objective.plan.title}: {obj.objective.title})"


class _ObjectiveChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Objective) -> str:
        return f"{obj.plan.title}: {obj.title}"


class ActionLinkForm(GovukForm, forms.Form):
    action = _ActionChoiceField(
        label="Action",
        queryset=None,
        required=False,
        empty_label="Not linked to an action",
    )
    submit_label = "Save the link"

    def __init__(self, *args, partnership: Partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "action").queryset = (
            Action.objects.for_partnership(partnership)
            .select_related("objective__plan")
            .order_by("objective__plan__start_year", "objective__display_order", "display_order")
        )


class ActionCreateForm(GovukForm, forms.Form):
    objective = _ObjectiveChoiceField(
        label="Objective", queryset=None, empty_label="Choose an objective"
    )
    title = forms.CharField(label="Action", max_length=300)
    lead_organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="Lead organisation", queryset=None, empty_label="Choose an organisation"
    )
    owner_name = forms.CharField(
        label="Owner",
        max_length=200,
        help_text="The officer or role accountable, like 'Community Safety Officer'.",
    )
    due_date = _date_field("Due date", required=False)
    submit_label = "Create the action"

    def __init__(self, *args, partnership: Partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.objectives = (
            Objective.objects.filter(plan__partnership=partnership)
            .select_related("plan")
            .order_by("plan__start_year", "display_order", "id")
        )
        model_choice_field(self, "objective").queryset = self.objectives
        model_choice_field(self, "lead_organisation").queryset = selectors.member_organisations(
            partnership
        )
        _required(
            self,
            objective="Choose the objective the action comes under.",
            title="Enter what the action is.",
            lead_organisation="Choose the lead organisation.",
            owner_name="Enter the officer or role accountable.",
        )


def default_action_title(text: str) -> str:
    """A short action title from a resolution's text, without the leading "That"."""
    words = text.strip()
    if words[:5].lower() == "that ":
        words = words[5:]
    words = words[:1].upper() + words[1:]
    return words if len(words) <= 300 else words[:297].rstrip() + "..."
