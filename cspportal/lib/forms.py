"""One place that lays forms out in the GOV.UK style.

Every form in the app mixes in ``GovukForm``: it builds the crispy-forms-gds helper
once, with the fields in declaration order and a single submit button.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.forms.models import ModelFormMetaclass

from cspportal.lib import validation


class GovukForm:
    """Mixin for ``forms.Form`` and ``forms.ModelForm``: ``submit_label`` names the
    button; ``layout_fields()`` can be overridden to wrap fields in GDS layout objects."""

    submit_label = "Save"
    fields: dict[str, forms.Field]  # the form's own, which this mixin comes before

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The server validates and shows GOV.UK error messages; the browser's own
        # pop-ups are inconsistent and not read well by screen readers.
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(*self.layout_fields(), Submit("submit", self.submit_label))

    def layout_fields(self) -> list[Any]:
        return list(self.fields)


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field ``name``, typed so a form can set its ``choices``."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is a {type(field).__name__}, not a choice field")
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's model choice field ``name``, typed so a form can set its
    ``queryset``, ``empty_label`` or labels."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is a {type(field).__name__}, not a model choice field")
    return field


class LinkField(forms.URLField):
    """A web link, checked by ``validation.check_link``: http or https to a public
    host. A bare ``example.org/x`` gets ``https://``; a scheme-relative ``//host/x`` is
    refused rather than guessed at. ``name`` is how messages call the field."""

    def __init__(self, *, name: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("max_length", validation.MAX_LINK_LENGTH)
        super().__init__(**kwargs)
        self.name = name or str(self.label)
        self.error_messages["invalid"] = (
            f"{self.name}: enter a real web address, like https://www.example.gov.uk/paper.pdf"
        )
        self.error_messages["max_length"] = (
            f"{self.name}: a link can be at most %(limit_value)d characters"
        )

    def to_python(self, value: Any) -> str | None:
        if isinstance(value, str) and value.strip().startswith(validation.SCHEME_RELATIVE):
            # Before Django's guessing: it would read "//host/x" as "https://host/x".
            validation.check_link(value, label=self.name)
        return super().to_python(value)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value:
            validation.check_link(value, label=self.name)


class GovukDateField(DateInputField):
    """A GOV.UK date input (day, month and year boxes) read by
    ``validation.read_date_parts``: ASCII digits, a real day, inside ``earliest`` to
    ``latest`` (2000 to 2100 by default), every message naming the field."""

    def __init__(
        self,
        *,
        name: str = "",
        earliest: date = validation.EARLIEST_DATE,
        latest: date = validation.LATEST_DATE,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.name = name or str(self.label)
        self.earliest, self.latest = earliest, latest
        # compress() sees every box, filled or not, and says in words what is wrong.
        self.require_all_fields = False
        for field in self.fields:
            field.required = False
            field.validators = []
        self.error_messages["required"] = f"Enter the {self.name.lower()}, like 11 1 2024"
        self.error_messages["invalid"] = (
            f"{self.name}: enter the day, month and year, like 11 1 2024"
        )

    def compress(self, data_list: Any) -> date | None:
        day, month, year = (["" if v is None else str(v) for v in data_list] + ["", "", ""])[:3]
        if not (day.strip() or month.strip() or year.strip()):
            return None
        return validation.read_date_parts(
            day, month, year, label=self.name, earliest=self.earliest, latest=self.latest
        )


def _number_widget(width: int, mode: str) -> forms.TextInput:
    # GOV.UK asks for type=text with inputmode rather than type=number (which changes
    # values on scroll); crispy-forms-gds styles only text inputs.
    return forms.TextInput(
        attrs={"inputmode": mode, "spellcheck": "false", "class": f"govuk-input--width-{width}"}
    )


class _StrictNumber:
    """What the two number fields share: the text is read by ``validation.read_number``
    (ASCII digits, commas in groups of three, nothing else), and every message names
    the field. A message passed in ``error_messages`` (by its code: ``invalid``,
    ``min_value``, ``max_value``, ``decimal_places``) replaces the worded one."""

    places: int | None = 0
    label: Any
    error_messages: dict[str, Any]
    empty_values: Any

    def _setup(self, name: str, low: Any, high: Any, messages: dict[str, Any] | None) -> None:
        self.name = name
        self.low, self.high = low, high
        self.own_messages = set(messages or ())

    def _read(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        try:
            return validation.read_number(
                str(value),
                label=self.name or str(self.label or "This number"),
                places=self.places,
                minimum=self.low,
                maximum=self.high,
            )
        except ValidationError as error:
            if error.code in self.own_messages:
                raise ValidationError(self.error_messages[error.code], code=error.code) from None
            raise


class WholeNumberField(_StrictNumber, forms.IntegerField):
    """A whole number typed into a text box with a numeric keypad: "1,234" or "1234",
    never "١٢٣", "１２３", "1_000", "+5" or "1e3" (which Python's ``int`` would take).
    ``name`` is how messages call the field (its label by default); ``min_value`` and
    ``max_value`` are checked with a message naming both limits."""

    def __init__(
        self,
        *,
        name: str = "",
        min_value: int | None = None,
        max_value: int | None = None,
        width: int = 10,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("step_size", None)
        kwargs.setdefault("widget", _number_widget(width, "numeric"))
        self._setup(name, min_value, max_value, kwargs.get("error_messages"))
        # The limits are read with the text, so Django's own range validators (and their
        # "Ensure this value is..." wording) are not added.
        super().__init__(**kwargs)
        self.min_value, self.max_value = min_value, max_value

    def to_python(self, value: Any) -> int | None:
        number = self._read(value)
        return None if number is None else int(number)


class DecimalNumberField(_StrictNumber, forms.DecimalField):
    """A number with up to ``decimal_places`` decimal places (any, when None), read
    like ``WholeNumberField``; ``max_digits`` sets the largest value the column holds."""

    def __init__(
        self,
        *,
        name: str = "",
        min_value: Decimal | int | None = None,
        max_value: Decimal | int | None = None,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        width: int = 10,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("step_size", None)
        kwargs.setdefault("widget", _number_widget(width, "decimal"))
        if max_digits is not None:
            largest = Decimal(10) ** (max_digits - (decimal_places or 0)) - Decimal(10) ** -(
                decimal_places or 0
            )
            max_value = largest if max_value is None else min(Decimal(max_value), largest)
        self.places = decimal_places
        self._setup(name, min_value, max_value, kwargs.get("error_messages"))
        super().__init__(**kwargs)

    # django-stubs derives DecimalField from IntegerField and ignores the same override.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        return self._read(value)


# The range of each integer column on PostgreSQL, the narrowest of the databases the
# app runs on, so that a form says the same limits whichever database is behind it.
_COLUMN_RANGES: list[tuple[type[models.Field], tuple[int, int]]] = [
    (models.PositiveSmallIntegerField, (0, 32767)),
    (models.PositiveBigIntegerField, (0, 9223372036854775807)),
    (models.PositiveIntegerField, (0, 2147483647)),
    (models.SmallIntegerField, (-32768, 32767)),
    (models.BigIntegerField, (-9223372036854775808, 9223372036854775807)),
    (models.IntegerField, (-2147483648, 2147483647)),
]


def _limits(db_field: models.Field) -> tuple[Any, Any]:
    """The tightest range the model field allows (its column and its validators), for
    the form field to check first and word by name."""
    lows: list[Any] = []
    highs: list[Any] = []
    for kind, (low, high) in _COLUMN_RANGES:
        if isinstance(db_field, kind):
            lows.append(low)
            highs.append(high)
            break
    for validator in db_field.validators:
        limit = getattr(validator, "limit_value", None)
        if limit is None or callable(limit):
            continue
        if isinstance(validator, MinValueValidator):
            lows.append(limit)
        elif isinstance(validator, MaxValueValidator):
            highs.append(limit)
    return (max(lows) if lows else None), (min(highs) if highs else None)


def strict_formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """The form field for a model field, with a strict number field in place of
    Django's ``IntegerField``, ``DecimalField`` and ``FloatField``. The
    ``formfield_callback`` of every ``StrictModelForm``, and usable by the admin."""
    numeric = isinstance(db_field, models.IntegerField | models.DecimalField | models.FloatField)
    if numeric and not db_field.choices and "form_class" not in kwargs:
        low, high = _limits(db_field)
        small = isinstance(db_field, models.SmallIntegerField | models.PositiveSmallIntegerField)
        if isinstance(db_field, models.IntegerField):
            kwargs["form_class"] = WholeNumberField
            kwargs.setdefault("width", 4 if small else 10)
        else:
            kwargs["form_class"] = DecimalNumberField
        kwargs.setdefault("min_value", low)
        kwargs.setdefault("max_value", high)
    return db_field.formfield(**kwargs)


class StrictModelFormMetaclass(ModelFormMetaclass):
    """Gives every model form's ``Meta`` the ``strict_formfield`` callback unless it
    names its own, so a new model form's number fields are strict without asking."""

    def __new__(mcs, name: str, bases: Any, attrs: dict[str, Any]) -> Any:
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(strict_formfield)
        return super().__new__(mcs, name, bases, attrs)


class StrictModelForm(forms.ModelForm, metaclass=StrictModelFormMetaclass):
    """The base of every model form in the app (``VersionedForm`` stands on it)."""
