"""A03: formula injection in CSV/XLSX downloads and HTML injection in typed text."""

import csv
import io

import pytest
from openpyxl import load_workbook

from cspportal.lib.downloads import safe_cell, table_response

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1:A2)", "\tTAB", "\rCR"]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Burglary fell by 12%", "Burglary fell by 12%"),
        ("a=b", "a=b"),
        (-5, -5),
        (12.5, 12.5),
        (None, ""),
        (True, "Yes"),
    ],
)
def test_safe_cell(value, written):
    assert safe_cell(value) == written


def _rows():
    return [[text, -3] for text in HOSTILE]


def test_csv_download_neutralises_formulas_but_keeps_negative_numbers():
    response = table_response(
        filename="figures", fmt="csv", headers=["=Narrative", "Change"], rows=_rows()
    )

    text = response.content.decode("utf-8-sig")
    read = list(csv.reader(io.StringIO(text, newline="")))
    assert read == [
        ["'=Narrative", "Change"],
        ['\'=HYPERLINK("http://evil.example","x")', "-3"],
        ["'+1+1", "-3"],
        ["'-2+3", "-3"],
        ["'@SUM(A1:A2)", "-3"],
        ["'\tTAB", "-3"],
        ["'\rCR", "-3"],
    ]
    assert response["Content-Disposition"] == 'attachment; filename="figures.csv"'


def test_xlsx_download_neutralises_formulas_and_stores_no_formula_cells():
    response = table_response(
        filename="figures", fmt="xlsx", headers=["Narrative", "Change"], rows=_rows()
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert values == [
        ['\'=HYPERLINK("http://evil.example","x")', -3],
        ["'+1+1", -3],
        ["'-2+3", -3],
        ["'@SUM(A1:A2)", -3],
        ["'\tTAB", -3],
        # openpyxl writes through lxml (installed with python-docx), which escapes a
        # carriage return, so it reads back as itself.
        ["'\rCR", -3],
    ]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_an_unknown_download_format_is_refused():
    with pytest.raises(ValueError, match="Unknown download format 'html'."):
        table_response(filename="x", fmt="html", headers=[], rows=[])


SCRIPT = '<script src="https://evil.example/x.js"></script><img src=x onerror=alert(1)>'


def test_html_in_a_partnership_description_is_shown_as_text(cast, viewer_client):
    cast.partnership.description = f"Our plan {SCRIPT}"
    cast.partnership.save()

    page = viewer_client.get(f"/partnerships/{cast.partnership.slug}/").content.decode()

    assert SCRIPT not in page
    assert (
        "Our plan &lt;script src=&quot;https://evil.example/x.js&quot;&gt;&lt;/script&gt;"
        "&lt;img src=x onerror=alert(1)&gt;"
    ) in page
