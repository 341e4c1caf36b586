"""The rates per 1,000 and % changes ONS publishes, as the peer comparison shows them.

The expected values are read straight from the workbook with openpyxl in the test
(tables C3 and C4, by their headers), never through the importer.
"""

import html
import io
import math
import re
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crimestats.importers.base import SourceFile
from crimestats.importers.batches import import_preview
from crimestats.models import ImportBatch, Measure, Observation, PeerGroup
from cspportal.lib.periods import year_ending
from partnerships.models import Partnership
from reports.dashboard import analysis
from reports.dashboard.selectors import MeasureInfo, peer_figures
from tests.imports.conftest import FIXTURES, ONS_WORKBOOK, fixture_source
from tests.imports.test_ons import import_ons, small_workbook

ONS = ImportBatch.Format.ONS_PFA_TABLES
CITY = "E22000180"
U1 = (
    "rates per 1,000 population are not presented for City of London owing to its small "
    "resident population [u1]"
)
U = "a number is being suppressed as the data comes from a small base of less than 50 [u]"
X = "data are unavailable [x]"
HOUSEHOLDS = "Residential burglary (per 1,000 household)"


def published_table(sheet_name: str) -> tuple[dict[str, dict[str, object]], str]:
    """{CSP code: {heading: cell}} of one sheet, header on row 8, and its shorthand
    line (the text that says what each mark means)."""
    workbook = openpyxl.load_workbook(FIXTURES / ONS_WORKBOOK, read_only=True, data_only=True)
    rows = list(workbook[sheet_name].iter_rows(values_only=True))
    workbook.close()
    header = [" ".join(str(h).split()) if h else "" for h in rows[7]]
    shorthand = next(r[0] for r in rows[:7] if r[0] and "indicates" in r[0])
    table = {}
    for row in rows[8:]:
        code = row[header.index("Community Safety Partnership code")]
        if code:
            table[code] = dict(zip(header, row, strict=False))
    return table, " ".join(shorthand.split())


def measure_info(measure: Measure) -> MeasureInfo:
    return MeasureInfo(
        id=measure.id,
        code=measure.code,
        name=measure.name,
        group=measure.group,
        unit=measure.unit,
        polarity=measure.polarity,
        kind=measure.kind,
        aggregation=measure.aggregation,
        frequency=measure.frequency,
        is_headline=False,
        is_additive=measure.unit == "count" and measure.aggregation == "sum",
    )


def test_every_csps_rate_and_pct_change_on_the_peer_page_is_the_published_one(db, cast):
    rates, rate_shorthand = published_table("Table C4")
    changes, change_shorthand = published_table("Table C3")
    # The notes the page prints are the workbook's own words.
    assert U1.removesuffix(" [u1]") in rate_shorthand
    assert U.removesuffix(" [u]") in change_shorthand
    import_ons([fixture_source(ONS_WORKBOOK)])

    bath = Partnership.objects.get(gss_code="E22000001")
    group = PeerGroup.objects.create(partnership=bath, name="Every CSP")
    group.members.set(Partnership.objects.filter(is_reference=True).exclude(pk=bath.pk))
    group = PeerGroup.objects.prefetch_related("members").get(pk=group.pk)
    codes = dict(Partnership.objects.values_list("id", "gss_code"))
    measures = Measure.objects.exclude(ons_offence_group="").order_by("display_order")
    assert measures.count() == 23
    checked = withheld = 0
    for measure in measures:
        heading = measure.ons_offence_group
        rate_heading = (
            "Residential burglary (per 1,000 population)"
            if heading == "Residential burglary"
            else heading
        )
        assert rate_heading in rates["E22000001"] and rate_heading != HOUSEHOLDS
        window, peers = peer_figures(
            bath, group, measure_info(measure), year_ending(date(2024, 12, 1))
        )
        assert (window.start, window.end) == (date(2024, 1, 1), date(2024, 12, 31))
        assert len(peers) == 314
        ranked = 0
        for row in peers.to_dict("records"):
            code = codes[row["partnership"]]
            cell = rates[code][rate_heading]
            change = changes[code][heading]
            if isinstance(cell, str):
                assert (cell, code) == ("[u1]", CITY)
                assert math.isnan(row["rate"]) and math.isnan(row["rank"])
                assert row["rate_source"] == analysis.RATE_WITHHELD
                assert row["rate_note"] == U1
                withheld += 1
            else:
                # Exactly the number the workbook holds, not one worked out again.
                assert row["rate"] == cell, (code, heading)
                assert row["rate_source"] == analysis.RATE_PUBLISHED
                assert row["rate_note"] == ""
                ranked += 1
            if isinstance(change, str):
                assert math.isnan(row["published_pct_change"])
                assert row["pct_change_note"] == {"[u]": U, "[x]": X}[change], (code, heading)
            else:
                assert row["published_pct_change"] == change, (code, heading)
                assert row["pct_change_note"] == ""
            checked += 1
        assert set(peers["ranked"]) == {ranked}
        assert ranked == 313
        # The average is of the published rates ranked, City of London left out.
        published = [rates[c][rate_heading] for c in rates if c != CITY]
        assert peers["group_average"].iloc[0] == pytest.approx(sum(published) / 313, rel=1e-12)
    assert (checked, withheld) == (314 * 23, 23)
    city = Observation.objects.get(
        partnership__gss_code=CITY, measure__code="all-crime", period_start=date(2024, 1, 1)
    )
    assert (city.value, city.published_rate, city.published_rate_note) == (9270, None, U1)
    assert city.published_pct_change == changes[CITY]["Total recorded crime (excluding fraud)"]
    earlier = Observation.objects.get(
        partnership__gss_code=CITY, measure__code="all-crime", period_start=date(2023, 1, 1)
    )
    # The workbook publishes rates and changes for its latest year ending only.
    assert (earlier.published_rate, earlier.published_rate_note) == (None, "")
    assert (earlier.published_pct_change, earlier.published_pct_change_note) == (None, "")


