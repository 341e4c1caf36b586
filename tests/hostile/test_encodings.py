"""CSV files in the wrong encoding are refused by the upload, with the row and column
of the first unreadable byte where there is one, and nothing is stored. Latin-1 (or
Windows-1252) text is refused rather than guessed at: the same bytes are different
letters in other encodings, and a place name read wrong would match no area."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.hostile.make_corpus import STREET_NAME

UTF16 = (
    "is UTF-16 text, not UTF-8. Open it in Excel and save it as 'CSV UTF-8 (comma "
    "delimited)', then upload it again."
)
LATIN1 = (
    "row 2, column 'Location': the text is not UTF-8: byte 0xF4 ('ô' in Windows-1252) cannot "
    "be read. The file was probably saved as Windows-1252 ('CSV (comma delimited)' in Excel); "
    "save it again as 'CSV UTF-8 (comma delimited)'."
)


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("csv_utf16", f"The police.uk file {STREET_NAME} {UTF16}"),
        ("csv_latin1", f"The police.uk file {STREET_NAME}, {LATIN1}"),
    ],
)
def test_the_police_upload_refuses_a_csv_not_in_utf8(
    key, message, cast, editor_client, hostile, unchanged
):
    file = hostile(key)
    unchanged()
    url = reverse("crimestats:import_upload", args=[cast.partnership.slug, "policeuk"])

    response = editor_client.post(url, {"files": [file.upload("text/csv")]})

    assert response.status_code == 200
    assert response.context["form"].errors == {"files": [message]}


def test_the_site_lookup_upload_refuses_latin1_welsh_names(admin_client_, unchanged):
    data = "LAD24CD,LAD24NM\r\nW06000001,Ynys Môn\r\n".encode("latin-1")
    unchanged()
    url = reverse("site_imports:import_upload", args=["ons-lookup"])

    response = admin_client_.post(url, {"files": SimpleUploadedFile("lookup.csv", data)})

    assert response.context["form"].errors == {
        "files": [
            "The ONS lookup lookup.csv, row 2, column 'LAD24NM': the text is not UTF-8: byte "
            "0xF4 ('ô' in Windows-1252) cannot be read. The file was probably saved as "
            "Windows-1252 ('CSV (comma delimited)' in Excel); save it again as 'CSV UTF-8 "
            "(comma delimited)'."
        ]
    }


def test_the_template_upload_refuses_a_utf16_csv(cast, police_return, client, unchanged):
    client.force_login(cast.police_editor)
    data = "measure_code,area,period_start,value\r\n".encode("utf-16")
    unchanged()
    url = reverse("crimestats:return_upload", args=[cast.partnership.slug, police_return.pk])

    response = client.post(url, {"file": SimpleUploadedFile("figures.csv", data)})

    assert response.context["form"].errors == {
        "file": [
            "figures.csv is UTF-16 text, not a CSV file. Upload the filled-in template saved as "
            "CSV or XLSX"
        ]
    }
