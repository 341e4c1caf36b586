"""Forms for building a report: its cover and period, and each section's text."""

from __future__ import annotations

import io
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from cspportal.lib import uploads
from cspportal.lib.forms import GovukDateField, GovukForm, choice_field, model_choice_field
from cspportal.lib.versioning import VersionedForm, VersionErrorShown, VersionField
from partnerships.models import Partnership
from reports.document import RECOMMENDATIONS
from reports.models import Report

MONTHS = [
    (4, "April"),
    (5, "May"),
    (6, "June"),
    (7, "July"),
    (8, "August"),
    (9, "September"),
    (10, "October"),
    (11, "November"),
    (12, "December"),
    (1, "January"),
    (2, "February"),
    (3, "March"),
]


def _financial_year_choices() -> list[tuple[int, str]]:
    from cspportal.lib.periods import financial_year_label

    latest = timezone.localdate().year
    return [(year, financial_year_label(year)) for year in range(latest, 2009, -1)]


class VersionForm(forms.Form):
    """Carries the report version the page was built from, so a stale edit is refused."""

    version = VersionField()


class ReportForm(GovukForm, VersionedForm):
    submit_label = "Save report details"
    financial_year = forms.TypedChoiceField(
        label="Financial year", coerce=int, help_text="The financial year the report covers."
    )
    end_month = forms.TypedChoiceField(
        label="Figures up to the end of",
        coerce=int,
        choices=MONTHS,
        help_text="The last month with figures: the report covers April to this month.",
    )
    meeting_date = GovukDateField(
        label="Date of the meeting",
        required=False,
        help_text=(
            "For example, 15 3 2018. Leave blank to use the date of the meeting chosen above."
        ),
    )

    class Meta:
        model = Report
        fields = [
            "type",
            "title",
            "financial_year",
            "end_month",
            "meeting",
            "committee_name",
            "meeting_date",
            "lead_member",
            "lead_officer",
            "contact_email",
            "contact_telephone",
            "agenda_item",
            "wards_affected",
        ]
        widgets = {"type": forms.RadioSelect}
        labels = {
            "type": "Type of report",
            "meeting": "Committee meeting",
            "committee_name": "Committee",
            "lead_member": "Lead Member",
            "lead_officer": "Lead Officer",
            "contact_email": "Contact email address",
            "contact_telephone": "Contact telephone number",
            "agenda_item": "Agenda item",
            "wards_affected": "Wards affected",
        }
        help_texts = {
            "title": "Printed on the cover, for example 'Progress Report'.",
            "committee_name": "For example, 'Scrutiny Committee'.",
            "lead_member": "The councillor who leads on community safety.",
            "lead_officer": "The officer who wrote the report.",
            "contact_email": "Printed on the cover, for questions about the report.",
            "contact_telephone": "For example, 01772 625625.",
            "agenda_item": "The item number on the committee's agenda, for example 7.",
            "wards_affected": "For example, 'All wards', or the names of the wards.",
        }

    def __init__(self, *args, partnership: Partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "type").choices = Report.Type.choices
        choice_field(self, "financial_year").choices = _financial_year_choices()
        meeting = model_choice_field(self, "meeting")
        from meetings.models import Meeting

        meeting.queryset = Meeting.objects.filter(partnership=partnership).order_by("-date")
        meeting.empty_label = "Not recorded in the portal"
        meeting.required = False
        meeting.help_text = (
            "A meeting recorded under Meetings. Its title and date fill in the committee and "
            "date below when you leave them blank."
        )
        self.fields["committee_name"].required = False

    def clean_contact_telephone(self) -> str:
        number = " ".join(self.cleaned_data["contact_telephone"].split())
        digits = re.sub(r"[\s()-]", "", number)
        if number and not re.fullmatch(r"(\+44|0)[0-9]{9,10}", digits):
            raise forms.ValidationError(
                "Enter a UK telephone number, like 01772 625625 or +44 1772 625625."
            )
        return number

    def clean(self):
        cleaned = super().clean()
        meeting = cleaned.get("meeting")
        if meeting is not None:
            if not cleaned.get("committee_name"):
                cleaned["committee_name"] = meeting.title
            if not cleaned.get("meeting_date"):
                cleaned["meeting_date"] = meeting.date
        if not cleaned.get("committee_name"):
            self.add_error("committee_name", "Enter the committee the report goes to.")
        return cleaned


