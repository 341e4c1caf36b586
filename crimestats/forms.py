"""Forms for figures: choosing measures, opening a return, the return grid, the
template upload. Forms validate and normalise; services save."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from crispy_forms_gds.layout import HTML, ConditionalQuestion, ConditionalRadios, Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from crimestats.importers.base import SourceFile, is_xlsx, sniff_kind
from crimestats.models import DataRequestSchedule, DataReturn, Measure, Observation
from crimestats.selectors import reporting_years
from crimestats.services import ObservationInput
from cspportal.lib import uploads, validation
from cspportal.lib.forms import (
    GovukForm,
    StrictModelForm,
    WholeNumberField,
    choice_field,
    model_choice_field,
)
from cspportal.lib.periods import (
    PeriodType,
    add_months,
    figure_period_label,
    financial_year_label,
    month_end,
)
from cspportal.lib.versioning import VersionField
from partnerships.models import Area, Organisation

WHOLE_PARTNERSHIP = "all"
MAX_VALUE = validation.MAX_FIGURE
MONTHS = [(i, f"{date(2000, (3 + i) % 12 + 1, 1):%B}") for i in range(12)]  # 0 = April


def where_label(area: Area | None) -> str:
    return area.name if area is not None else "whole partnership"


def parse_figure(raw: str, measure: Measure, where: str) -> tuple[Decimal | None, str]:
    """Read a typed figure through the strict grammar of ``cspportal.lib.validation``.
    Returns (value, error); value None with no error means the cell was left empty.
    Accepts "1,234", "£10,000" and "67%"; docs/validation.md lists the rest."""
    try:
        value = validation.read_figure(raw, kind=measure.unit, subject=f"{measure.name}, {where}")
    except ValidationError as refused:
        return None, refused.messages[0]
    return value, ""


def _cell_field(label: str, name: str, max_length: int) -> forms.CharField:
    """A text box of the return grid whose refusals name the cell ("Note for Violence
    with injury, Chorley: ...") rather than Django's nameless defaults."""
    return forms.CharField(
        required=False,
        max_length=max_length,
        label=label,
        error_messages={
            "max_length": f"{name}: use at most {max_length} characters "
            "(you entered %(show_value)d)",
            # Django's own check, worded for the cell.
            "null_characters_not_allowed": f"{name}: remove the hidden NUL character "
            "(it may have come with pasted text), then save again",
        },
    )


def written_by_register(observation: Observation | None) -> bool:
    """Whether a stored figure was counted from the ASB case review register (the
    casereviews app), which alone may change it."""
    return observation is not None and observation.source == Observation.Source.CASE_REVIEWS


@dataclass
class GridCell:
    area: Area | None
    value: forms.BoundField
    not_supplied: forms.BoundField
    reason: forms.BoundField
    note: forms.BoundField
    observation: Observation | None

    @property
    def errors(self) -> list[str]:
        return [*self.value.errors, *self.reason.errors, *self.note.errors]

    @property
    def from_register(self) -> bool:
        """Written from the ASB case review register: shown, never typed over."""
        return written_by_register(self.observation)

    @property
    def details_open(self) -> bool:
        return bool(
            self.reason.value() or self.note.value() or self.reason.errors or self.note.errors
        )


@dataclass
class GridRow:
    measure: Measure
    cells: list[GridCell]


class ReturnGridForm(forms.Form):
    """One form for a whole return: for each measure and each area (and the whole
    partnership), a value, a "not supplied" box with its reason, and a note.

    ``cleaned_inputs`` holds an ``ObservationInput`` for every cell that has a figure
    or is marked not supplied. Cells left empty are skipped, unless a figure was already
    stored there: a stored figure can be changed or marked not supplied, not removed.
    """

    version = VersionField()
    correction_reason = forms.CharField(
        label="Reason for the correction",
        help_text="This return is approved. Say why the figures change: it is kept with "
        "each figure's history.",
        required=False,
        max_length=200,
    )

    def __init__(
        self,
        *args,
        data_return: DataReturn,
        measures: list[Measure],
        areas: list[Area],
        observations: dict[tuple[int, int | None], Observation],
        **kwargs,
    ):
        self.data_return = data_return
        self.measures = measures
        self.areas = areas
        self.observations = observations
        initial: dict[str, Any] = {"version": data_return.version}
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        columns: list[Area | None] = [*areas, None]
        for measure in measures:
            for area in columns:
                key = self.cell_key(measure, area)
                obs = observations.get((measure.pk, area.pk if area else None))
                subject = f"{measure.name}, {where_label(area)}"
                self.fields[f"value-{key}"] = _cell_field(
                    f"{subject}: figure", f"Figure for {subject}", 30
                )
                self.fields[f"ns-{key}"] = forms.BooleanField(
                    required=False, label=f"{subject}: not supplied"
                )
                self.fields[f"reason-{key}"] = _cell_field(
                    f"{subject}: why not supplied", f"Reason for {subject}", 200
                )
                self.fields[f"note-{key}"] = _cell_field(
                    f"{subject}: note", f"Note for {subject}", 500
                )
                if obs is not None:
                    initial[f"value-{key}"] = _plain(obs.value)
                    initial[f"ns-{key}"] = not obs.is_supplied
                    initial[f"reason-{key}"] = obs.not_supplied_reason
                    initial[f"note-{key}"] = obs.note
        self.fields["version"].initial = data_return.version
        # Keep the two declared fields first in error order.
        self.order_fields(["version", "correction_reason"])

    @staticmethod
    def cell_key(measure: Measure, area: Area | None) -> str:
        return f"{measure.pk}-{area.pk if area else WHOLE_PARTNERSHIP}"

    @property
    def is_correction(self) -> bool:
        return self.data_return.is_locked

    def rows(self) -> list[GridRow]:
        columns: list[Area | None] = [*self.areas, None]
        rows = []
        for measure in self.measures:
            cells = []
            for area in columns:
                key = self.cell_key(measure, area)
                cells.append(
                    GridCell(
                        area=area,
                        value=self[f"value-{key}"],
                        not_supplied=self[f"ns-{key}"],
                        reason=self[f"reason-{key}"],
                        note=self[f"note-{key}"],
                        observation=self.observations.get((measure.pk, area.pk if area else None)),
                    )
                )
            rows.append(GridRow(measure, cells))
        return rows

    def clean(self):
        cleaned = super().clean() or {}
        inputs: list[ObservationInput] = []
        if self.is_correction and not (cleaned.get("correction_reason") or "").strip():
            self.add_error(
                "correction_reason", "Give a reason for correcting figures in an approved return"
            )
        for measure in self.measures:
            for area in [*self.areas, None]:
                item = self._clean_cell(cleaned, measure, area)
                if item is not None:
                    inputs.append(item)
        self.cleaned_inputs = inputs
        return cleaned

    def _clean_cell(self, cleaned, measure: Measure, area: Area | None) -> ObservationInput | None:
        key = self.cell_key(measure, area)
        where = where_label(area)
        subject = f"{measure.name}, {where}"
        raw = self.data.get(self.add_prefix(f"value-{key}"), "")
        not_supplied = cleaned.get(f"ns-{key}", False)
        reason = (cleaned.get(f"reason-{key}") or "").strip()
        note = (cleaned.get(f"note-{key}") or "").strip()
        if any(f"{part}-{key}" in self.errors for part in ("value", "reason", "note")):
            # The cell's own fields said what is wrong (too long, a NUL byte).
            return None
        stored = self.observations.get((measure.pk, area.pk if area else None))
        if written_by_register(stored):
            # The register writes this figure again whenever an application changes:
            # whatever the page sent for it is not a figure to store.
            return None
        value, error = parse_figure(raw, measure, where)
        if error:
            self.add_error(f"value-{key}", error)
            return None
        if not_supplied:
            if value is not None:
                self.add_error(
                    f"value-{key}",
                    f"{subject}: either enter a figure or tick “not supplied”, not both",
                )
                return None
            if not reason:
                self.add_error(f"reason-{key}", f"{subject}: say why the figure was not supplied")
                return None
        elif value is None:
            if stored is not None:
                self.add_error(
                    f"value-{key}",
                    f"{subject}: enter a figure or tick “not supplied” (a figure already "
                    "stored cannot be left empty)",
                )
            elif note or reason:
                self.add_error(f"value-{key}", f"{subject}: enter a figure for the note to go with")
            return None
        return ObservationInput(
            measure_id=measure.pk,
            area_id=area.pk if area else None,
            period_type=self.data_return.period_type,
            period_start=self.data_return.period_start,
            period_end=self.data_return.period_end,
            value=value,
            not_supplied_reason=reason if not_supplied else "",
            note=note,
        )


def _plain(value: Decimal | None) -> str:
    """A stored figure as the user would type it: 125, not 125.00."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value.normalize():f}"


PERIOD_TYPE_CHOICES = [
    (PeriodType.MONTH, "A month (monthly measures)"),
    (PeriodType.QUARTER, "A quarter (quarterly measures)"),
    (PeriodType.FINANCIAL_YEAR, "A financial year (annual measures)"),
]


class _RevealedBy(ConditionalQuestion):
    """A radio with the follow-up question it reveals (``static/js/period-kind.js``).
    crispy-forms-gds's own writes ``aria-controls`` to an element that may not exist
    (for a choice with no question), and GOV.UK Frontend's reveal marks the radio
    ``aria-expanded``, which a radio may not carry."""

    template = "crimestats/_revealed_radio.html"


class ReturnOpenForm(GovukForm, forms.Form):
    """Which return to open: organisation, financial year, kind of period, and the
    quarter or month. The quarter and the month sit under their own kind of period:
    with JavaScript only the chosen kind's question shows; without it, all show and
    the chosen kind decides which one is read."""

    submit_label = "Open the return"

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Organisation supplying the figures",
        empty_label=None,
    )
    year = WholeNumberField(
        label="Financial year starting in",
        help_text="For 2017/18 enter 2017.",
        # A text box, not type=number: GOV.UK styles it, and a year is not a quantity
        # to nudge up and down with arrows.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter the financial year as a year, like 2017",
            "required": "Enter the financial year the period is in, like 2017",
        },
    )
    period_type = forms.ChoiceField(
        label="Kind of period",
        choices=PERIOD_TYPE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of period: a month, a quarter or a year"},
    )
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=int,
        choices=[
            (1, "Q1 (April to June)"),
            (2, "Q2 (July to September)"),
            (3, "Q3 (October to December)"),
            (4, "Q4 (January to March)"),
        ],
        required=False,
    )
    month = forms.TypedChoiceField(label="Month", coerce=int, choices=MONTHS, required=False)

    def layout_fields(self) -> list[Any]:
        labels = dict(PERIOD_TYPE_CHOICES)
        return [
            Field.select("organisation"),
            Field.text("year", field_width=4),
            ConditionalRadios(
                "period_type",
                _RevealedBy(labels[PeriodType.MONTH], Field.select("month")),
                _RevealedBy(labels[PeriodType.QUARTER], Field.select("quarter")),
                _RevealedBy(labels[PeriodType.FINANCIAL_YEAR]),
            ),
        ]

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organisation").queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        ).order_by("name")

    def clean(self):
        cleaned = super().clean() or {}
        period_type, year = cleaned.get("period_type"), cleaned.get("year")
        if not period_type or year is None:
            return cleaned
        first, last = reporting_years()
        if not first <= year <= last:
            self.add_error(
                "year",
                f"{financial_year_label(year) if 1000 <= year <= 9998 else year} is outside "
                f"the partnership's years: choose {financial_year_label(first)} to "
                f"{financial_year_label(last)}",
            )
            return cleaned
        fy_start = date(year, 4, 1)
        if period_type == PeriodType.QUARTER:
            if not cleaned.get("quarter"):
                self.add_error("quarter", "Choose the quarter")
                return cleaned
            start = add_months(fy_start, 3 * (cleaned["quarter"] - 1))
            end = month_end(add_months(start, 2))
        elif period_type == PeriodType.MONTH:
            if cleaned.get("month") in (None, ""):
                self.add_error("month", "Choose the month")
                return cleaned
            start = add_months(fy_start, cleaned["month"])
            end = month_end(start)
        else:
            start, end = fy_start, date(year + 1, 3, 31)
        if start > timezone.localdate():
            self.add_error(
                "year",
                f"{figure_period_label(period_type, start)} has not started yet: figures can only "
                "be entered for periods that have begun",
            )
            return cleaned
        cleaned["period_start"], cleaned["period_end"] = start, end
        return cleaned


class MeasureChoiceForm(forms.Form):
    """For each catalogue measure: whether the partnership reports it, who supplies it
    and whether it is a headline on the dashboard."""

    def __init__(self, *args, measures, organisations, chosen, **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = measures
        self.organisations = organisations
        choices = [("", "Nobody yet (managers enter it)")] + [
            (str(o.pk), o.name) for o in organisations
        ]
        for measure in measures:
            current = chosen.get(measure.pk)
            self.fields[f"report-{measure.pk}"] = forms.BooleanField(
                required=False, label=f"Report {measure.name}", initial=current is not None
            )
            self.fields[f"supplier-{measure.pk}"] = forms.ChoiceField(
                required=False,
                choices=choices,
                label=f"Organisation that supplies {measure.name}",
                initial=str(current.supplier_id) if current and current.supplier_id else "",
            )
            self.fields[f"headline-{measure.pk}"] = forms.BooleanField(
                required=False,
                label=f"Show {measure.name} as a headline",
                initial=bool(current and current.is_headline),
            )

    def rows(self):
        return [
            (m, self[f"report-{m.pk}"], self[f"supplier-{m.pk}"], self[f"headline-{m.pk}"])
            for m in self.measures
        ]

    def choices_made(self) -> dict[int, tuple[int | None, bool]]:
        """{measure id: (supplier id, headline)} for every measure ticked."""
        result = {}
        for measure in self.measures:
            if self.cleaned_data.get(f"report-{measure.pk}"):
                supplier = self.cleaned_data.get(f"supplier-{measure.pk}")
                result[measure.pk] = (
                    int(supplier) if supplier else None,
                    bool(self.cleaned_data.get(f"headline-{measure.pk}")),
                )
        return result


# A return's template holds a row per measure and area: a few hundred rows at most.
TEMPLATE_LIMITS = uploads.Limits(max_bytes=5 * 1024 * 1024, max_rows=10_000, max_columns=50)


class TemplateUploadForm(GovukForm, forms.Form):
    """A filled-in template for a return: a CSV or XLSX file under 5 MB whose content is
    what its name says. The rows are checked by the importer, not here."""

    submit_label = "Upload and preview"

    file = forms.FileField(
        label="Filled-in template (CSV or XLSX)",
        help_text="Use the template downloaded from this return. Nothing is saved until "
        "you confirm the preview.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The file must be a CSV or XLSX file")
        if upload.size > TEMPLATE_LIMITS.max_bytes:
            raise forms.ValidationError("The file must be smaller than 5 MB")
        # The name is the uploader's word; the content says what the file really is.
        content = upload.read()
        upload.seek(0)
        kind = sniff_kind(content)
        if name.endswith(".csv") and kind is not None:
            raise forms.ValidationError(
                f"{upload.name} is {kind}, not a CSV file. Upload the filled-in template "
                "saved as CSV or XLSX"
            )
        if name.endswith(".xlsx") and content.startswith(uploads.ZIP_SIGNATURE):
            # A zip named .xlsx: whatever is wrong inside it, the uploader meant a workbook.
            reason = uploads.workbook_problem(content, limits=TEMPLATE_LIMITS)
            if reason:
                raise forms.ValidationError(
                    f"The filled-in template {upload.name} {uploads.workbook_message(reason)}"
                )
        if name.endswith(".xlsx") and not is_xlsx(content):
            raise forms.ValidationError(
                f"{upload.name} is {kind or 'not an Excel workbook'}"
                f"{', not an Excel workbook' if kind else ''}, although its name ends in "
                ".xlsx. Upload the filled-in template saved as CSV or XLSX"
            )
        return upload

    def sources(self) -> list[SourceFile]:
        """The upload as the importer reads it (see ``crimestats.importers.template``)."""
        upload = self.cleaned_data["file"]
        upload.seek(0)
        return [SourceFile(upload.name, upload.read())]


class ReturnActionForm(forms.Form):
    """Approve or send back: only the version the manager was looking at."""

    version = VersionField()


class ReturnFilterForm(GovukForm, forms.Form):
    """The figures page's filters, read from the query string. A value that is not
    in the list (an edited address, an organisation that left) is an error on its
    own field, and the list is shown without that filter."""

    submit_label = "Show returns"

    organisation = forms.ChoiceField(
        label="Organisation",
        required=False,
        error_messages={
            "invalid_choice": "Choose an organisation from the list: returns of every "
            "organisation are shown"
        },
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *DataReturn.Status.choices],
        error_messages={
            "invalid_choice": "Choose a status from the list: returns of every status are shown"
        },
    )

    def __init__(self, *args, suppliers: list[tuple[str, str]], **kwargs):
        # Its own ids: the open-a-return form on the same page has an organisation too.
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"
        self.helper.form_id = "return-filters"
        # A button with no name: the address of a filtered list carries only filters.
        self.helper.layout = Layout(
            *self.layout_fields(),
            HTML(
                '<button type="submit" class="govuk-button govuk-button--secondary" '
                'data-module="govuk-button">Show returns</button>'
            ),
        )
        choice_field(self, "organisation").choices = [("", "All organisations"), *suppliers]

    def layout_fields(self) -> list[Any]:
        return [Field.select("organisation"), Field.select("status")]

    @property
    def is_filtered(self) -> bool:
        return bool(self.cleaned_data.get("organisation") or self.cleaned_data.get("status"))


class DataRequestScheduleForm(GovukForm, StrictModelForm):
    """A manager's due date for the quarter's figures and reminder, in working days."""

    submit_label = "Save the due dates"

    class Meta:
        model = DataRequestSchedule
        fields = ["due_working_days", "reminder_working_days"]
        labels = {
            "due_working_days": "Working days after the quarter ends that figures are due",
            "reminder_working_days": "Working days before the due date to remind suppliers",
        }
        help_texts = {
            "due_working_days": "From 1 to 60. Weekends and bank holidays do not count.",
            "reminder_working_days": "From 0 to 20. 0 sends the reminder on the due date.",
        }
        error_messages = {
            "due_working_days": {
                "required": "Enter how many working days after the quarter ends figures are due"
            },
            "reminder_working_days": {
                "required": "Enter how many working days before the due date to remind suppliers"
            },
        }
