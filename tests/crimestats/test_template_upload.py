"""The return as a CSV/XLSX template: download, upload, preview, confirm."""

import csv
import hashlib
import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from crimestats import services
from crimestats.models import DataReturn, ImportBatch, Observation
from crimestats.services import ObservationInput
from cspportal.lib.periods import PeriodType

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _url(cast, data_return, name, **extra):
    return reverse(name, kwargs={"slug": cast.partnership.slug, "pk": data_return.pk, **extra})


def _csv(
    rows, header="measure_code,measure,area,period_start,period_end,value,not_supplied_reason,note"
):
    text = header + "\n" + "\n".join(",".join(r) for r in rows) + "\n"
    return SimpleUploadedFile("figures.csv", text.encode(), content_type="text/csv")


def _row(code, area, value, start="2017-04-01", reason="", note=""):
    return [code, "x", area, start, "2017-06-30", value, reason, note]


def test_download_csv_has_one_row_per_measure_and_area(cast, measures, police_quarter):
    response = _client(cast.police_editor).get(
        _url(cast, police_quarter, "crimestats:return_download", fmt="csv")
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "measure_code",
        "measure",
        "area",
        "period_start",
        "period_end",
        "value",
        "not_supplied_reason",
        "note",
    ]
    assert [r[:3] for r in rows[1:]] == [
        ["marac-cases", "MARAC cases discussed", "North Testshire"],
        ["marac-cases", "MARAC cases discussed", "South Testshire"],
        ["marac-cases", "MARAC cases discussed", "Whole partnership"],
        ["marac-repeat-pct", "MARAC repeat cases (%)", "North Testshire"],
        ["marac-repeat-pct", "MARAC repeat cases (%)", "South Testshire"],
        ["marac-repeat-pct", "MARAC repeat cases (%)", "Whole partnership"],
    ]
    assert {r[3] for r in rows[1:]} == {"2017-04-01"}


def test_download_xlsx(cast, measures, police_quarter):
    response = _client(cast.viewer).get(
        _url(cast, police_quarter, "crimestats:return_download", fmt="xlsx")
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 7
    assert sheet["A2"].value == "marac-cases"


def test_an_organisation_name_with_a_line_break_and_quotes_still_downloads(
    cast, measures, police_quarter
):
    organisation = police_quarter.organisation
    organisation.name = 'Testshire "Police"\r\nX-Injected: yes'
    organisation.save()
    response = _client(cast.viewer).get(
        _url(cast, police_quarter, "crimestats:return_download", fmt="csv")
    )
    assert response.status_code == 200
    start = f"{police_quarter.period_start:%Y-%m}"
    plain = f"safer-testshire-testshire-police-x-injected-yes-quarter-{start}.csv"
    real = f"safer-testshire-testshire-%22police%22%20x-injected%3A-yes-quarter-{start}.csv"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"{plain}\"; filename*=UTF-8''{real}"
    )
    assert "X-Injected" not in response.headers


def test_upload_previews_then_confirm_stores(cast, measures, police_quarter):
    client = _client(cast.police_editor)
    upload = _csv(
        [
            _row("marac-cases", "North Testshire", "12"),
            _row("marac-cases", "South Testshire", "", reason="System down"),
            _row("marac-repeat-pct", "Whole partnership", "25.5", note="From the coordinator"),
            _row("marac-repeat-pct", "North Testshire", ""),
        ]
    )
    response = client.post(_url(cast, police_quarter, "crimestats:return_upload"), {"file": upload})
    assert response.status_code == 302
    assert Observation.objects.count() == 0
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert batch.rows_read == 4
    preview = client.get(response.url).content.decode()
    assert "Check what will change" in preview
    assert "Not supplied (System down)" in preview
    assert preview.count("<strong>New</strong>") == 3
    response = client.post(response.url)
    assert response.status_code == 302
    stored = {
        (o.measure.code, o.area.name if o.area else None): o for o in Observation.objects.all()
    }
    assert stored[("marac-cases", "North Testshire")].value == Decimal("12")
    assert stored[("marac-cases", "South Testshire")].not_supplied_reason == "System down"
    assert stored[("marac-repeat-pct", None)].note == "From the coordinator"
    assert all(o.source == Observation.Source.TEMPLATE for o in stored.values())
    assert all(o.import_batch_id == batch.pk for o in stored.values())
    batch.refresh_from_db()
    assert (batch.status, batch.rows_stored) == (ImportBatch.Status.STORED, 3)


