"""One versioned edit for every record a person edits.

Each such record carries a ``version`` that rises with every save. An edit page sends
the version it was opened on (a hidden field of ``VersionedForm``); the service locks
the row, compares, and refuses with ``EditConflict`` when someone saved the record in
between, so two people editing one record never silently overwrite each other. The
page then keeps what the person typed, lists what the other person changed (who,
when, which field from what to what, read back from django-simple-history), and
carries the current version, so saving again replaces the other person's changes
knowingly.

Why not django-concurrency: its version check runs inside ``Model.save()``, which
would also refuse the app's own follow-up writes (a resolution whose status follows
its action, a return approved with its figures) and leaves the conflict page, the
part users need, to us. The check itself is one locked read, below.

docs/editing.md explains the mechanism for the pages that use it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import QueryDict

from cspportal.lib import formats
from cspportal.lib.forms import StrictModelForm, WholeNumberField

OUT_OF_DATE = "This page is out of date: open it again, make your changes and save."
OUT_OF_DATE_DELETE = "This page is out of date: open it again, then delete."


class Versioned(models.Model):
    """A record people edit: ``version`` counts its saves (1 when created). A model
    names in ``unlisted_fields`` the editable fields that the app, not a person, sets,
    which the list of someone else's changes leaves out."""

    unlisted_fields: tuple[str, ...] = ()

    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Rises with every save; an edit names the one it began from.",
    )

    class Meta:
        abstract = True


class EditConflict(Exception):
    """Someone saved the record after the version the editor started from."""

    def __init__(self, record: models.Model, current_version: int, started_from: int):
        self.record = record
        self.current_version = current_version
        self.started_from = started_from
        super().__init__(self.sentence())

    def sentence(self, outcome: str = "") -> str:
        """The one way the pages say it: "Someone else changed this action after you
        opened it, so your changes were not saved." ``outcome`` ends the sentence."""
        noun = self.record._meta.verbose_name
        said = f"Someone else changed this {noun} after you opened it"
        return f"{said}, so {outcome}." if outcome else f"{said}."


def next_version(record: models.Model, expected_version: int | None) -> int:
    """Lock the record's row and return its next version.

    ``expected_version`` is the version the editor's page was opened on: a different
    one raises ``EditConflict`` (or ``ValidationError`` when it is one the record never
    had, a tampered form). ``None`` means no check, for the app's own follow-up writes
    that do not start from a page. Call inside a transaction."""
    # No ordering: a default ordering that joins nullable relations cannot be locked
    # FOR UPDATE on PostgreSQL.
    current = (
        type(record)
        ._default_manager.select_for_update()
        .filter(pk=record.pk)
        .order_by()
        .values_list("version", flat=True)
        .first()
    )
    if current is None:
        raise ValidationError(
            f"Someone deleted this {record._meta.verbose_name} while you were editing it."
        )
    check_version(record, current, expected_version)
    return current + 1


def check_version(record: models.Model, current: int, expected_version: int | None) -> None:
    """Refuse an edit begun from ``expected_version`` of a record now at ``current``,
    for a service that has locked the row itself (``next_version`` does both)."""
    if expected_version is not None and expected_version != current:
        if not 1 <= expected_version < current:
            raise ValidationError(OUT_OF_DATE)
        raise EditConflict(record, current, expected_version)


def claim(record: models.Model, expected_version: int | None) -> None:
    """Check the version like ``next_version`` and move ``record.version`` on, ready
    for the caller's ``save()``. Call inside a transaction."""
    record.version = next_version(record, expected_version)  # type: ignore[attr-defined]


class VersionedForm(StrictModelForm):
    """A model form that sends the version of the record it was opened on. Saving a
    record that exists without a version, or with one that is not a number, is
    refused: the page was not opened from this app, or was altered."""

    version = WholeNumberField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is not None and (
            cleaned.get("version") is None or "version" in self.errors
        ):
            # A hidden field's own error would not show: say it for the whole form.
            self.errors.pop("version", None)
            self.add_error(None, OUT_OF_DATE)
        return cleaned


