"""The template upload reads figures with the same strict grammar as the grid: a
figure with misplaced separators, other scripts' digits, spaces, underscores or an
exponent is refused by row, and nothing is stored."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from crimestats.models import ImportBatch, Observation

pytestmark = pytest.mark.django_db
HEADER = ["measure_code", "measure", "area", "period_start", "period_end", "value"]


def _upload(values):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for code, area, value in values:
        writer.writerow([code, "x", area, "2017-04-01", "2017-06-30", value])
    return SimpleUploadedFile("figures.csv", out.getvalue().encode(), content_type="text/csv")


def test_lenient_figures_are_refused_row_by_row(cast, measures, police_quarter):
    client = Client()
    client.force_login(cast.police_editor)
    url = reverse(
        "crimestats:return_upload", kwargs={"slug": cast.partnership.slug, "pk": police_quarter.pk}
    )
    upload = _upload(
        [
            ("marac-cases", "North Testshire", "1,2"),
            ("marac-cases", "South Testshire", "1 2 3"),
            ("marac-cases", "Whole partnership", "١٢٣"),
            ("marac-repeat-pct", "North Testshire", "1e1"),
            ("marac-repeat-pct", "South Testshire", "2_5"),
            ("marac-repeat-pct", "Whole partnership", "£25"),
        ]
    )

    response = client.post(url, {"file": upload})

    assert response.status_code == 200
    rejected = ImportBatch.objects.get(status=ImportBatch.Status.REJECTED)
    whole = "enter a whole number, like 1,234"
    pct = "enter a percentage, like 67.5%"
    assert [e["message"] for e in rejected.errors] == [
        f"Row 2: MARAC cases discussed, North Testshire: {whole} (you entered “1,2”)",
        f"Row 3: MARAC cases discussed, South Testshire: {whole} (you entered “1 2 3”)",
        f"Row 4: MARAC cases discussed, whole partnership: {whole} (you entered “١٢٣”)",
        f"Row 5: MARAC repeat cases (%), North Testshire: {pct} (you entered “1e1”)",
        f"Row 6: MARAC repeat cases (%), South Testshire: {pct} (you entered “2_5”)",
        f"Row 7: MARAC repeat cases (%), whole partnership: {pct} (you entered “£25”)",
    ]
    assert Observation.objects.count() == 0


def test_an_outsider_cannot_upload(cast, measures, police_quarter):
    client = Client()
    client.force_login(cast.outsider)
    url = reverse(
        "crimestats:return_upload", kwargs={"slug": cast.partnership.slug, "pk": police_quarter.pk}
    )
    response = client.post(url, {"file": _upload([("marac-cases", "North Testshire", "1,2")])})
    assert response.status_code == 404
    assert not ImportBatch.objects.exists()
    assert Observation.objects.count() == 0
