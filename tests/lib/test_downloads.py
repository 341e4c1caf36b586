"""Dates in every download are ISO 8601; download names are safe headers."""

from datetime import date

import pytest
from django.http import HttpResponse

from cspportal.lib import downloads
from cspportal.lib.downloads import export_date


def test_a_download_writes_a_date_as_iso_8601():
    assert export_date(date(2024, 1, 11)) == "2024-01-11"


def test_a_download_leaves_a_missing_date_empty():
    assert export_date(None) == ""


@pytest.mark.parametrize(
    ("name", "header"),
    [
        (
            "safer-testshire-report-1-v1.pdf",
            'attachment; filename="safer-testshire-report-1-v1.pdf"',
        ),
        (
            'Police "North"\r\nInjected: yes.csv',
            'attachment; filename="police-north-injected-yes.csv"; '
            "filename*=UTF-8''Police%20%22North%22%20Injected%3A%20yes.csv",
        ),
        (
            "Gwasanaeth Tân ac Achub.xlsx",
            'attachment; filename="gwasanaeth-tan-ac-achub.xlsx"; '
            "filename*=UTF-8''Gwasanaeth%20T%C3%A2n%20ac%20Achub.xlsx",
        ),
        ("\x00\n.csv", "attachment; filename=\"download.csv\"; filename*=UTF-8''.csv"),
        ("no-suffix", 'attachment; filename="no-suffix"'),
    ],
)
def test_a_download_name_from_user_text_is_a_safe_header(name, header):
    assert downloads.attachment(name) == header
    HttpResponse()["Content-Disposition"] = header  # Django accepts it as a header
