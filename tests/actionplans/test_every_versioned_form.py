"""Every form that saves a versioned record refuses a save without its version, as
it refuses a stale one. Found by walking every form class the apps define (no list
kept by hand that a new form could be missing from), then shown on the action form,
where a save without the version once overwrote the record."""

import importlib
import inspect
from collections.abc import Iterator

import pytest
from django import forms
from django.apps import apps
from django.urls import reverse

from actionplans.models import Action
from cspportal.lib.versioning import (
    OUT_OF_DATE,
    DeleteForm,
    Versioned,
    VersionedForm,
    VersionField,
)
from tests.actionplans.test_changes import SLUG, _action_data

APP_FORMS = ["partnerships", "crimestats", "actionplans", "meetings", "reports", "accounts"]


def _form_classes() -> Iterator[type[forms.BaseForm]]:
    seen = set()
    for app in APP_FORMS:
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for _, value in inspect.getmembers(module, inspect.isclass):
            ours = issubclass(value, forms.BaseForm) and value.__module__.startswith(app)
            if ours and value not in seen:
                seen.add(value)
                yield value


def _model(form_class) -> type | None:
    meta = getattr(form_class, "_meta", None)
    return getattr(meta, "model", None)


def test_the_walk_finds_the_apps_forms():
    names = {cls.__name__ for cls in _form_classes()}
    assert {"ActionForm", "PartnershipForm", "MeetingForm", "SectionForm"} <= names


def test_every_model_form_of_a_versioned_record_carries_its_version():
    unversioned = [
        cls.__qualname__
        for cls in _form_classes()
        if issubclass(cls, forms.ModelForm)
        and _model(cls) is not None
        and issubclass(_model(cls), Versioned)
        and not issubclass(cls, VersionedForm)
    ]
    assert unversioned == []


def test_every_other_form_with_a_version_requires_it():
    lax = [
        cls.__qualname__
        for cls in [*_form_classes(), DeleteForm]
        if not issubclass(cls, VersionedForm)
        and "version" in cls.base_fields
        and not (
            isinstance(cls.base_fields["version"], VersionField)
            and cls.base_fields["version"].required
        )
    ]
    assert lax == []


def test_every_versioned_model_is_one_people_edit():
    """The walk above covers them: each is an app model with a ``version``."""
    versioned = sorted(m.__name__ for m in apps.get_models() if issubclass(m, Versioned))
    assert "Action" in versioned and "ReportSection" in versioned


@pytest.mark.parametrize("version", [None, "", "x", "0", "-1", "2.5", "99"])
def test_an_action_saved_without_its_version_or_with_an_altered_one_is_refused(
    setup, manager_client, version
):
    action = setup.council_action
    url = reverse("actionplans:action_edit", args=[SLUG, action.pk])
    data = _action_data(action, owner_name="Overwritten", title="Overwritten")
    if version is None:
        del data["version"]
    else:
        data["version"] = version
    before = Action.objects.filter(pk=action.pk).values().get()

    response = manager_client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [OUT_OF_DATE]
    assert OUT_OF_DATE.split(":")[0] in response.content.decode()
    assert Action.objects.filter(pk=action.pk).values().get() == before


def test_an_outsider_cannot_save_an_action(setup, outsider_client):
    action = setup.council_action
    before = Action.objects.filter(pk=action.pk).values().get()

    response = outsider_client.post(
        reverse("actionplans:action_edit", args=[SLUG, action.pk]),
        _action_data(action, owner_name="Outsider"),
    )

    assert response.status_code == 404
    assert Action.objects.filter(pk=action.pk).values().get() == before
