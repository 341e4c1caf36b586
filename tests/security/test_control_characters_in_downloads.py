"""Free text may hold control characters (a name pasted from another program keeps its
bell or escape character: they are stored as typed, and pages escape them). A
spreadsheet cannot hold them: XLSX is XML, which has no such characters, and a download
with one used to fail with a server error. The fuzz suite (tests/fuzz) found it."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from cspportal.lib.downloads import safe_cell, table_response
from tests.factories import ActionFactory, ActionPlanFactory, ObjectiveFactory

TITLE = "Fuzz\x01text \x1b[31mred\x07"


def test_a_cell_loses_its_control_characters_but_keeps_tabs_and_line_breaks():
    assert safe_cell(TITLE) == "Fuzztext [31mred"
    assert safe_cell("Line one\nline two\tand a tab") == "Line one\nline two\tand a tab"
    assert safe_cell("\x01=1+1") == "'=1+1"


def test_an_xlsx_download_of_text_with_control_characters_opens():
    response = table_response(filename="t", fmt="xlsx", headers=["Title\x0b"], rows=[[TITLE]])

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Title"],
        ["Fuzztext [31mred"],
    ]


def test_the_plan_downloads_an_action_whose_title_holds_control_characters(cast, manager_client):
    plan = ActionPlanFactory(partnership=cast.partnership)
    ActionFactory(objective=ObjectiveFactory(plan=plan), title=TITLE)
    url = reverse("actionplans:plan_export", args=[cast.partnership.slug, plan.pk, "xlsx"])

    response = manager_client.get(url)

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "Fuzztext [31mred" in [c.value for row in sheet.iter_rows() for c in row]
    text = manager_client.get(url.replace(".xlsx", ".csv")).content.decode("utf-8-sig")
    assert "Fuzztext [31mred" in [cell for row in csv.reader(io.StringIO(text)) for cell in row]
