"""Malformed and hostile workbooks (.xlsx): the template upload, the ONS workbook import
of a partnership and the site-level ONS import each refuse them with one sentence
naming the file and the reason, never a server error, and store nothing."""

import io
import zipfile

import pytest
from django.urls import reverse

from crimestats.importers.base import SourceFile
from crimestats.importers.batches import import_preview
from crimestats.models import ImportBatch, Observation
from tests.hostile.make_corpus import MAKERS

SAVE_AGAIN = "Save it again from Excel as .xlsx and upload it again."
SHEET = "xl/worksheets/sheet1.xml"
DTD = f"the part {SHEET} declares a DTD or entities, which Excel never writes"


def bomb_ratio() -> str:
    _name, data = MAKERS["xlsx_zip_bomb"]()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("xl/media/image1.bin")
    return f"{info.file_size / info.compress_size:,.0f}"


# Each hostile workbook and the reason given for it, at the import limits (100 MB,
# 100,000 rows) and, where they differ, at the template's (5 MB, 10,000 rows).
REASONS = {
    "xlsx_entity_bomb": DTD,
    "xlsx_external_entity": DTD,
    "xlsx_malformed_sheet": f"the part {SHEET} is not well-formed XML (no element found, line 2)",
    "xlsx_truncated": "the zip it is packed in is damaged or cut short",
    "xlsx_not_a_workbook": (
        "it is a zip, but without the parts of a workbook ([Content_Types].xml and xl/workbook.xml)"
    ),
    "xlsx_huge_sheet": f"the sheet {SHEET} reaches row 1,048,576; at most 100,000 rows are read",
    "xlsx_zip_bomb": (
        f"the zip member 'xl/media/image1.bin' expands {bomb_ratio()} times, to 20.0 MB: far "
        "more than a real file does (a zip bomb); it was not unpacked"
    ),
    "xlsx_missing_sheet": f"it names the sheet {SHEET}, which is not in the file",
}
TEMPLATE_REASONS = {
    **REASONS,
    "xlsx_huge_sheet": f"the sheet {SHEET} reaches row 1,048,576; at most 10,000 rows are read",
    "xlsx_zip_bomb": (
        "the zip member 'xl/media/image1.bin' unpacks with the members before it to more "
        "than the 5 MB limit; it was not unpacked"
    ),
}


def _message(subject: str, name: str, reason: str) -> str:
    return f"{subject} {name} is not a valid Excel workbook (.xlsx): {reason}. {SAVE_AGAIN}"


@pytest.mark.parametrize("key", list(REASONS))
def test_the_template_upload_refuses_a_hostile_workbook(
    key, cast, police_return, client, hostile, unchanged
):
    file = hostile(key)
    client.force_login(cast.police_editor)
    unchanged()
    url = reverse("crimestats:return_upload", args=[cast.partnership.slug, police_return.pk])

    response = client.post(url, {"file": file.upload()})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": [_message("The filled-in template", file.name, TEMPLATE_REASONS[key])]
    }


@pytest.mark.parametrize("key", list(REASONS))
def test_the_ons_import_refuses_a_hostile_workbook(key, cast, manager_client, hostile, unchanged):
    file = hostile(key)
    unchanged()
    url = reverse("crimestats:import_upload", args=[cast.partnership.slug, "ons-tables"])

    response = manager_client.post(url, {"files": file.upload()})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "files": [_message("The ONS workbook", file.name, REASONS[key])]
    }


@pytest.mark.parametrize("key", list(REASONS))
def test_the_site_ons_import_refuses_a_hostile_workbook(key, admin_client_, hostile, unchanged):
    file = hostile(key)
    unchanged()
    url = reverse("site_imports:import_upload", args=["ons-tables"])

    response = admin_client_.post(url, {"files": file.upload()})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "files": [_message("The ONS workbook", file.name, REASONS[key])]
    }


# The importers check the same again, for the command line: a rejected batch with
# the reason, and no figure.


@pytest.mark.parametrize("key", list(REASONS))
def test_the_ons_importer_refuses_a_hostile_workbook_from_the_command_line(key, cast, hostile):
    file = hostile(key)

    batch, _parsed = import_preview(
        format=ImportBatch.Format.ONS_PFA_TABLES,
        sources=[SourceFile(file.name, file.data)],
        partnership=None,
        user=cast.admin,
        keep_file=False,
    )

    assert batch.status == ImportBatch.Status.REJECTED
    assert [e["message"] for e in batch.errors] == [
        f"this file is not a valid Excel workbook (.xlsx): {REASONS[key]}. {SAVE_AGAIN}"
    ]
    assert Observation.objects.count() == 0


@pytest.mark.parametrize("key", list(REASONS))
def test_the_template_importer_refuses_a_hostile_workbook(key, cast, police_return, hostile):
    file = hostile(key)

    batch, _parsed = import_preview(
        format=ImportBatch.Format.TEMPLATE,
        sources=[SourceFile(file.name, file.data)],
        partnership=cast.partnership,
        user=cast.police_editor,
        data_return=police_return,
        keep_file=False,
    )

    assert batch.status == ImportBatch.Status.REJECTED
    assert [e["message"] for e in batch.errors] == [
        f"this file is not a valid Excel workbook (.xlsx): {REASONS[key]}. {SAVE_AGAIN}"
    ]
    assert Observation.objects.count() == 0


def test_a_good_workbook_still_previews_through_the_template_upload(cast, police_return, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.hostile.make_corpus import workbook_bytes

    client.force_login(cast.police_editor)
    url = reverse("crimestats:return_upload", args=[cast.partnership.slug, police_return.pk])
    good = SimpleUploadedFile("figures.xlsx", workbook_bytes())

    response = client.post(url, {"file": good})

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert (batch.status, batch.rows_read, batch.errors) == (ImportBatch.Status.PREVIEWED, 1, [])


def test_an_outsider_cannot_reach_the_uploads_with_a_hostile_workbook(
    cast, police_return, outsider_client, editor_client, hostile, unchanged
):
    file = hostile("xlsx_entity_bomb")
    unchanged()
    slug = cast.partnership.slug
    template = reverse("crimestats:return_upload", args=[slug, police_return.pk])
    ons = reverse("crimestats:import_upload", args=[slug, "ons-tables"])
    site = reverse("site_imports:import_upload", args=["ons-tables"])

    assert outsider_client.post(template, {"file": file.upload()}).status_code == 404
    assert outsider_client.post(ons, {"files": file.upload()}).status_code == 404
    assert outsider_client.post(site, {"files": file.upload()}).status_code == 404
    assert editor_client.post(ons, {"files": file.upload()}).status_code == 403
