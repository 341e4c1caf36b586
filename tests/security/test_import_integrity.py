"""A08: an import stores the file that was previewed, or nothing. The kept file is read
again at confirmation and must have the checksum recorded at the preview; a file
changed in storage between the two (by anyone) is refused and nothing is stored."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from crimestats.importers.base import SourceFile
from crimestats.importers.batches import import_preview
from crimestats.models import ImportBatch, Observation
from tests.factories import AreaFactory
from tests.imports.conftest import street_csv, street_row


def _month(count: int) -> bytes:
    return street_csv([street_row(lsoa_name="City of London 001A", lsoa_code="E01000001")] * count)


def test_a_kept_file_changed_after_the_preview_is_refused_and_nothing_stored(cast, editor_client):
    AreaFactory(partnership=cast.partnership, name="City of London", gss_code="E09000001")
    batch, _ = import_preview(
        format=ImportBatch.Format.POLICEUK_STREET,
        sources=[SourceFile("2023-05-a-street.csv", _month(2))],
        partnership=cast.partnership,
        user=cast.editor,
    )
    name = batch.file.name
    default_storage.delete(name)
    assert default_storage.save(name, ContentFile(_month(200))) == name

    response = editor_client.post(
        reverse("crimestats:import_confirm", args=[cast.partnership.slug, batch.pk]),
        follow=True,
    )

    assert response.status_code == 200
    assert (
        "The kept file no longer matches the preview (its checksum differs): upload it again."
        in response.content.decode()
    )
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert Observation.objects.count() == 0
