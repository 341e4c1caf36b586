"""A04/A08: an upload is judged by its content, never by its name. A PDF or an image
renamed to .csv or .xlsx is refused with a message saying what the file really is,
for the figures template and every import, and nothing is stored."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from weasyprint import HTML

from crimestats.importers.base import SourceFile, sniff_kind
from crimestats.importers.batches import import_preview
from crimestats.models import DataReturn, ImportBatch, Observation
from cspportal.lib.periods import PeriodType
from tests.imports.conftest import FIXTURES, ONS_WORKBOOK


def _pdf() -> bytes:
    return HTML(string="<p>Minutes of the scrutiny committee</p>").write_pdf()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="JPEG")
    return buffer.getvalue()


CONTENTS = {"pdf": (_pdf, "a PDF document"), "png": (_png, "a PNG image")}


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (_pdf, "a PDF document"),
        (_png, "a PNG image"),
        (_jpeg, "a JPEG image"),
        (lambda: (FIXTURES / ONS_WORKBOOK).read_bytes(), "an Excel workbook"),
        (
            lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
            "an old-style Excel workbook (.xls)",
        ),
        (lambda: b"GIF89a\x01\x00\x01\x00", "a GIF image"),
        (lambda: b"Month,Crime type\x00\x00\x00", "a binary file"),
        (lambda: b"Month,Crime type\r\n2024-05,Burglary\r\n", None),
        (lambda: "Area,Nifer\r\nCaerdydd,£5\r\n".encode(), None),
    ],
)
def test_sniff_kind_reads_the_content(make, kind):
    assert sniff_kind(make()) == kind


# The figures template upload.


@pytest.fixture
def police_return(cast) -> DataReturn:
    return DataReturn.objects.create(
        partnership=cast.partnership,
        organisation=cast.police,
        period_type=PeriodType.QUARTER,
        period_start=date(2017, 4, 1),
        period_end=date(2017, 6, 30),
    )


def _template_upload(client, cast, data_return, name: str, content: bytes):
    url = reverse(
        "crimestats:return_upload", kwargs={"slug": cast.partnership.slug, "pk": data_return.pk}
    )
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize("content", ["pdf", "png"])
def test_a_template_upload_renamed_to_csv_is_refused(cast, police_return, client, content):
    make, kind = CONTENTS[content]
    client.force_login(cast.police_editor)

    response = _template_upload(client, cast, police_return, "figures.csv", make())

    assert response.status_code == 200
    assert (
        f"figures.csv is {kind}, not a CSV file. Upload the filled-in template saved as CSV or XLSX"
    ) in response.content.decode()
    assert ImportBatch.objects.count() == 0
    assert Observation.objects.count() == 0


@pytest.mark.parametrize("content", ["pdf", "png"])
def test_a_template_upload_renamed_to_xlsx_is_refused(cast, police_return, client, content):
    make, kind = CONTENTS[content]
    client.force_login(cast.police_editor)

    response = _template_upload(client, cast, police_return, "figures.xlsx", make())

    assert response.status_code == 200
    assert (
        f"figures.xlsx is {kind}, not an Excel workbook, although its name ends in .xlsx. "
        "Upload the filled-in template saved as CSV or XLSX"
    ) in response.content.decode()
    assert ImportBatch.objects.count() == 0
    assert Observation.objects.count() == 0


def test_a_csv_renamed_to_xlsx_is_refused(cast, police_return, client):
    client.force_login(cast.police_editor)
    csv = b"measure_code,area,period_start,value\r\nmarac-cases,North Testshire,2017-04-01,7\r\n"

    response = _template_upload(client, cast, police_return, "figures.xlsx", csv)

    assert response.status_code == 200
    assert (
        "figures.xlsx is not an Excel workbook, although its name ends in .xlsx. "
        "Upload the filled-in template saved as CSV or XLSX"
    ) in response.content.decode()
    assert ImportBatch.objects.count() == 0


# The imports: police.uk, the ONS lookup, the LSOA lookup (CSV) and the ONS tables (XLSX).

CSV_IMPORTS = [
    (ImportBatch.Format.POLICEUK_STREET, "2024-05-city-of-london-street.csv"),
    (ImportBatch.Format.ONS_LOOKUP, "LAD24_CSP24_PFA24_EW_LU.csv"),
    (ImportBatch.Format.LSOA_LOOKUP, "lsoa-lookup.csv"),
]


def _preview(cast, format: str, name: str, content: bytes) -> ImportBatch:
    national = format == ImportBatch.Format.ONS_LOOKUP
    batch, _ = import_preview(
        format=format,
        sources=[SourceFile(name, content)],
        partnership=None if national else cast.partnership,
        user=cast.manager,
    )
    return batch


@pytest.mark.parametrize(("format", "name"), CSV_IMPORTS)
@pytest.mark.parametrize("content", ["pdf", "png"])
def test_an_import_renamed_to_csv_is_refused(cast, format, name, content):
    make, kind = CONTENTS[content]

    batch = _preview(cast, format, name, make())

    assert batch.status == ImportBatch.Status.REJECTED
    assert [(e["file"], e["row"], e["message"]) for e in batch.errors] == [
        (name, 1, f"this is {kind} with a .csv name, not a CSV file. Upload the CSV file itself.")
    ]
    assert not batch.file
    assert Observation.objects.count() == 0


@pytest.mark.parametrize("content", ["pdf", "png"])
def test_an_ons_workbook_that_is_really_a_pdf_or_png_is_refused(cast, content):
    make, kind = CONTENTS[content]

    batch = _preview(cast, ImportBatch.Format.ONS_PFA_TABLES, "tables.xlsx", make())

    assert batch.status == ImportBatch.Status.REJECTED
    assert [e["message"] for e in batch.errors] == [
        f"this is {kind} with a .xlsx name, not an Excel workbook (.xlsx). Upload the ONS "
        "'Police force area data tables' workbook as published."
    ]
    assert not batch.file
    assert Observation.objects.count() == 0


def test_the_import_page_shows_what_the_file_really_is(cast, editor_client):
    url = reverse("crimestats:import_upload", args=[cast.partnership.slug, "policeuk"])
    upload = SimpleUploadedFile("2024-05-city-of-london-street.csv", _pdf())

    response = editor_client.post(url, {"files": [upload]}, follow=True)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "files": [
            "The police.uk file 2024-05-city-of-london-street.csv is a PDF document, not a "
            "CSV file or a zip of CSV files."
        ]
    }
    assert ImportBatch.objects.count() == 0
    assert Observation.objects.count() == 0
