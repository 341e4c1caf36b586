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
from tests.posting import posted

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


def _pages(cast, setup) -> dict[str, tuple[str, object]]:
    """Every edit page of a versioned record, by name: its address and its record."""
    from meetings.models import Meeting, Resolution
    from tests.factories import MeetingFactory, ResolutionFactory

    meeting: Meeting = MeetingFactory(partnership=cast.partnership)
    resolution: Resolution = ResolutionFactory(meeting=meeting)
    area = cast.partnership.areas.order_by("pk").first()
    member = cast.partnership.memberships.order_by("pk").first()
    return {
        "partnership": (reverse("partnerships:partnership_edit", args=[SLUG]), cast.partnership),
        "area": (reverse("partnerships:record_edit", args=[SLUG, "areas", area.pk]), area),
        "member": (reverse("partnerships:record_edit", args=[SLUG, "members", member.pk]), member),
        "plan": (reverse("actionplans:plan_edit", args=[SLUG, setup.plan.pk]), setup.plan),
        "objective": (
            reverse("actionplans:objective_edit", args=[SLUG, setup.objective.pk]),
            setup.objective,
        ),
        "action": (
            reverse("actionplans:action_edit", args=[SLUG, setup.council_action.pk]),
            setup.council_action,
        ),
        "meeting": (reverse("meetings:meeting_update", args=[SLUG, meeting.pk]), meeting),
        "resolution": (
            reverse("meetings:resolution_update", args=[SLUG, resolution.pk]),
            resolution,
        ),
    }


PAGES = ["partnership", "area", "member", "plan", "objective", "action", "meeting", "resolution"]


def _row(record) -> dict:
    return type(record)._default_manager.filter(pk=record.pk).values().get()


@pytest.mark.parametrize("version", [None, "", "abc", "99", "-1", "١"])
@pytest.mark.parametrize("page", PAGES)
def test_every_edit_page_refuses_a_missing_or_altered_version_and_changes_nothing(
    cast, setup, manager_client, page, version
):
    """Saved as shown, each page saves (so the refusal below is the version's alone);
    with the version missing, not a number, one the record never had or in another
    script's digits it says the page is out of date, and the record is unchanged."""
    url, record = _pages(cast, setup)[page]
    shown = manager_client.get(url)
    assert shown.status_code == 200
    data = posted(shown.context["form"])
    assert data["version"] == str(record.version)
    if version is None:
        del data["version"]
    else:
        data["version"] = version
    before = _row(record)

    response = manager_client.post(url, data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"__all__": [OUT_OF_DATE]}
    assert OUT_OF_DATE.split(":")[0] in response.content.decode()
    assert _row(record) == before


@pytest.mark.parametrize("page", PAGES)
def test_every_edit_page_saves_the_form_as_it_was_shown(cast, setup, manager_client, page):
    url, record = _pages(cast, setup)[page]
    data = posted(manager_client.get(url).context["form"])

    response = manager_client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    assert _row(record)["version"] == record.version + 1


@pytest.mark.parametrize("page", PAGES)
def test_an_outsider_cannot_open_any_edit_page(cast, setup, outsider_client, page):
    url, record = _pages(cast, setup)[page]
    before = _row(record)

    assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(url, {"version": record.version}).status_code == 404
    assert _row(record) == before
