"""Forms for uploading import files and confirming a previewed import."""

from __future__ import annotations

import csv
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from crimestats.importers.base import (
    SourceFile,
    csv_text_problem,
    first_line,
    max_upload_bytes,
    upload_limits,
)
from cspportal.lib import uploads
from cspportal.lib.forms import GovukForm


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"class": "govuk-file-upload", **(attrs or {})})


class MultipleFileField(forms.FileField):
    """A file field that accepts several files at once; cleans to a list."""

    def __init__(self, *args, multiple: bool = True, accept: str = "", **kwargs) -> None:
        attrs: dict[str, Any] = {"accept": accept} if accept else {}
        if multiple:
            attrs["multiple"] = True
            kwargs.setdefault("widget", MultipleFileInput(attrs))
        else:
            kwargs.setdefault("widget", forms.FileInput({"class": "govuk-file-upload", **attrs}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        clean_one = super().clean
        if isinstance(data, list | tuple):
            files = [clean_one(item, initial) for item in data]
        else:
            files = [clean_one(data, initial)]
        return [f for f in files if f]


# What each import page's files may be, in words, by the extensions it accepts.
ACCEPTED_WORDS = {
    (".csv", ".zip"): "a CSV file or a zip of CSV files",
    (".xlsx",): "an Excel workbook (.xlsx)",
    (".csv",): "a CSV file",
}


class ImportUploadForm(GovukForm, forms.Form):
    """One or more files for an import. Each file is judged here by its size and its
    content (``cspportal.lib.uploads``: what it really is, a zip's members, a
    workbook's parts, a CSV's encoding), whatever name or type the browser gave it, so
    a file that cannot be read is refused before any import batch is recorded."""

    submit_label = "Upload and preview"

    def __init__(
        self,
        *args,
        label: str,
        help_text: str,
        accept: str,
        multiple: bool,
        noun: str = "file",
        **kwargs,
    ) -> None:
        self.noun = noun
        self.suffixes = tuple(accept.split(","))
        # Fields of this one form, in place before GovukForm lays them out; django-stubs
        # types base_fields as the class's only.
        self.base_fields = {  # type: ignore[misc]
            "files": MultipleFileField(
                label=label,
                help_text=help_text,
                accept=accept,
                multiple=multiple,
                error_messages={"required": "Choose a file to upload."},
            )
        }
        self._sources: list[SourceFile] = []
        super().__init__(*args, **kwargs)

    def clean_files(self) -> list[UploadedFile]:
        files = self.cleaned_data["files"]
        if not files:
            raise forms.ValidationError("Choose a file to upload.")
        limit = max_upload_bytes()
        for upload in files:
            if upload.size > limit:
                raise forms.ValidationError(
                    f"{upload.name} is {upload.size / 1024 / 1024:.1f} MB, over the "
                    f"{settings.IMPORT_MAX_UPLOAD_MB} MB limit for imports. Split it into "
                    "smaller files (one month each)."
                )
        sources = []
        for upload in files:
            source = SourceFile(upload.name, upload.read())
            problem = self._problem(source)
            if problem:
                raise forms.ValidationError(f"The {self.noun} {problem}")
            sources.append(source)
        self._sources = sources
        return files

    def _problem(self, source: SourceFile) -> str | None:
        problem = uploads.upload_problem(
            source.name,
            source.data,
            suffixes=self.suffixes,
            accepted=ACCEPTED_WORDS.get(self.suffixes, "a file this import reads"),
            limits=upload_limits(),
            member_suffixes=(".csv",),
        )
        if problem:
            return f"{source.name} {problem}"
        if uploads.content_kind(source.data) == "text":
            header = next(csv.reader([first_line(source.data)]), [])
            error = csv_text_problem(source, [h.strip() for h in header])
            if error is not None:
                return str(error)
        return None

    def sources(self) -> list[SourceFile]:
        """The files as read and checked by ``clean_files``."""
        return self._sources


class ImportConfirmForm(GovukForm, forms.Form):
    """Confirms a previewed import. When approved figures would change, a manager must
    tick the box and give a reason, which is kept with each new revision."""

    submit_label = "Store these figures"

    replace_approved = forms.BooleanField(
        label="Replace the approved figures listed above with the file's figures",
        required=False,
    )
    reason = forms.CharField(
        label="Why the approved figures should change",
        help_text="For example: police.uk republished March after a data correction.",
        required=False,
        max_length=300,
        widget=forms.Textarea({"rows": 3}),
    )

    def __init__(self, *args, has_conflicts: bool, is_manager: bool, **kwargs) -> None:
        self.has_conflicts = has_conflicts
        self.is_manager = is_manager
        super().__init__(*args, **kwargs)
        if not has_conflicts:
            del self.fields["replace_approved"]
            del self.fields["reason"]

    def layout_fields(self) -> list:
        return list(self.fields) if self.has_conflicts else []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.has_conflicts:
            return cleaned
        if not self.is_manager:
            raise forms.ValidationError(
                "This import would change approved figures: only a manager of the "
                "partnership can confirm it."
            )
        if not cleaned.get("replace_approved"):
            self.add_error(
                "replace_approved",
                "Tick the box to replace the approved figures, or leave this page to "
                "cancel the import.",
            )
        if not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Give the reason the approved figures should change.")
        return cleaned