def test_uploading_the_same_figures_again_changes_nothing(cast, measures, police_quarter):
    client = _client(cast.police_editor)
    for _ in range(2):
        upload = _csv([_row("marac-cases", "North Testshire", "12")])
        response = client.post(
            _url(cast, police_quarter, "crimestats:return_upload"), {"file": upload}
        )
        client.post(response.url)
    assert Observation.objects.get().revision == 1
    assert ImportBatch.objects.order_by("pk").last().status == ImportBatch.Status.UNCHANGED


@time_machine.travel("2026-11-25 12:00 +0000")
def test_bad_rows_are_all_listed_and_nothing_is_saved(cast, measures, police_quarter):
    client = _client(cast.police_editor)
    upload = _csv(
        [
            _row("marac-cases", "North Testshire", "-1"),
            _row("marac-cases", "South Testshire", "1.5"),
            _row("marac-repeat-pct", "North Testshire", "120"),
            _row("marac-repeat-pct", "South Testshire", "lots"),
            _row("marac-cases", "Whole partnership", "4", start="1999-04-01"),
            _row("marac-repeat-pct", "Whole partnership", "4", start="2017-07-01"),
            _row("idva-referrals", "North Testshire", "4"),
            _row("marac-cases", "Atlantis", "4"),
        ]
    )
    response = client.post(_url(cast, police_quarter, "crimestats:return_upload"), {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    for message in [
        "Row 2: MARAC cases discussed, North Testshire: the figure cannot be negative",
        "Row 3: MARAC cases discussed, South Testshire: enter a whole number, like 1,234 "
        "(you entered “1.5”)",
        "Row 4: MARAC repeat cases (%), North Testshire: a percentage must be 100 or less "
        "(you entered 120)",
        "Row 5: MARAC repeat cases (%), South Testshire: enter a percentage, like 67.5% "
        "(you entered “lots”)",
        "Row 6 (MARAC cases discussed, whole partnership): the period starting 01 April 1999 "
        "is outside the partnership&#x27;s years (April 2002 to March 2027)",
        "Row 7 (MARAC repeat cases (%), whole partnership): the period starting 01 July 2017 "
        "is not this return&#x27;s period (Q1 2017/18 (April to June 2017))",
        "Row 8: the measure “idva-referrals” is not part of this return",
        "Row 9 (MARAC cases discussed): the area “Atlantis” is not one of the "
        "partnership&#x27;s areas",
    ]:
        assert message in html
    assert "The file has 8 problems: nothing was saved" in html
    assert Observation.objects.count() == 0
    assert ImportBatch.objects.get().status == ImportBatch.Status.REJECTED


def test_xlsx_upload(cast, measures, police_quarter):
    book = Workbook()
    sheet = book.active
    sheet.append(["measure_code", "measure", "area", "period_start", "period_end", "value"])
    sheet.append(["marac-cases", "MARAC", "North Testshire", "2017-04-01", "2017-06-30", 7])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("figures.xlsx", buffer.getvalue())
    client = _client(cast.police_editor)
    response = client.post(_url(cast, police_quarter, "crimestats:return_upload"), {"file": upload})
    client.post(response.url)
    assert Observation.objects.get().value == Decimal("7")


def test_a_file_that_is_not_csv_or_xlsx_is_refused(cast, measures, police_quarter):
    upload = SimpleUploadedFile("figures.txt", b"hello")
    response = _client(cast.police_editor).post(
        _url(cast, police_quarter, "crimestats:return_upload"), {"file": upload}
    )
    assert "The file must be a CSV or XLSX file" in response.content.decode()


def test_confirm_is_refused_when_the_return_moved_on(
    cast, measures, police_quarter, manager_client
):
    client = _client(cast.police_editor)
    upload = _csv([_row("marac-cases", "North Testshire", "12")])
    response = client.post(_url(cast, police_quarter, "crimestats:return_upload"), {"file": upload})
    confirm_url = response.url
    north = cast.partnership.areas.get(name="North Testshire")
    manager_client.post(
        _url(cast, police_quarter, "crimestats:return_edit"),
        {"version": 1, "action": "save", f"value-{measures['marac-cases'].pk}-{north.pk}": "99"},
    )
    response = client.post(confirm_url)
    assert response.status_code == 200
    assert "Someone saved this return after you uploaded the file" in response.content.decode()
    assert Observation.objects.get().value == Decimal("99")


def test_upload_permissions(
    cast, measures, police_quarter, viewer_client, editor_client, outsider_client
):
    url = _url(cast, police_quarter, "crimestats:return_upload")
    assert viewer_client.get(url).status_code == 403
    assert editor_client.get(url).status_code == 403  # council editor, police return
    assert outsider_client.get(url).status_code == 404
    assert (
        outsider_client.get(
            _url(cast, police_quarter, "crimestats:return_download", fmt="csv")
        ).status_code
        == 404
    )


# One import pipeline: the file is kept with its checksum, read again at the
# confirmation, and stored all or nothing through the return's one write path.

CONFIRM_REFUSED_CHANGED_FILE = (
    "The kept file no longer matches the preview (its checksum differs): upload it again."
)


def _csv_bytes(rows) -> bytes:
    header = "measure_code,measure,area,period_start,period_end,value,not_supplied_reason,note"
    return (header + "\n" + "\n".join(",".join(r) for r in rows) + "\n").encode()


def _upload(client, cast, data_return, content: bytes, name: str = "figures.csv"):
    return client.post(
        _url(cast, data_return, "crimestats:return_upload"),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def test_the_uploaded_file_is_kept_with_its_checksum(cast, measures, police_quarter):
    content = _csv_bytes([_row("marac-cases", "North Testshire", "12")])

    response = _upload(_client(cast.police_editor), cast, police_quarter, content)

    batch = ImportBatch.objects.get()
    assert response.url == _url(
        cast, police_quarter, "crimestats:return_upload_confirm", batch=batch.pk
    )
    assert batch.format == ImportBatch.Format.TEMPLATE
    assert batch.file_name == "figures.csv"
    assert batch.checksum == hashlib.sha256(content).hexdigest()
    with batch.file.open("rb") as kept:
        assert kept.read() == content
    assert batch.imported_by == cast.police_editor
    assert (batch.rows_read, batch.rows_rejected, batch.errors) == (1, 0, [])
    # The return and the version the preview was built from; the rows themselves are
    # read again from the kept file at the confirmation, never from the summary.
    assert batch.summary["data_return"] == police_quarter.pk
    assert batch.summary["version"] == 1
    assert "inputs" not in batch.summary
    assert batch.summary["preview"] == [
        {
            "measure": "MARAC cases discussed",
            "where": "North Testshire",
            "current": "None",
            "new": "12",
            "change": "New",
        }
    ]


def test_a_kept_file_changed_after_the_preview_is_refused_and_nothing_stored(
    cast, measures, police_quarter
):
    client = _client(cast.police_editor)
    response = _upload(
        client, cast, police_quarter, _csv_bytes([_row("marac-cases", "North Testshire", "12")])
    )
    batch = ImportBatch.objects.get()
    name = batch.file.name
    default_storage.delete(name)
    changed = _csv_bytes([_row("marac-cases", "North Testshire", "99")])
    assert default_storage.save(name, ContentFile(changed)) == name

    response = client.post(response.url)

    assert response.status_code == 200
    assert CONFIRM_REFUSED_CHANGED_FILE in response.content.decode()
    assert Observation.objects.count() == 0
    batch.refresh_from_db()
    assert (batch.status, batch.rows_stored, batch.stored_at) == (
        ImportBatch.Status.PREVIEWED,
        0,
        None,
    )
    police_quarter.refresh_from_db()
    assert police_quarter.version == 1


def test_a_kept_file_that_went_missing_is_refused(cast, measures, police_quarter):
    client = _client(cast.police_editor)
    response = _upload(
        client, cast, police_quarter, _csv_bytes([_row("marac-cases", "North Testshire", "12")])
    )
    ImportBatch.objects.update(file="")

    response = client.post(response.url)

    assert response.status_code == 200
    assert "The uploaded file was not kept: upload it again." in response.content.decode()
    assert Observation.objects.count() == 0


def test_confirming_twice_stores_the_figures_once(cast, measures, police_quarter):
    client = _client(cast.police_editor)
    response = _upload(
        client, cast, police_quarter, _csv_bytes([_row("marac-cases", "North Testshire", "12")])
    )
    confirm_url = response.url
    assert client.post(confirm_url).status_code == 302

    again = client.post(confirm_url)

    assert again.status_code == 200
    html = again.content.decode()
    assert "This import is &#x27;stored&#x27;: it cannot be stored." in html
    assert "This upload has already been dealt with (stored)." in html
    figure = Observation.objects.get()
    assert (figure.value, figure.revision, figure.history.count()) == (Decimal("12"), 1, 1)
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.rows_stored) == (ImportBatch.Status.STORED, 1)
    assert batch.summary["stored"]["created"] == 1
    police_quarter.refresh_from_db()
    assert police_quarter.version == 2


def test_the_same_file_again_is_marked_as_stored_before_and_changes_nothing(
    cast, measures, police_quarter
):
    client = _client(cast.police_editor)
    content = _csv_bytes([_row("marac-cases", "North Testshire", "12")])
    client.post(_upload(client, cast, police_quarter, content).url)
    first = ImportBatch.objects.get()

    response = _upload(client, cast, police_quarter, content)
    preview = client.get(response.url).content.decode()
    assert "This exact file was stored before." in preview
    assert preview.count("<strong>") == 0  # no row is New or Changed
    assert "Unchanged" in preview
    second = ImportBatch.objects.exclude(pk=first.pk).get()
    assert second.summary["already_imported"]["batch"] == first.pk
    assert second.checksum == first.checksum

    response = client.post(response.url, follow=True)

    assert "Template stored: 0 added, 0 changed, 1 unchanged." in response.content.decode()
    second.refresh_from_db()
    assert (second.status, second.rows_stored) == (ImportBatch.Status.UNCHANGED, 0)
    figure = Observation.objects.get()
    assert (figure.revision, figure.history.count(), figure.import_batch_id) == (1, 1, first.pk)
    police_quarter.refresh_from_db()
    assert police_quarter.version == 2


def test_a_bad_row_names_the_row_and_column_and_changes_nothing(cast, measures, police_quarter):
    client = _client(cast.police_editor)
    client.post(
        _upload(
            client, cast, police_quarter, _csv_bytes([_row("marac-cases", "North Testshire", "12")])
        ).url
    )

    response = _upload(
        client,
        cast,
        police_quarter,
        _csv_bytes(
            [
                _row("marac-cases", "North Testshire", "14"),
                _row("marac-cases", "South Testshire", "1.5"),
            ]
        ),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "The file has 1 problem: nothing was saved" in html
    assert (
        "Row 3: MARAC cases discussed, South Testshire: enter a whole number, like 1,234 "
        "(you entered “1.5”) (column “value”)"
    ) in html
    rejected = ImportBatch.objects.get(status=ImportBatch.Status.REJECTED)
    assert rejected.errors == [
        {
            "file": "figures.csv",
            "sheet": "",
            "row": 3,
            "column": "value",
            "message": "Row 3: MARAC cases discussed, South Testshire: enter a whole "
            "number, like 1,234 (you entered “1.5”)",
            "text": "figures.csv, row 3, column 'value': Row 3: MARAC cases discussed, "
            "South Testshire: enter a whole number, like 1,234 (you entered “1.5”)",
        }
    ]
    assert (rejected.rows_read, rejected.rows_rejected) == (2, 1)
    assert not rejected.file  # a rejected file is not kept
    figure = Observation.objects.get()
    assert (figure.value, figure.revision) == (Decimal("12"), 1)
    police_quarter.refresh_from_db()
    assert police_quarter.version == 2


def test_a_windows_1252_csv_names_the_row_and_column_of_the_bad_byte(
    cast, measures, police_quarter
):
    content = _csv_bytes([_row("marac-cases", "North Testshire", "12", note="Cost £5")]).replace(
        "£".encode(), "£".encode("cp1252")
    )

    response = _upload(_client(cast.police_editor), cast, police_quarter, content)

    assert response.status_code == 200
    assert (
        "Row 2: the text is not UTF-8: byte 0xA3 (&#x27;£&#x27; in Windows-1252) cannot be read."
    ) in response.content.decode()
    assert "(column “note”)" in response.content.decode()
    assert ImportBatch.objects.get().status == ImportBatch.Status.REJECTED
    assert Observation.objects.count() == 0


def test_an_approved_return_is_corrected_from_a_template_only_with_a_reason(
    cast, measures, police_quarter
):
    north = cast.partnership.areas.get(name="North Testshire")
    services.data_return_save(
        data_return=police_quarter,
        inputs=[
            ObservationInput(
                measure_id=measures["marac-cases"].pk,
                area_id=north.pk,
                period_type=police_quarter.period_type,
                period_start=police_quarter.period_start,
                period_end=police_quarter.period_end,
                value=Decimal("12"),
            )
        ],
        user=cast.police_editor,
        version=1,
        submit=True,
    )
    services.data_return_approve(data_return=police_quarter, user=cast.manager, version=2)
    client = _client(cast.manager)
    response = _upload(
        client, cast, police_quarter, _csv_bytes([_row("marac-cases", "North Testshire", "13")])
    )
    confirm_url = response.url
    assert "Reason for the correction" in client.get(confirm_url).content.decode()

    refused = client.post(confirm_url, {"correction_reason": ""})

    assert "This return is approved: give a reason for the correction." in refused.content.decode()
    assert Observation.objects.get().value == Decimal("12")
    assert ImportBatch.objects.get().status == ImportBatch.Status.PREVIEWED

    stored = client.post(confirm_url, {"correction_reason": "One case was counted twice"})

    assert stored.status_code == 302
    figure = Observation.objects.get()
    assert (figure.value, figure.revision, figure.is_approved) == (Decimal("13"), 2, True)
    assert figure.history.first().history_change_reason == "One case was counted twice"
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.STORED
    assert batch.summary["stored"]["reason"] == "One case was counted twice"


def test_a_batch_is_confirmed_only_through_its_own_return(
    cast, measures, police_quarter, manager_client
):
    client = _client(cast.police_editor)
    _upload(
        client, cast, police_quarter, _csv_bytes([_row("marac-cases", "North Testshire", "12")])
    )
    batch = ImportBatch.objects.get()
    other = DataReturn.objects.create(
        partnership=cast.partnership,
        organisation=cast.police,
        period_type=PeriodType.QUARTER,
        period_start=date(2017, 7, 1),
        period_end=date(2017, 9, 30),
    )

    url = _url(cast, other, "crimestats:return_upload_confirm", batch=batch.pk)

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Observation.objects.count() == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_gets_404_on_the_upload_and_the_confirmation(
    cast, measures, police_quarter, outsider_client, method
):
    client = _client(cast.police_editor)
    content = _csv_bytes([_row("marac-cases", "North Testshire", "12")])
    confirm_url = _upload(client, cast, police_quarter, content).url
    upload_url = _url(cast, police_quarter, "crimestats:return_upload")
    data = {"file": SimpleUploadedFile("figures.csv", content)} if method == "post" else {}

    assert getattr(outsider_client, method)(upload_url, data).status_code == 404
    assert getattr(outsider_client, method)(confirm_url).status_code == 404
    assert ImportBatch.objects.count() == 1
    assert ImportBatch.objects.get().status == ImportBatch.Status.PREVIEWED
    assert Observation.objects.count() == 0


def test_a_template_batch_in_the_imports_list_opens_on_its_return(cast, measures, police_quarter):
    content = _csv_bytes([_row("marac-cases", "North Testshire", "12")])
    police = _client(cast.police_editor)
    _upload(police, cast, police_quarter, content)
    batch = ImportBatch.objects.get()
    on_its_return = _url(cast, police_quarter, "crimestats:return_upload_confirm", batch=batch.pk)
    detail = reverse("crimestats:import_detail", args=[cast.partnership.slug, batch.pk])
    confirm = reverse("crimestats:import_confirm", args=[cast.partnership.slug, batch.pk])

    page = police.get(detail)
    posted = police.post(confirm, {"reason": ""})

    assert (page.status_code, page.url) == (302, on_its_return)
    # The general confirmation never stores a template: the return's page does, with
    # the return's own permission check.
    assert (posted.status_code, posted.url) == (302, on_its_return)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert not Observation.objects.exists()
    assert police.get(on_its_return).status_code == 200
