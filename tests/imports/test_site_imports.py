"""Site-level imports: a site administrator imports the ONS workbook before any
partnership exists (the first step of setting one up), at /imports/."""

import csv

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crimestats.models import ImportBatch, Observation
from partnerships.models import Partnership
from tests.imports.conftest import FIXTURES, ONS_FLAT, ONS_WORKBOOK


def workbook() -> SimpleUploadedFile:
    return SimpleUploadedFile(ONS_WORKBOOK, (FIXTURES / ONS_WORKBOOK).read_bytes())


def csp_codes_in_the_flat_file() -> set[str]:
    with open(FIXTURES / ONS_FLAT, newline="", encoding="utf-8") as handle:
        return {
            row["Community Safety Partnership code"]
            for row in csv.DictReader(handle)
            if row["Community Safety Partnership code"].startswith(("E22", "W14"))
        }


@pytest.mark.django_db
def test_a_site_administrator_imports_the_ons_workbook_before_any_partnership(admin_client_, cast):
    Partnership.objects.all().delete()
    page = admin_client_.get(reverse("site_imports:import_list")).content.decode()
    assert "No ONS tables or lookups have been imported yet." in page
    upload = reverse("site_imports:import_upload", args=["ons-tables"])
    response = admin_client_.post(upload, {"files": workbook()})
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("site_imports:import_detail", args=[batch.pk])
    assert batch.partnership is None
    assert batch.status == ImportBatch.Status.PREVIEWED
    preview = admin_client_.get(response["Location"]).content.decode()
    assert "Check the import before storing it" in preview
    assert f'action="{reverse("site_imports:import_confirm", args=[batch.pk])}"' in preview
    assert not Observation.objects.exists()

    response = admin_client_.post(
        reverse("site_imports:import_confirm", args=[batch.pk]), follow=True
    )
    # Stored: on to setting up a partnership from the list it gave.
    assert response.redirect_chain == [(reverse("onboarding:set_up_search"), 302)]
    assert "Import stored: 14,444 figures added and 0 changed." in response.content.decode()
    assert 'name="q"' in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.STORED
    codes = csp_codes_in_the_flat_file()
    assert len(codes) == 314
    assert set(Partnership.objects.values_list("gss_code", flat=True)) == codes
    assert not Partnership.objects.filter(is_reference=False).exists()
    listing = admin_client_.get(reverse("site_imports:import_list")).content.decode()
    assert f'href="{reverse("site_imports:import_detail", args=[batch.pk])}"' in listing


@pytest.mark.django_db
def test_only_a_site_administrator_reaches_site_imports(
    manager_client, editor_client, viewer_client, outsider_client, admin_client_, cast
):
    admin_client_.post(
        reverse("site_imports:import_upload", args=["ons-tables"]), {"files": workbook()}
    )
    batch = ImportBatch.objects.get()
    pages = [
        reverse("site_imports:import_list"),
        reverse("site_imports:import_upload", args=["ons-tables"]),
        reverse("site_imports:import_upload", args=["ons-lookup"]),
        reverse("site_imports:import_detail", args=[batch.pk]),
    ]
    for client in (manager_client, editor_client, viewer_client, outsider_client):
        for page in pages:
            assert client.get(page).status_code == 404, page
        assert (
            client.post(reverse("site_imports:import_confirm", args=[batch.pk])).status_code == 404
        )
    assert ImportBatch.objects.get().status == ImportBatch.Status.PREVIEWED


@pytest.mark.django_db
def test_a_partnerships_own_import_is_not_a_site_import(admin_client_, cast):
    batch = ImportBatch.objects.create(
        partnership=cast.partnership,
        format=ImportBatch.Format.ONS_PFA_TABLES,
        file_name="ons.xlsx",
        summary={},
    )
    assert (
        admin_client_.get(reverse("site_imports:import_detail", args=[batch.pk])).status_code == 404
    )
    assert (
        admin_client_.get(reverse("site_imports:import_upload", args=["policeuk"])).status_code
        == 404
    )


@pytest.mark.django_db
def test_a_file_that_is_not_a_workbook_is_refused_and_nothing_is_stored(admin_client_, cast):
    before = Partnership.objects.count()
    response = admin_client_.post(
        reverse("site_imports:import_upload", args=["ons-tables"]),
        {"files": SimpleUploadedFile("tables.xlsx", b"not a workbook")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "files": ["The ONS workbook tables.xlsx is a text file, not an Excel workbook (.xlsx)."]
    }
    assert ImportBatch.objects.count() == 0
    assert Partnership.objects.count() == before