# A section page whose hidden version is missing or altered (not from this app, or
# tampered with): said for the whole form, naming what was wrong and what to do.
SECTION_OUT_OF_DATE = (
    "The version of this report section is missing or altered, so nothing was saved: "
    "open the section again from the report, make your changes and save."
)
REPORT_OUT_OF_DATE = (
    "The version of this report is missing or altered, so the section was not added: "
    "open the report again, then add the section."
)


class SectionForm(VersionErrorShown, GovukForm, forms.Form):
    submit_label = "Save section"
    title = forms.CharField(label="Section heading", max_length=200)
    included = forms.TypedChoiceField(
        label="Include this section in the report?",
        choices=[("yes", "Yes"), ("no", "No, leave it out")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=(
            "Leave a blank line between paragraphs. Start a line with '- ' for a bullet point. "
            "Clear the box to go back to the draft written from the figures."
        ),
    )
    version = VersionField(
        error_messages={"required": SECTION_OUT_OF_DATE, "invalid": SECTION_OUT_OF_DATE}
    )

    def __init__(self, *args, key: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if key == RECOMMENDATIONS:
            body = self.fields["body"]
            body.label = "Recommendations"
            body.help_text = (
                'One recommendation per line, for example "That the committee notes the '
                'progress of the partnership set out in this report." The report numbers '
                "them. Clear the box to go back to the draft."
            )


class SectionAddForm(VersionErrorShown, GovukForm, forms.Form):
    submit_label = "Add section"
    title = forms.CharField(label="Section heading", max_length=200)
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=(
            "Leave a blank line between paragraphs. Start a line with '- ' for a bullet point."
        ),
    )
    version = VersionField(
        error_messages={"required": REPORT_OUT_OF_DATE, "invalid": REPORT_OUT_OF_DATE}
    )


WORD_TEMPLATE_MAX_BYTES = 5 * 1024 * 1024


class WordTemplateForm(GovukForm, forms.Form):
    """The council's Word template: judged by its content (a plain .docx, no macros,
    no template or other zip, within the size limit) and opened with python-docx
    before it is kept, so every later download can start from it."""

    submit_label = "Upload the template"
    template = forms.FileField(
        label="Word template (.docx)",
        help_text=(
            "A Word document (.docx) in the council's layout, up to 5 MB. Its fonts, "
            "heading styles, margins, header and footer are used; its text is not."
        ),
        error_messages={
            "required": "Word template: choose a .docx file to upload.",
            "empty": "Word template: the file is empty.",
            "invalid": "Word template: the file could not be read; choose it again.",
        },
    )

    def clean_template(self) -> bytes:
        upload = self.cleaned_data.get("template")
        if not isinstance(upload, UploadedFile):
            raise ValidationError("Word template: choose a .docx file to upload.")
        name = upload.name or "the file"
        limit = uploads.limit_words(WORD_TEMPLATE_MAX_BYTES)
        if (upload.size or 0) > WORD_TEMPLATE_MAX_BYTES:
            raise ValidationError(
                f"Word template: {name} is {uploads.megabytes(upload.size or 0)}, over the "
                f"{limit} limit."
            )
        data = upload.read()
        limits = uploads.Limits(max_bytes=WORD_TEMPLATE_MAX_BYTES)
        # A zip is judged as a Word document first, so that a macro-enabled file is
        # refused for its macros whatever its name says.
        reason = (
            uploads.word_document_problem(data, limits=limits)
            if data.startswith(uploads.ZIP_SIGNATURE)
            else None
        )
        if reason:
            raise ValidationError(
                f"Word template: {name} is not a Word document that can be used: "
                f"{reason.rstrip('.')}."
            )
        problem = uploads.upload_problem(
            name, data, suffixes=(".docx",), accepted="a Word document (.docx)", limits=limits
        )
        if problem:
            raise ValidationError(f"Word template: {name} {problem}")
        reason = _python_docx_problem(data)
        if reason:
            raise ValidationError(
                f"Word template: {name} is not a Word document that can be used: {reason}."
            )
        self.file_name = name
        return data


def _python_docx_problem(data: bytes) -> str | None:
    """Why python-docx cannot open the document (the last check before it is kept)."""
    from docx import Document

    try:
        Document(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 (any failure to open it means: refuse it)
        return f"Word's parts in it cannot be read ({type(error).__name__})"
    return None
