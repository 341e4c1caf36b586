"""Every bad police.uk file gets a message naming the row and column, and nothing is
stored."""

import io
import zipfile

import pytest

from crimestats.importers.base import SourceFile
from crimestats.importers.batches import import_preview
from crimestats.importers.policeuk import HEADER
from crimestats.models import ImportBatch, Observation, UnallocatedCount
from tests.imports.conftest import (
    FIXTURES,
    MAY_2023,
    ONS_WORKBOOK,
    fixture_source,
    street_csv,
    street_row,
)

NAME = "2023-05-city-of-london-street.csv"


def preview(cast, *sources: SourceFile) -> ImportBatch:
    batch, _ = import_preview(
        format=ImportBatch.Format.POLICEUK_STREET,
        sources=list(sources),
        partnership=cast.partnership,
        user=cast.editor,
    )
    return batch


def only_error(batch: ImportBatch) -> dict:
    assert batch.status == ImportBatch.Status.REJECTED
    assert Observation.objects.count() == 0
    assert UnallocatedCount.objects.count() == 0
    assert not batch.file
    assert len(batch.errors) == 1, batch.errors
    return batch.errors[0]


def good_rows(count: int = 3) -> list[list[str]]:
    return [street_row(lsoa_name="City of London 001A", lsoa_code="E01000001")] * count


def test_a_wrong_header_names_the_column(cast, city_areas):
    header = [*HEADER]
    header[2] = "Reported"
    error = only_error(preview(cast, SourceFile(NAME, street_csv(good_rows(), header))))
    assert (error["row"], error["column"]) == (1, "column 3")
    assert error["message"].startswith(
        "the header says 'Reported' where a police.uk street-level file has 'Reported by'."
    )
    assert error["text"].startswith(f"{NAME}, row 1, column 'column 3': the header says")


def test_a_header_with_missing_columns_names_the_first_missing_one(cast, city_areas):
    error = only_error(preview(cast, SourceFile(NAME, street_csv([], HEADER[:10]))))
    assert (error["row"], error["column"]) == (1, "Last outcome category")
    assert error["message"].startswith("the header has 10 columns and stops before")


def test_a_file_without_a_header_row_is_refused(cast, city_areas):
    data = street_csv(good_rows()).split(b"\r\n", 1)[1]
    error = only_error(preview(cast, SourceFile(NAME, data)))
    assert error["row"] == 1
    assert error["message"].startswith("there is no header row: the first line holds data.")


def test_an_outcomes_file_is_not_a_street_file(cast, city_areas):
    data = (FIXTURES / MAY_2023).read_bytes()
    outcomes_header = (
        b"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
        b"LSOA code,LSOA name,Outcome type\r\n"
    )
    error = only_error(preview(cast, SourceFile(NAME, outcomes_header + data.split(b"\n", 1)[1])))
    assert (error["row"], error["column"]) == (1, "column 10")


def test_an_xlsx_renamed_to_csv_is_refused(cast, city_areas):
    workbook = (FIXTURES / ONS_WORKBOOK).read_bytes()
    error = only_error(preview(cast, SourceFile(NAME, workbook)))
    assert error["row"] == 1
    assert error["message"] == (
        "this is an Excel workbook with a .csv name, not a CSV file. Open it in Excel and "
        "save it as 'CSV UTF-8 (comma delimited)'."
    )


def test_a_month_not_in_yyyy_mm_names_the_row_and_column(cast, city_areas):
    rows = good_rows()
    rows[1] = street_row(month="2023/05", lsoa_name="City of London 001A")
    error = only_error(preview(cast, SourceFile(NAME, street_csv(rows))))
    assert (error["row"], error["column"]) == (3, "Month")
    assert error["message"] == "'2023/05' is not a month in the form YYYY-MM, like 2024-05."


def test_a_row_for_another_month_than_the_file_is_refused(cast, city_areas):
    rows = good_rows(4)
    rows[2] = street_row(month="2023-06", lsoa_name="City of London 001A")
    error = only_error(preview(cast, SourceFile(NAME, street_csv(rows))))
    assert (error["row"], error["column"]) == (4, "Month")
    assert error["message"].startswith(
        "the row is for 2023-06 but the file is for 2023-05: a police.uk file holds one month."
    )


def test_an_unknown_crime_type_names_the_row_and_column(cast, city_areas):
    rows = good_rows()
    rows[0] = street_row(crime_type="Burglery", lsoa_name="City of London 001A")
    error = only_error(preview(cast, SourceFile(NAME, street_csv(rows))))
    assert (error["row"], error["column"]) == (2, "Crime type")
    assert error["message"].startswith("'Burglery' is not a police.uk crime type.")


