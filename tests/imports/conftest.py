"""Helpers for the import tests: the real fixture files, small police.uk files built
row by row, and a partnership whose areas match City of London Police's LSOA names."""

import csv
import io
import zipfile
from pathlib import Path

import pytest

from crimestats.importers.base import SourceFile
from crimestats.importers.policeuk import HEADER
from tests.factories import AreaFactory

FIXTURES = Path(__file__).parent / "fixtures"
# The 25 real monthly files, May 2023 to May 2025, unmodified, in one zip.
CITY_ZIP = FIXTURES / "city-of-london-street-25-months.zip"
MAY_2023 = "2023-05-city-of-london-street.csv"
ONS_WORKBOOK = "policeforceareatablesyedecember2024.xlsx"
ONS_FLAT = "csp_headline_offences_ye_dec2023_and_dec2024.csv"


def fixture_source(name: str) -> SourceFile:
    return SourceFile(name, (FIXTURES / name).read_bytes())


def street_row(
    month: str = "2023-05",
    crime_type: str = "Burglary",
    lsoa_code: str = "E01000917",
    lsoa_name: str = "Camden 027C",
    force: str = "City of London Police",
    location: str = "On or near B521",
) -> list[str]:
    located = bool(lsoa_code)
    return [
        "" if crime_type == "Anti-social behaviour" else "abc123",
        month,
        force,
        force,
        "-0.107682" if located else "",
        "51.517786" if located else "",
        location if located else "No location",
        lsoa_code,
        lsoa_name,
        crime_type,
        "" if crime_type == "Anti-social behaviour" else "Under investigation",
        "",
    ]


def street_csv(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def city_files() -> list[SourceFile]:
    """The 25 City of London street files, each as uploaded on its own."""
    with zipfile.ZipFile(CITY_ZIP) as archive:
        return [SourceFile(name, archive.read(name)) for name in sorted(archive.namelist())]


def read_street_rows(sources: list[SourceFile]) -> list[dict]:
    """The rows of police.uk files read with the csv module: the independent count."""
    rows = []
    for source in sources:
        rows.extend(csv.DictReader(io.StringIO(source.data.decode("utf-8"), newline="")))
    return rows


@pytest.fixture
def city_areas(cast):
    """Two areas of the cast's partnership named like the LSOA names' first words."""
    city = AreaFactory(partnership=cast.partnership, name="City of London", gss_code="E09000001")
    camden = AreaFactory(partnership=cast.partnership, name="Camden", gss_code="E09000007")
    return city, camden
