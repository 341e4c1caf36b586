"""Forms managers use to keep a partnership's profile."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cspportal.lib.forms import GovukForm, model_choice_field
from cspportal.lib.periods import financial_year_label
from cspportal.lib.versioning import VersionedForm
from partnerships.models import (
    Area,
    Membership,
    Organisation,
    Partnership,
    Priority,
    Role,
    ThematicGroup,
)

FINANCIAL_YEAR_CHOICES = [(year, financial_year_label(year)) for year in range(2010, 2036)]

# ONS code lists (the GSS register) are dated by year; none is older than 2009.
FIRST_GSS_VINTAGE = 2009


def last_gss_vintage() -> int:
    """The latest vintage a GSS code can have: next year's list is published ahead."""
    return timezone.localdate().year + 1


class PartnershipChildForm(GovukForm, VersionedForm):
    """A form for a row that belongs to a partnership. The view sets the partnership
    on the instance before validation."""

    def _get_validation_exclusions(self):
        # ``partnership`` is not a form field, so Django would skip every constraint
        # that names it (unique names per partnership); the instance always has it.
        # A private ModelForm hook that django-stubs does not declare.
        exclusions = super()._get_validation_exclusions()  # type: ignore[misc]
        exclusions.discard("partnership")
        return exclusions


class PartnershipForm(GovukForm, VersionedForm):
    class Meta:
        model = Partnership
        fields = ["name", "gss_code", "gss_vintage", "lead_council", "description"]
        labels = {"lead_council": "Lead council"}
        help_texts = {
            "gss_code": "E22 for England or W14 for Wales, then six digits, like E22000123.",
        }
        widgets = {
            # crispy-forms-gds styles only text, e-mail and password inputs: a number
            # input came out bare. GOV.UK asks for a text input with a numeric keypad.
            "gss_vintage": forms.TextInput(
                attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        lead = model_choice_field(self, "lead_council")
        lead.empty_label = "No lead council recorded"
        # The lead council is one of the partnership's own member councils.
        lead.queryset = Organisation.objects.filter(
            type=Organisation.Type.COUNCIL, memberships__partnership_id=self.instance.pk
        ).order_by("name")
        lead.error_messages["invalid_choice"] = (
            "The lead council must be a council that is a member of this partnership: "
            "choose one from the list, or add the council as a member first."
        )

    def clean_gss_vintage(self) -> int | None:
        vintage = self.cleaned_data.get("gss_vintage")
        first, last = FIRST_GSS_VINTAGE, last_gss_vintage()
        if vintage is not None and not first <= vintage <= last:
            raise ValidationError(
                f"The GSS code vintage is the year of the code list, from {first} to "
                f"{last}, like 2024."
            )
        return vintage

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        missing = not cleaned.get("gss_vintage") and "gss_vintage" not in self.errors
        if cleaned.get("gss_code") and missing:
            self.add_error("gss_vintage", "Give the vintage (year) of the GSS code.")
        return cleaned


class AreaForm(PartnershipChildForm):
    class Meta:
        model = Area
        fields = ["name", "kind", "gss_code", "population", "population_year"]
        labels = {"kind": "Type of area", "population_year": "Year of population estimate"}
        help_texts = {"gss_code": "For example E07000118 for Chorley."}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("population") is not None and not cleaned.get("population_year"):
            self.add_error("population_year", "Give the year of the population estimate.")
        return cleaned


class MembershipForm(PartnershipChildForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        required=False,
        empty_label="Choose an organisation",
        label="Organisation",
    )
    new_organisation_name = forms.CharField(
        label="Or add an organisation that is not in the list", required=False, max_length=200
    )
    new_organisation_type = forms.ChoiceField(
        label="Type of the new organisation",
        choices=[("", "Choose a type"), *Organisation.Type.choices],
        required=False,
    )

    class Meta:
        model = Membership
        fields = ["organisation", "is_statutory", "representative"]

    def layout_fields(self) -> list:
        return [
            "organisation",
            "new_organisation_name",
            "new_organisation_type",
            "is_statutory",
            "representative",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        chosen = cleaned.get("organisation")
        new_name = (cleaned.get("new_organisation_name") or "").strip()
        if chosen and new_name:
            raise ValidationError("Choose an organisation or add a new one, not both.")
        if not chosen and not new_name:
            self.add_error("organisation", "Choose an organisation or add a new one.")
            return cleaned
        if new_name:
            if Organisation.objects.filter(name__iexact=new_name).exists():
                self.add_error(
                    "new_organisation_name",
                    f"{new_name} is already in the list: choose it there.",
                )
            elif not cleaned.get("new_organisation_type"):
                self.add_error("new_organisation_type", "Choose the type of the new organisation.")
        return cleaned

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        if self.new_organisation() is not None:
            # A new organisation cannot clash with an existing membership.
            exclusions.add("organisation")
        return exclusions

    def new_organisation(self) -> Organisation | None:
        """The organisation to create with this membership, unsaved, or None."""
        name = (self.cleaned_data.get("new_organisation_name") or "").strip()
        kind = self.cleaned_data.get("new_organisation_type")
        if not name or not kind:
            return None
        return Organisation(name=name, type=kind)


class ThematicGroupForm(PartnershipChildForm):
    class Meta:
        model = ThematicGroup
        fields = ["name", "description", "lead_organisation"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = model_choice_field(self, "lead_organisation")
        field.queryset = Organisation.objects.filter(
            memberships__partnership_id=self.instance.partnership_id
        )
        field.empty_label = "No lead organisation"


class PriorityForm(PartnershipChildForm):
    start_year = forms.TypedChoiceField(
        label="First financial year", choices=FINANCIAL_YEAR_CHOICES, coerce=int
    )
    end_year = forms.TypedChoiceField(
        label="Last financial year", choices=FINANCIAL_YEAR_CHOICES, coerce=int
    )

    class Meta:
        model = Priority
        fields = ["name", "description", "start_year", "end_year"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start is not None and end is not None and end < start:
            self.add_error("end_year", "The last year cannot be before the first year.")
        return cleaned


class InviteForm(GovukForm, forms.Form):
    """Invite someone by email to a role in the partnership."""

    submit_label = "Send invitation"

    email = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        initial=Role.VIEWER,
        widget=forms.RadioSelect,
        help_text="Viewers read; editors also enter figures, actions and meetings; "
        "managers also keep the profile and the members.",
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not recorded",
        help_text="The member organisation they work for.",
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            model_choice_field(self, "organisation").queryset = organisations

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class MemberRoleForm(GovukForm, forms.Form):
    """Change a member's role or organisation."""

    submit_label = "Save role"

    role = forms.ChoiceField(label="Role", choices=Role.choices, widget=forms.RadioSelect)
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not recorded",
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            model_choice_field(self, "organisation").queryset = organisations


class SetUpForm(GovukForm, forms.Form):
    """Confirm setting up a reference partnership as a real one."""

    submit_label = "Set up partnership"

    lead_council = forms.CharField(
        label="Lead council",
        max_length=200,
        help_text="The council that leads the partnership. An organisation already in the "
        "app with this name is used; otherwise a new council is added.",
    )
    manager_email = forms.EmailField(
        label="Email address of the first manager",
        help_text="Your own address makes you the manager. Anyone else gets an invitation "
        "by email to choose a password.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_lead_council(self) -> str:
        name = self.cleaned_data["lead_council"].strip()
        if not name:
            raise ValidationError("Enter the name of the lead council.")
        clash = Organisation.objects.filter(name__iexact=name).first()
        if clash is not None and clash.type != Organisation.Type.COUNCIL:
            raise ValidationError(
                f"{clash.name} is in the app as a {clash.get_type_display().lower()} "
                "organisation, not a council: enter the council's name."
            )
        return name

    def clean_manager_email(self) -> str:
        return self.cleaned_data["manager_email"].strip().lower()


class ReferenceSearchForm(forms.Form):
    """The search box of Set up a partnership (a plain GET form)."""

    q = forms.CharField(label="CSP name or GSS code", required=False, max_length=100)