def test_an_empty_file_is_refused(cast, city_areas):
    error = only_error(preview(cast, SourceFile(NAME, b"")))
    assert (error["row"], error["message"]) == (1, "the file is empty.")


def test_a_file_with_only_a_header_is_refused(cast, city_areas):
    error = only_error(preview(cast, SourceFile(NAME, street_csv([]))))
    assert (error["row"], error["message"]) == (2, "the file has a header but no rows of data.")


def test_a_truncated_last_line_is_refused(cast, city_areas):
    data = street_csv(good_rows(4))
    cut = data[: data.rstrip(b"\r\n").rfind(b",Burglary")]
    error = only_error(preview(cast, SourceFile(NAME, cut)))
    assert (error["row"], error["column"]) == (5, "Crime type")
    assert error["message"].startswith(
        "the row stops after 9 of the 12 columns. If this is the last line, the file was cut off"
    )


def test_a_truncated_real_file_is_refused(cast, city_areas):
    data = (FIXTURES / MAY_2023).read_bytes()
    error = only_error(preview(cast, SourceFile(NAME, data[:-60])))
    assert error["row"] == 775
    assert error["column"] == "Longitude"
    assert error["message"].startswith("the row stops after 4 of the 12 columns.")


def test_a_row_with_too_many_columns_is_refused(cast, city_areas):
    data = street_csv(good_rows()).replace(
        b"Under investigation,", b"Under investigation,extra,", 1
    )
    error = only_error(preview(cast, SourceFile(NAME, data)))
    assert (error["row"], error["column"]) == (2, "column 13")


def test_windows_1252_text_names_the_row_and_column(cast, city_areas):
    rows = good_rows()
    rows[1] = street_row(location="On or near £1 Shop", lsoa_name="City of London 001A")
    data = street_csv(rows).decode("utf-8").encode("cp1252")
    error = only_error(preview(cast, SourceFile(NAME, data)))
    assert (error["row"], error["column"]) == (3, "Location")
    assert error["message"].startswith(
        "the text is not UTF-8: byte 0xA3 ('£' in Windows-1252) cannot be read."
    )


def test_a_byte_order_mark_simply_works(cast, city_areas):
    data = b"\xef\xbb\xbf" + (FIXTURES / MAY_2023).read_bytes()
    batch = preview(cast, SourceFile(NAME, data))
    plain = preview(cast, fixture_source(MAY_2023))
    assert batch.errors == []
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert batch.rows_read == 774
    assert batch.summary["table"] == plain.summary["table"]


def test_a_file_over_the_upload_limit_is_refused(cast, city_areas, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    data = street_csv(good_rows(8_000))
    assert len(data) > 1024 * 1024
    error = only_error(preview(cast, SourceFile(NAME, data)))
    assert error["message"].startswith(
        f"the file is {len(data) / 1024 / 1024:.1f} MB, over the 1 MB limit"
    )


def test_a_zip_that_unpacks_past_the_limit_is_refused(cast, city_areas, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(NAME, street_csv([]) + b"0" * (5 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    error = only_error(preview(cast, SourceFile("bomb.zip", buffer.getvalue())))
    assert "unpacks to more than the 1 MB limit" in error["message"]


def test_a_zip_member_with_a_path_outside_the_archive_is_refused(cast, city_areas):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../etc/" + NAME, street_csv(good_rows()))
    error = only_error(preview(cast, SourceFile("months.zip", buffer.getvalue())))
    assert error["message"] == (
        f"the zip member '../../etc/{NAME}' has a path outside the archive; it was not opened."
    )


def test_the_same_force_and_month_twice_in_one_upload_is_refused(cast, city_areas):
    data = street_csv(good_rows())
    error = only_error(
        preview(cast, SourceFile(NAME, data), SourceFile("2023-05-copy-street.csv", data))
    )
    assert error["column"] == "Falls within"
    assert error["message"].startswith(
        f"City of London Police for 2023-05 is already in {NAME}: the same month"
    )


@pytest.mark.parametrize("bad_file", [0, 1])
def test_one_bad_file_among_good_ones_stores_nothing(cast, city_areas, bad_file):
    files = [
        SourceFile("2023-05-a-street.csv", street_csv(good_rows())),
        SourceFile("2023-06-a-street.csv", street_csv([street_row(month="2023-06")])),
    ]
    files[bad_file] = SourceFile(files[bad_file].name, b"")
    batch = preview(cast, *files)
    assert batch.status == ImportBatch.Status.REJECTED
    assert [e["file"] for e in batch.errors] == [files[bad_file].name]
    assert Observation.objects.count() == 0
