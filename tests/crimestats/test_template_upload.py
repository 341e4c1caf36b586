"""The return as a CSV/XLSX template: download, upload, preview, confirm."""

import csv
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from crimestats.models import ImportBatch, Observation

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
        "Row 3: MARAC cases discussed, South Testshire: a count must be a whole number "
        "(you entered 1.5)",
        "Row 4: MARAC repeat cases (%), North Testshire: a percentage must be 100 or less "
        "(you entered 120)",
        "Row 5: MARAC repeat cases (%), South Testshire: enter a number, like 125 "
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