class VersionField(WholeNumberField):
    """The version hidden in a form that is not a model form (a delete confirmation,
    a grid of figures). Required: a page without it is refused with ``OUT_OF_DATE``."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        messages = {
            "required": OUT_OF_DATE,
            "invalid": OUT_OF_DATE,
            **kwargs.pop("error_messages", {}),
        }
        messages.setdefault("min_value", messages["invalid"])
        messages.setdefault("max_value", messages["invalid"])
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(error_messages=messages, **kwargs)


class VersionErrorShown:
    """Mixin for a form with a hidden ``VersionField``: a hidden field's own error is
    not shown beside any box (the page said "There is a problem" over an empty list),
    so a missing or altered version is said for the whole form, in the field's own
    words, which name the record and say what to do."""

    errors: Any
    fields: dict[str, forms.Field]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}  # type: ignore[misc]
        if "version" in self.errors:
            for message in self.errors.pop("version"):
                self.add_error(None, message)  # type: ignore[attr-defined]
        return cleaned


class DeleteForm(forms.Form):
    """The confirmation step of a delete: the version of the record the page showed, so
    that a record someone changed meanwhile is not deleted unseen."""

    version = VersionField(
        error_messages={"required": OUT_OF_DATE_DELETE, "invalid": OUT_OF_DATE_DELETE}
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "version" in self.errors:
            # A hidden field's own error would not show: say it for the whole form.
            self.errors.pop("version")
            self.add_error(None, OUT_OF_DATE_DELETE)
        return cleaned


# What someone else changed


@dataclass(frozen=True)
class FieldChange:
    """One field of a record, before and after someone's save, worded as the pages
    word them."""

    label: str
    old: str
    new: str

    @property
    def is_long(self) -> bool:
        """Too long to read as one "From ... to ..." sentence: shown as two lines."""
        return len(self.old) + len(self.new) > 80


@dataclass(frozen=True)
class ChangeSince:
    """One save someone else made after the version an editor started from."""

    who: str
    when: datetime
    fields: list[FieldChange]


_TEXT_LIMIT = 200


def shown(field: models.Field | None, value: Any) -> str:
    """A recorded value as the pages show it (names, labels, UK dates), for the list of
    someone else's changes."""
    if value is None or value == "" or value == []:
        return "(blank)"
    if isinstance(value, list):  # many-to-many: the through rows, related objects in them
        names = sorted(
            str(related)
            for row in value
            for key, related in row.items()
            if field is None or key != field.model._meta.model_name
        )
        return ", ".join(names)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return formats.uk_date(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, FieldFile):
        return (value.name or "").rsplit("/", 1)[-1]
    text = " ".join(str(value).split())
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 3].rstrip() + "..."


def who(user: Any) -> str:
    """The name the pages give the author of a save."""
    if user is None:
        return "Someone"
    return getattr(user, "full_name", "") or getattr(user, "email", "") or str(user)


def _label(field: models.Field) -> str:
    name = str(field.verbose_name)
    return name[:1].upper() + name[1:]


def _history(record: Any) -> list[Any]:
    return list(
        record.history.select_related("history_user").order_by("history_date", "history_id")
    )


def changes_since(record: Any, version: int, *, hidden: Iterable[str] = ()) -> list[ChangeSince]:
    """What others saved to ``record`` after ``version`` (the version an editor's page
    was opened on), oldest first: who, when and each field's value before and after.
    Saves that share a version (a meeting's attendance is recorded just after its
    details) count as one; ``hidden`` fields are never listed."""
    baseline = None
    saves: dict[int, Any] = {}
    for row in _history(record):
        if row.version <= version:
            baseline = row
        else:
            saves[row.version] = row  # the last row of each later version
    if baseline is None:
        return []
    return _changes(record, baseline, list(saves.values()), hidden)


def changes_after(record: Any, when: datetime, *, hidden: Iterable[str] = ()) -> list[ChangeSince]:
    """What was saved to ``record`` after the moment ``when``, oldest first, for a page
    that versions a whole (a report) and lists the changes to its parts (sections)."""
    rows = _history(record)
    before = [row for row in rows if row.history_date <= when]
    if not before:
        return []
    return _changes(record, before[-1], [row for row in rows if row.history_date > when], hidden)


