"""Numbers typed into forms are read with the figures' grammar: ASCII digits, commas
only between groups of three, nothing else. Python's ``int`` and ``Decimal`` take
"١٢٣", "１２３", "1_000" and "+5", so no form may use Django's plain number fields:
the walk below finds every form class the apps define."""

import importlib
import inspect
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError

from cspportal.lib.forms import DecimalNumberField, StrictModelForm, WholeNumberField
from cspportal.lib.validation import read_number

FORM_MODULES = [
    "accounts.forms",
    "partnerships.forms",
    "crimestats.forms",
    "crimestats.importers.forms",
    "actionplans.forms",
    "meetings.forms",
    "reports.forms",
]
PLAIN = (forms.IntegerField, forms.DecimalField, forms.FloatField)
STRICT = (WholeNumberField, DecimalNumberField)


def _form_classes() -> Iterator[type[forms.BaseForm]]:
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == name:
                yield value


def test_the_walk_finds_the_forms_with_numbers():
    names = {cls.__name__ for cls in _form_classes()}
    assert {"AreaForm", "MeasureTargetForm", "DraftResolutionForm", "ReturnOpenForm"} <= names


def test_no_form_uses_a_plain_number_field():
    plain = [
        f"{cls.__module__}.{cls.__name__}.{name}: {type(field).__name__}"
        for cls in _form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, PLAIN) and not isinstance(field, STRICT)
    ]
    assert plain == []


def test_every_model_form_gets_strict_numbers_from_its_base():
    loose = [
        cls.__name__
        for cls in _form_classes()
        if issubclass(cls, forms.ModelForm) and not issubclass(cls, StrictModelForm)
    ]
    assert loose == []


def test_a_new_model_form_gets_strict_numbers_without_asking():
    from partnerships.models import Area

    class NewAreaForm(StrictModelForm):
        class Meta:
            model = Area
            fields = ["population", "population_year"]

    form = NewAreaForm({"population": "١٢٣", "population_year": "2021"})

    assert isinstance(NewAreaForm.base_fields["population"], WholeNumberField)
    assert form.errors == {
        "population": ["Population: enter a whole number, like 1,234 (you entered “١٢٣”)"]
    }


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0", Decimal(0)),
        ("1234", Decimal(1234)),
        ("1,234", Decimal(1234)),
        ("1,234,567", Decimal(1234567)),
        ("  98500 ", Decimal(98500)),
        ("", None),
        ("   ", None),
    ],
)
def test_it_reads_a_well_formed_whole_number(raw, expected):
    assert read_number(raw, label="Population") == expected


@pytest.mark.parametrize(
    "raw",
    [
        "١٢٣",  # Arabic-Indic digits
        "１２３",  # full-width digits
        "१२३",  # Devanagari digits
        "1_000",
        "1e3",
        "+5",
        "1 000",
        "1\u00a0000",
        "12,34",
        "1,2345",
        ",123",
        "12.5",
        "12.",
        "0x10",
        "lots",
        "--5",
    ],
)
def test_it_refuses_anything_else_as_a_whole_number(raw):
    with pytest.raises(ValidationError) as refused:
        read_number(raw, label="Population")
    assert refused.value.messages == [
        f"Population: enter a whole number, like 1,234 (you entered “{raw.strip()}”)"
    ]
    assert refused.value.code == "invalid"


@pytest.mark.parametrize(
    ("raw", "places", "expected"),
    [
        ("12.5", 1, Decimal("12.5")),
        ("1,234.75", 2, Decimal("1234.75")),
        ("-3.5", 1, Decimal("-3.5")),
        ("\u22123.5", 1, Decimal("-3.5")),
        ("7", 1, Decimal(7)),
        ("0.125", None, Decimal("0.125")),
    ],
)
def test_it_reads_a_well_formed_decimal(raw, places, expected):
    assert read_number(raw, label="Baseline", places=places) == expected


@pytest.mark.parametrize(
    "raw", [" 1e3", "1E3", "+5.5", "１２.５", "1_000.5", "12,5", "Infinity", "NaN"]
)
def test_it_refuses_anything_else_as_a_decimal(raw):
    with pytest.raises(ValidationError) as refused:
        read_number(raw, label="Baseline", places=2)
    assert refused.value.messages == [
        f"Baseline: enter a number, like 12.5 (you entered “{raw.strip()}”)"
    ]


def test_it_refuses_too_many_decimal_places_in_words():
    with pytest.raises(ValidationError) as one:
        read_number("12.55", label="By (%)", places=1)
    with pytest.raises(ValidationError) as two:
        read_number("12.555", label="Baseline", places=2)
    assert one.value.messages == [
        "By (%): use no more than 1 decimal place, like 12.5 (you entered “12.55”)"
    ]
    assert two.value.messages == [
        "Baseline: use no more than 2 decimal places, like 12.75 (you entered “12.555”)"
    ]


@pytest.mark.parametrize(
    ("raw", "minimum", "maximum", "message", "code"),
    [
        ("0", 1, 999, "Number: enter a whole number from 1 to 999 (you entered “0”)", "min_value"),
        (
            "1,000",
            1,
            999,
            "Number: enter a whole number from 1 to 999 (you entered “1,000”)",
            "max_value",
        ),
        (
            "-1",
            0,
            None,
            "Number: enter a whole number of 0 or more (you entered “-1”)",
            "min_value",
        ),
        (
            "3000000000",
            None,
            2147483647,
            "Number: enter a whole number of 2,147,483,647 or less (you entered “3000000000”)",
            "max_value",
        ),
    ],
)
def test_a_number_out_of_range_names_the_limits(raw, minimum, maximum, message, code):
    with pytest.raises(ValidationError) as refused:
        read_number(raw, label="Number", minimum=minimum, maximum=maximum)
    assert refused.value.messages == [message]
    assert refused.value.code == code


def test_the_limits_are_accepted():
    assert read_number("1", label="Number", minimum=1, maximum=999) == 1
    assert read_number("999", label="Number", minimum=1, maximum=999) == 999


class _Form(forms.Form):
    population = WholeNumberField(label="Population", min_value=0, required=False)
    year = WholeNumberField(
        label="Year", width=4, error_messages={"invalid": "Enter the year, like 2017"}
    )
    share = DecimalNumberField(
        label="Share", min_value=0, max_digits=5, decimal_places=1, required=False
    )


def test_the_fields_clean_to_an_int_and_a_decimal():
    form = _Form({"population": "98,500", "year": "2017", "share": "12.5"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"population": 98500, "year": 2017, "share": Decimal("12.5")}
    assert type(form.cleaned_data["population"]) is int


def test_the_fields_name_themselves_and_keep_a_message_given_to_them():
    form = _Form({"population": "１２３", "year": "٢٠١٧", "share": "10000"})
    assert form.errors == {
        "population": ["Population: enter a whole number, like 1,234 (you entered “１２３”)"],
        "year": ["Enter the year, like 2017"],
        "share": ["Share: enter a number from 0 to 9999.9 (you entered “10000”)"],
    }


def test_the_fields_render_as_text_boxes_with_a_numeric_keypad():
    form = _Form()
    assert str(form["population"]) == (
        '<input type="text" name="population" inputmode="numeric" spellcheck="false" '
        'class="govuk-input--width-10" id="id_population">'
    )
    assert str(form["year"]) == (
        '<input type="text" name="year" inputmode="numeric" spellcheck="false" '
        'class="govuk-input--width-4" required id="id_year">'
    )
    assert str(form["share"]) == (
        '<input type="text" name="share" inputmode="decimal" spellcheck="false" '
        'class="govuk-input--width-10" id="id_share">'
    )
