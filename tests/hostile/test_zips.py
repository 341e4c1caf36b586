"""Hostile zips of police.uk months: each is refused by the upload with a message
naming the zip member, and nothing is stored; the importer refuses the same from the
command line."""

import io
import zipfile

import pytest
from django.urls import reverse

from crimestats.importers.base import SourceFile
from crimestats.importers.batches import import_preview
from crimestats.models import ImportBatch, Observation
from tests.hostile.make_corpus import MAKERS, STREET_NAME


def bomb_ratio() -> str:
    _name, data = MAKERS["zip_bomb"]()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(STREET_NAME)
    return f"{info.file_size / info.compress_size:,.0f}"


NESTED = (
    "is another zip inside the zip; zips inside zips are not opened: put the .csv files "
    "themselves in one zip."
)
# What is wrong with each zip, as the upload and the importer say it.
REASONS = {
    "zip_symlink": f"the zip member '{STREET_NAME}' is a symbolic link; it was not opened.",
    "zip_traversal": (
        f"the zip member '../../etc/{STREET_NAME}' has a path outside the archive; it was not "
        "opened."
    ),
    "zip_absolute": (
        f"the zip member '/var/data/{STREET_NAME}' has a path outside the archive; it was not "
        "opened."
    ),
    "zip_many_members": "the zip holds 501 files; at most 500 are accepted.",
    "zip_nested": f"the zip member 'inner.zip' {NESTED}",
    "zip_nested_as_csv": f"the zip member '{STREET_NAME}' {NESTED}",
    "zip_bomb": (
        f"the zip member '{STREET_NAME}' expands {bomb_ratio()} times, to 20.0 MB: far more "
        "than a real file does (a zip bomb); it was not unpacked."
    ),
}


def _upload_url(cast) -> str:
    return reverse("crimestats:import_upload", args=[cast.partnership.slug, "policeuk"])


@pytest.mark.parametrize("key", list(REASONS))
def test_the_police_upload_refuses_a_hostile_zip(key, cast, editor_client, hostile, unchanged):
    file = hostile(key)
    unchanged()

    response = editor_client.post(_upload_url(cast), {"files": [file.upload("application/zip")]})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "files": [f"The police.uk file {file.name} cannot be opened: {REASONS[key]}"]
    }


def test_a_zip_cut_short_is_refused(cast, editor_client, hostile, unchanged):
    file = hostile("zip_truncated")
    unchanged()

    response = editor_client.post(_upload_url(cast), {"files": [file.upload()]})

    assert response.context["form"].errors == {
        "files": ["The police.uk file cut-short.zip is a zip archive that is damaged or cut short."]
    }


@pytest.mark.parametrize("key", list(REASONS))
def test_the_police_importer_refuses_a_hostile_zip(key, cast, hostile):
    file = hostile(key)

    batch, _parsed = import_preview(
        format=ImportBatch.Format.POLICEUK_STREET,
        sources=[SourceFile(file.name, file.data)],
        partnership=cast.partnership,
        user=cast.editor,
    )

    assert batch.status == ImportBatch.Status.REJECTED
    assert [(e["file"], e["message"]) for e in batch.errors] == [(file.name, REASONS[key])]
    assert not batch.file
    assert Observation.objects.count() == 0


def test_an_outsider_and_a_viewer_cannot_upload_a_zip(
    cast, outsider_client, viewer_client, hostile, unchanged
):
    file = hostile("zip_symlink")
    unchanged()

    assert outsider_client.post(_upload_url(cast), {"files": [file.upload()]}).status_code == 404
    assert viewer_client.post(_upload_url(cast), {"files": [file.upload()]}).status_code == 403
