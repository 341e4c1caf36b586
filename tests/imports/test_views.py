"""Import pages: access, upload -> preview -> confirm, and approved-figure conflicts."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crimestats.importers.base import SourceFile
from crimestats.importers.batches import import_preview
from crimestats.models import ImportBatch, Observation
from tests.imports.conftest import FIXTURES, MAY_2023, street_csv, street_row

SLUG = "safer-testshire"


def url(name: str, *args) -> str:
    return reverse(f"crimestats:{name}", args=[SLUG, *args])


def upload(client, kind: str = "policeuk", *files):
    files = files or (SimpleUploadedFile(MAY_2023, (FIXTURES / MAY_2023).read_bytes()),)
    return client.post(url("import_upload", kind), {"files": list(files)})


@pytest.fixture
def previewed(cast, city_areas) -> ImportBatch:
    rows = [street_row(lsoa_name="City of London 001A", lsoa_code="E01000001")] * 2
    batch, _ = import_preview(
        format=ImportBatch.Format.POLICEUK_STREET,
        sources=[SourceFile("2023-05-a-street.csv", street_csv(rows))],
        partnership=cast.partnership,
        user=cast.editor,
    )
    return batch


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "import_list", []),
        ("get", "import_upload", ["policeuk"]),
        ("post", "import_upload", ["policeuk"]),
        ("get", "import_detail", ["BATCH"]),
        ("post", "import_confirm", ["BATCH"]),
    ],
)
def test_an_outsider_gets_404_and_a_viewer_403(
    outsider_client, viewer_client, previewed, method, name, args
):
    args = [previewed.pk if a == "BATCH" else a for a in args]
    assert getattr(outsider_client, method)(url(name, *args)).status_code == 404
    assert getattr(viewer_client, method)(url(name, *args)).status_code == 403
    assert Observation.objects.count() == 0


def test_another_partnerships_import_is_not_found(cast, previewed, client):
    client.force_login(cast.outsider)
    other = reverse("crimestats:import_detail", args=["elsewhere", previewed.pk])
    assert client.get(other).status_code == 404


def test_an_editor_may_not_open_the_ons_or_lookup_uploads(editor_client, manager_client):
    for kind in ("ons-tables", "ons-lookup", "lsoa-lookup"):
        assert editor_client.get(url("import_upload", kind)).status_code == 403
        assert manager_client.get(url("import_upload", kind)).status_code == 200
    assert editor_client.get(url("import_upload", "nothing")).status_code == 404


def test_an_editor_uploads_sees_the_preview_then_stores(editor_client, cast, city_areas):
    response = upload(editor_client)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("import_detail", batch.pk)
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert Observation.objects.count() == 0

    page = editor_client.get(url("import_detail", batch.pk))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Check the import before storing it" in content
    assert "May 2023: counts by crime type and area" in content
    assert "Store these figures" in content

    response = editor_client.post(url("import_confirm", batch.pk))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.STORED
    assert Observation.objects.filter(period_start=date(2023, 5, 1)).count() == 30
    followed = editor_client.get(url("import_detail", batch.pk))
    assert "Import stored: 30 figures added and 0 changed." in followed.content.decode()
    assert "Store these figures" not in followed.content.decode()
    dashboard = reverse("reports:dashboard", args=[cast.partnership.slug])
    assert f'<a class="govuk-button" href="{dashboard}">Open the dashboard</a>' in (
        followed.content.decode()
    )
    # A second confirmation of the same batch stores nothing more.
    editor_client.post(url("import_confirm", batch.pk))
    assert Observation.objects.count() == 30


def test_a_bad_file_shows_its_problems_and_no_confirm_button(editor_client, cast, city_areas):
    bad = street_csv([street_row(month="May 2023")])
    upload(editor_client, "policeuk", SimpleUploadedFile("2023-05-a-street.csv", bad))
    batch = ImportBatch.objects.get()
    content = editor_client.get(url("import_detail", batch.pk)).content.decode()
    assert "Nothing was stored: the file has 1 problem" in content
    assert "&#x27;May 2023&#x27; is not a month in the form YYYY-MM, like 2024-05." in content
    assert "Store these figures" not in content
    assert editor_client.post(url("import_confirm", batch.pk)).status_code == 302
    assert Observation.objects.count() == 0


def test_a_file_over_the_limit_is_refused_by_the_form(editor_client, cast, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("2023-05-big-street.csv", b"x" * (1024 * 1024 + 1))
    response = upload(editor_client, "policeuk", big)
    assert response.status_code == 200
    assert "2023-05-big-street.csv is 1.0 MB, over the 1 MB limit" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def approve_and_correct(cast, client) -> ImportBatch:
    rows = [street_row(lsoa_name="City of London 001A", lsoa_code="E01000001")] * 2
    client.post(
        url("import_upload", "policeuk"),
        {"files": [SimpleUploadedFile("2023-05-a-street.csv", street_csv(rows))]},
    )
    client.post(url("import_confirm", ImportBatch.objects.get().pk))
    Observation.objects.update(is_approved=True)
    client.post(
        url("import_upload", "policeuk"),
        {"files": [SimpleUploadedFile("2023-05-a-street.csv", street_csv(rows[:1]))]},
    )
    return ImportBatch.objects.latest("pk")


def test_an_editor_cannot_replace_approved_figures(editor_client, cast, city_areas):
    batch = approve_and_correct(cast, editor_client)
    page = editor_client.get(url("import_detail", batch.pk)).content.decode()
    assert "Approved figures this import would change" in page
    assert "Ask a manager of Safer Testshire CSP to confirm this import" in page

    response = editor_client.post(url("import_confirm", batch.pk), {"reason": "because"})
    assert response.status_code == 400
    assert "only a manager of the partnership can confirm it" in response.content.decode()
    assert Observation.objects.get(measure__code="policeuk-burglary").value == 2


def test_a_manager_replaces_approved_figures_only_with_a_reason(
    editor_client, manager_client, cast, city_areas
):
    batch = approve_and_correct(cast, editor_client)
    response = manager_client.post(url("import_confirm", batch.pk), {"replace_approved": "on"})
    assert response.status_code == 400
    assert "Give the reason the approved figures should change." in response.content.decode()

    manager_client.post(
        url("import_confirm", batch.pk),
        {"replace_approved": "on", "reason": "police.uk corrected May"},
    )
    burglary = Observation.objects.get(measure__code="policeuk-burglary")
    assert (burglary.value, burglary.revision) == (1, 2)
    assert burglary.history.first().history_change_reason == "police.uk corrected May"


def test_the_list_shows_imports_and_the_nav_links_to_it(
    editor_client, viewer_client, previewed, django_assert_num_queries
):
    with django_assert_num_queries(5):
        response = editor_client.get(url("import_list"))
    content = response.content.decode()
    assert "2023-05-a-street.csv" in content
    assert "Waiting for confirmation" in content
    profile = reverse("partnerships:partnership_detail", args=[SLUG])
    assert url("import_list") in editor_client.get(profile).content.decode()
    assert url("import_list") not in viewer_client.get(profile).content.decode()


def test_the_preview_page_has_a_fixed_number_of_queries(
    editor_client, previewed, django_assert_num_queries
):
    with django_assert_num_queries(5):
        editor_client.get(url("import_detail", previewed.pk))


def test_a_manager_uploads_the_ons_workbook(manager_client, cast):
    workbook = (FIXTURES / "policeforceareatablesyedecember2024.xlsx").read_bytes()
    upload(manager_client, "ons-tables", SimpleUploadedFile("ons.xlsx", workbook))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.PREVIEWED
    content = manager_client.get(url("import_detail", batch.pk)).content.decode()
    assert "Table C3" in content
    assert "314: 0 in the app that you manage" in content