def _changes(
    record: Any, baseline: Any, saves: list[Any], hidden: Iterable[str]
) -> list[ChangeSince]:
    opts = record._meta
    order = [f.name for f in opts.get_fields()]
    # What the app keeps (versions, timestamps, flags) is not what the person changed.
    kept = {f.name for f in opts.concrete_fields if not f.editable}
    left_out = {*kept, *getattr(record, "unlisted_fields", ()), *hidden}
    changes = []
    previous = baseline
    for row in saves:
        delta = row.diff_against(previous, foreign_keys_are_objs=True)
        fields = []
        for change in sorted(delta.changes, key=lambda c: order.index(c.field)):
            if change.field in left_out:
                continue
            field = cast(models.Field, opts.get_field(change.field))
            fields.append(
                FieldChange(
                    label=_label(field), old=shown(field, change.old), new=shown(field, change.new)
                )
            )
        changes.append(ChangeSince(who=who(row.history_user), when=row.history_date, fields=fields))
        previous = row
    return changes


def refuse_stale(
    form: forms.BaseForm, conflict: EditConflict, changes: list[ChangeSince] | None = None
) -> list[ChangeSince]:
    """After a refused save: keep what the editor typed, say why nothing was saved, and
    return what the other person changed (``changes``, when the page words them its own
    way). The form now carries the current version, so saving again, knowing both,
    replaces their changes."""
    _carry_current_version(form, conflict)
    form.add_error(
        None,
        conflict.sentence("your changes were not saved")
        + " Their changes are listed below. Check them against yours, then save again to "
        "replace them.",
    )
    return changes_since(conflict.record, conflict.started_from) if changes is None else changes


def refuse_stale_delete(form: forms.BaseForm, conflict: EditConflict) -> list[ChangeSince]:
    """After a refused delete: say why, and return what the other person changed."""
    _carry_current_version(form, conflict)
    form.add_error(
        None,
        conflict.sentence("it was not deleted")
        + " Their changes are listed below: check them, then delete it if you still mean to.",
    )
    return changes_since(conflict.record, conflict.started_from)


def _carry_current_version(form: forms.BaseForm, conflict: EditConflict) -> None:
    data = cast(QueryDict, form.data).copy()  # the request's, immutable until copied
    data["version"] = str(conflict.current_version)
    form.data = data


class VersionedEdit:
    """The save step of an edit or delete page, written once.

    ``save(service)`` validates the form and calls ``service(version)`` with the
    version the page was opened on. When the service refuses, nothing is saved and
    the form says why: someone else's save (``refuse_stale``, or
    ``refuse_stale_delete`` for a delete, leaving their changes in ``changes``) or a
    ``ValidationError``. The view keeps its own success message, redirect and page::

        edit = VersionedEdit(form)
        if request.method == "POST" and edit.save(
            lambda version: services.plan_save(plan=form.instance, expected_version=version)
        ):
            messages.success(request, "Plan details saved.")
            return redirect(...)
        return render(..., {"form": form, "changes": edit.changes})

    ``changes_since`` words the other person's changes for a record that lists them
    its own way (a report). After a refusal for someone else's save, ``conflict``
    holds it."""

    def __init__(
        self,
        form: forms.BaseForm,
        *,
        delete: bool = False,
        changes_since: Callable[[EditConflict], list[ChangeSince]] | None = None,
    ) -> None:
        self.form = form
        self.delete = delete
        self.changes_since = changes_since
        self.changes: list[ChangeSince] = []
        self.conflict: EditConflict | None = None

    def save(self, service: Callable[[Any], object]) -> bool:
        """True when the form was valid and ``service(version)`` saved without a
        refusal. ``version`` is the form's cleaned one: ``None`` for a new record."""
        if not self.form.is_valid():
            return False
        try:
            service(self.form.cleaned_data["version"])
        except EditConflict as conflict:
            self.conflict = conflict
            if self.delete:
                self.changes = refuse_stale_delete(self.form, conflict)
            else:
                worded = self.changes_since(conflict) if self.changes_since else None
                self.changes = refuse_stale(self.form, conflict, worded)
            return False
        except ValidationError as error:
            self.form.add_error(None, error)
            return False
        return True
