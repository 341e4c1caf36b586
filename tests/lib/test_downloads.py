"""Dates in every download are ISO 8601."""

from datetime import date

from cspportal.lib.downloads import export_date


def test_a_download_writes_a_date_as_iso_8601():
    assert export_date(date(2024, 1, 11)) == "2024-01-11"


def test_a_download_leaves_a_missing_date_empty():
    assert export_date(None) == ""
