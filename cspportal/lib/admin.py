"""The admin reads what it is typed as the app's forms do.

``StrictFields`` comes first in every ``ModelAdmin`` and inline of the apps: links are
``LinkField`` (public http(s) only, "//host" refused rather than guessed at) and numbers
the strict number fields, with the app's messages. Dates need nothing here: the models'
own validators (``validation.DateInRange``) hold for every model form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from cspportal.lib.forms import LinkField, strict_formfield

_NUMBERS = (models.IntegerField, models.DecimalField, models.FloatField)


class StrictFields:
    """Mixin for ``admin.ModelAdmin`` and inlines."""

    def formfield_for_dbfield(
        self, db_field: models.Field, request: HttpRequest | None, **kwargs: Any
    ) -> forms.Field | None:
        if isinstance(db_field, _NUMBERS) and not db_field.choices and not db_field.auto_created:
            return strict_formfield(db_field, **kwargs)
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("form_class", LinkField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]


class StrictModelAdmin(StrictFields, admin.ModelAdmin):
    """The plain admin, reading links and numbers strictly."""