def test_a_second_import_of_the_same_workbook_leaves_the_published_rates_alone(db, cast):
    first = import_ons([fixture_source(ONS_WORKBOOK)])
    assert first.summary["published_rates"] == 314 * 23 - 23
    assert first.summary["rates_not_published"] == [[U1, 23]]
    assert first.summary["pct_changes_not_published"][0][0] == U
    history = Observation.history.count()
    second = import_ons([fixture_source(ONS_WORKBOOK)])
    assert second.status == ImportBatch.Status.UNCHANGED
    assert second.summary["stored"]["updated"] == 0
    assert Observation.history.count() == history


RATES_HEADER = [
    "Police Force Area code",
    "Police Force Area name",
    "Community Safety Partnership code",
    "Community Safety Partnership name",
    "Local Authority code",
    "Local Authority name",
    "Population figures\n (mid-2022) \n- rounded to 100",
    "Total recorded crime\n (excluding fraud)",
    "Robbery",
]


def workbook_with_rates(
    rates: list[list[object]], shorthand: str = "", changes: list[list[object]] | None = None
) -> bytes:
    """The small counts workbook (two Lancashire CSPs, year ending March 2025), with a
    rates sheet and optionally a % change sheet in the ONS layout."""
    workbook = openpyxl.load_workbook(io.BytesIO(small_workbook()))
    sheets = [("Rates here", "Table C4: Recorded crime rate per 1,000 population", rates)]
    if changes is not None:
        sheets.append(("Changes", "Table C3: Percentage change between recorded crimes", changes))
    for name, title, rows in sheets:
        sheet = workbook.create_sheet(name)
        sheet["A1"] = f"{title}, year ending March 2024 and year ending March 2025 [note 1]"
        if shorthand:
            sheet["A3"] = shorthand
        header = RATES_HEADER if name == "Rates here" else RATES_HEADER[:6] + RATES_HEADER[7:]
        for col, value in enumerate(header, start=1):
            sheet.cell(5, col, value)
        for offset, row in enumerate(rows, start=6):
            for col, value in enumerate(row, start=1):
                sheet.cell(offset, col, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CHORLEY = ["E23000003", "Lancashire", "E22000999", "Chorley Test", "E07000118", "Chorley"]
RIBBLE = ["E23000003", "Lancashire", "E22000998", "Ribble Test", "E07000126", "South Ribble"]


def ribble_robbery() -> Observation:
    return Observation.objects.get(partnership__gss_code="E22000998", measure__code="robbery")


def test_a_mark_the_table_does_not_explain_is_kept_with_the_2024_workbooks_words(db, cast):
    data = workbook_with_rates(
        [[*CHORLEY, 118000, 5.08, "[x]"], [*RIBBLE, 111900, 3.4, "[u1]"]],
        changes=[[*CHORLEY, -2.5, "[x]"], [*RIBBLE, 12.25, "[u]"]],
    )
    import_ons([SourceFile("ons.xlsx", data)])

    total = Observation.objects.get(partnership__gss_code="E22000999", measure__code="all-crime")
    assert (total.value, total.published_rate, total.published_pct_change) == (600, 5.08, -2.5)
    robbery = ribble_robbery()
    assert (robbery.published_rate, robbery.published_rate_note) == (None, U1)
    assert (robbery.published_pct_change, robbery.published_pct_change_note) == (None, U)


def test_a_tables_own_shorthand_says_what_its_marks_mean(db, cast):
    data = workbook_with_rates(
        [[*CHORLEY, 118000, 5.08, 0.1], [*RIBBLE, 111900, 3.4, "[q]"]],
        shorthand="Some shorthand is used in this table.  [x] indicates data are unavailable. "
        "[q] indicates the rate is\nwithheld for quality reasons",
    )
    import_ons([SourceFile("ons.xlsx", data)])

    assert ribble_robbery().published_rate_note == "the rate is withheld for quality reasons [q]"


@pytest.mark.parametrize(
    ("cell", "column", "message"),
    [
        ("I7", "Robbery", "'lots' is neither a rate per 1,000 nor an ONS symbol like [x]."),
        (
            "H6",
            "Total recorded crime (excluding fraud)",
            "-1.5 is a negative rate: a rate per 1,000 cannot be below 0.",
        ),
    ],
)
def test_a_bad_rate_names_the_sheet_row_and_column_and_stores_nothing(
    db, cast, cell, column, message
):
    rows = [[*CHORLEY, 118000, 5.08, 0.1], [*RIBBLE, 111900, 3.4, 0.2]]
    position = {"H": 7, "I": 8}[cell[0]]
    rows[int(cell[1:]) - 6][position] = {"I": "lots", "H": -1.5}[cell[0]]
    batch, parsed = import_preview(
        format=ONS,
        sources=[SourceFile("ons.xlsx", workbook_with_rates(rows))],
        partnership=None,
        user=None,
    )
    assert batch.status == ImportBatch.Status.REJECTED
    row = int(cell[1:])
    assert [str(e) for e in parsed.errors] == [
        f"ons.xlsx, sheet 'Rates here', row {row}, column '{column}': {message}"
    ]
    assert Partnership.objects.filter(is_reference=True).count() == 0
    assert Observation.objects.count() == 0


def test_a_bad_pct_change_is_refused_but_a_fall_is_not(db, cast):
    rows = [[*CHORLEY, 118000, 5.08, 0.1], [*RIBBLE, 111900, 3.4, 0.2]]
    batch, parsed = import_preview(
        format=ONS,
        sources=[
            SourceFile(
                "ons.xlsx",
                workbook_with_rates(rows, changes=[[*CHORLEY, -40.0, "[x]"], [*RIBBLE, "n/a", 1]]),
            )
        ],
        partnership=None,
        user=None,
    )
    assert [str(e) for e in parsed.errors] == [
        "ons.xlsx, sheet 'Changes', row 7, column 'Total recorded crime (excluding fraud)': "
        "'n/a' is neither a % change nor an ONS symbol like [x]."
    ]
    assert Observation.objects.count() == 0
    # After a first import, a refused one changes nothing either.
    good = workbook_with_rates(rows, changes=[[*CHORLEY, -40.0, "[x]"], [*RIBBLE, 3.0, 1]])
    import_ons([SourceFile("a.xlsx", good)])
    before = list(Observation.objects.values_list("published_rate", "published_pct_change"))
    batch, parsed = import_preview(
        format=ONS,
        sources=[SourceFile("b.xlsx", workbook_with_rates([[*CHORLEY, 1, -5, 1], rows[1]]))],
        partnership=None,
        user=None,
    )
    assert len(parsed.errors) == 1 and batch.status == ImportBatch.Status.REJECTED
    assert list(Observation.objects.values_list("published_rate", "published_pct_change")) == before


def test_the_preview_says_what_ons_publishes_and_withholds(manager_client, cast):
    data = workbook_with_rates(
        [[*CHORLEY, 118000, 5.08, "[x]"], [*RIBBLE, 111900, 3.4, "[u1]"]],
        changes=[[*CHORLEY, -2.5, "[x]"], [*RIBBLE, 12.25, "[u]"]],
    )
    manager_client.post(
        reverse("crimestats:import_upload", args=[cast.partnership.slug, "ons-tables"]),
        {"files": [SimpleUploadedFile("ons.xlsx", data)]},
    )
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.PREVIEWED
    response = manager_client.get(
        reverse("crimestats:import_detail", args=[cast.partnership.slug, batch.pk])
    )
    page = " ".join(html.unescape(re.sub("<[^>]+>", " ", response.content.decode())).split())
    assert (
        f"Published by ONS beside the counts 2 rates per 1,000 (not published: 1 × {X}; "
        f"1 × {U1}); 2 % changes (not published: 1 × {U}; 1 × {X})"
    ) in page
    assert Observation.objects.count() == 0
