"""ONS police force area workbooks (CSP tables) and the ONS / LSOA lookups."""

import csv
import io
from datetime import date

import openpyxl
import pytest

from crimestats.importers.base import SourceFile
from crimestats.importers.batches import import_commit, import_preview
from crimestats.models import GeographyLookup, ImportBatch, LsoaLookup, Observation
from partnerships.models import Partnership
from tests.factories import PartnershipFactory
from tests.imports.conftest import FIXTURES, ONS_FLAT, ONS_WORKBOOK, fixture_source

ONS = ImportBatch.Format.ONS_PFA_TABLES


def flat_values() -> dict[tuple[str, str], dict[str, str]]:
    """The independent source: a flat CSV of tables C5 and C2."""
    with open(FIXTURES / ONS_FLAT, newline="", encoding="utf-8") as handle:
        return {
            (row["Community Safety Partnership code"], row["period"]): row
            for row in csv.DictReader(handle)
            if row["Community Safety Partnership code"]
        }


def import_ons(sources, user=None, partnership=None, **commit):
    batch, parsed = import_preview(format=ONS, sources=sources, partnership=partnership, user=user)
    assert parsed.errors == [], parsed.errors[:3]
    return import_commit(batch=batch, user=user, parsed=parsed if user is None else None, **commit)


def figure(partnership, code: str, year: int) -> Observation:
    return Observation.objects.get(
        partnership=partnership, measure__code=code, period_start=date(year, 1, 1)
    )


@pytest.fixture(scope="module")
def expected():
    return flat_values()


def test_the_real_workbook_stores_every_csp_for_both_years(db, cast, expected):
    city = PartnershipFactory(
        name="City of London CSP", slug="city", gss_code="E22000180", gss_vintage=2024
    )
    batch = import_ons([fixture_source(ONS_WORKBOOK)])

    assert batch.status == ImportBatch.Status.STORED
    for code, name in [
        ("E22000180", "City of London"),
        ("E22000001", "Bath and North East Somerset"),
        ("E22000362", "East and Mid Devon"),
        ("W14000023", "Cwm Taf"),
    ]:
        partnership = Partnership.objects.get(gss_code=code)
        for year in (2023, 2024):
            row = expected[(code, f"year ending December {year}")]
            assert row["Community Safety Partnership name"] == name
            total = figure(partnership, "all-crime", year)
            assert total.value == int(row["Total recorded crime (excluding fraud)"])
            assert total.period_type == "year_ending"
            assert (total.period_start, total.period_end) == (date(year, 1, 1), date(year, 12, 31))
            assert total.area_id is None
            assert total.source == Observation.Source.ONS
            assert figure(partnership, "shoplifting", year).value == int(row["Shoplifting"])
            assert figure(partnership, "burglary-residential", year).value == int(
                row["Residential burglary"]
            )
    assert figure(city, "all-crime", 2024).value == 9270
    assert figure(city, "all-crime", 2023).value == 8599
    assert Partnership.objects.get(pk=city.pk).is_reference is False
    # The three checks below share this import: the workbook takes seconds to store.
    _force_unassigned_and_airport_rows_are_not_partnerships(batch, expected)
    _populations_and_the_local_authority_lookup_are_stored()


def _force_unassigned_and_airport_rows_are_not_partnerships(batch, expected):
    csp_codes = {code for code, _period in expected}
    assert len(csp_codes) == 314
    references = Partnership.objects.filter(is_reference=True)
    assert references.count() == 313
    assert set(references.values_list("gss_code", flat=True)) == csp_codes - {"E22000180"}
    assert not Partnership.objects.filter(name__icontains="unassigned").exists()
    assert not Partnership.objects.filter(name__icontains="airport").exists()
    assert not Partnership.objects.filter(name="Avon and Somerset").exists()
    summary = batch.summary
    assert {r["name"] for r in summary["other_rows"]} == {"Manchester Airport"}
    airport = [r for r in summary["other_rows"] if r["period"] == "year ending December 2024"]
    assert airport[0]["values"]["Total recorded crime (excluding fraud)"] == 1684
    assert len(summary["unassigned_rows"]) == 84
    gm_total = [
        r
        for r in summary["force_rows"]
        if r["pfa_name"] == "Greater Manchester" and r["period"] == "year ending December 2024"
    ]
    assert gm_total[0]["values"]["Total recorded crime (excluding fraud)"] == 323954
    assert Observation.objects.count() == 314 * 2 * 23


def _populations_and_the_local_authority_lookup_are_stored():
    city = Partnership.objects.get(gss_code="E22000180")
    assert (city.population, city.population_year) == (10800, 2022)
    bath = Partnership.objects.get(gss_code="E22000001")
    assert (bath.population, bath.is_reference, bath.gss_vintage) == (195600, True, 2024)
    devon = GeographyLookup.objects.filter(vintage=2024, csp_code="E22000362")
    assert sorted(devon.values_list("lad_name", flat=True)) == ["East Devon", "Mid Devon"]
    north_northants = GeographyLookup.objects.filter(vintage=2024, lad_code="E06000061")
    assert sorted(north_northants.values_list("csp_name", flat=True)) == [
        "Corby",
        "East Northamptonshire",
        "Kettering",
        "Wellingborough",
    ]
    bath = GeographyLookup.objects.get(vintage=2024, lad_code="E06000022")
    assert (bath.csp_code, bath.pfa_code, bath.pfa_name) == (
        "E22000001",
        "E23000036",
        "Avon and Somerset",
    )


def test_importing_the_workbook_twice_changes_nothing(db, cast):
    import_ons([fixture_source(ONS_WORKBOOK)])
    history = Observation.history.count()
    second = import_ons([fixture_source(ONS_WORKBOOK)])
    assert second.status == ImportBatch.Status.UNCHANGED
    assert second.summary["stored"]["unchanged"] == 314 * 2 * 23
    assert Observation.history.count() == history
    assert Partnership.objects.filter(is_reference=True).count() == 314


def small_workbook(cells: dict[str, object] | None = None, title_row: int = 1) -> bytes:
    """A workbook in the ONS layout with two CSPs, a force total, an unassigned row, in
    a sheet named nothing like 'Table C2' and placed after an unrelated sheet."""
    workbook = openpyxl.Workbook()
    workbook.active.title = "Contents"
    workbook.active["A1"] = "Nothing to see"
    sheet = workbook.create_sheet("Sheet 9")
    sheet.cell(
        title_row, 1, "Table X: Number of police recorded crimes by CSP, year ending March 2025"
    )
    header_row = title_row + 3
    header = [
        "Police Force\nArea code",
        "Police Force\nArea name",
        "Community Safety\nPartnership code",
        "Community Safety\nPartnership name",
        "Local Authority code",
        "Local Authority name",
        "Total recorded crime\n (excluding fraud)",
        "Robbery",
        "Knitting offences",
    ]
    rows = [
        ["E23000003", "Lancashire [note 4]", None, None, None, None, 1000, 50, 1],
        [
            "E23000003",
            "Lancashire",
            "E22000999",
            "Chorley Test",
            "E07000118",
            "Chorley",
            600,
            "[x]",
            1,
        ],
        [
            "E23000003",
            "Lancashire",
            "E22000998",
            "Ribble Test",
            "E07000126",
            "South Ribble",
            380,
            "[u]",
            0,
        ],
        ["E23000003", "Lancashire", None, "Unassigned Lancashire", None, None, 20, "[x]", 0],
    ]
    for col, value in enumerate(header, start=1):
        sheet.cell(header_row, col, value)
    for offset, row in enumerate(rows, start=1):
        for col, value in enumerate(row, start=1):
            sheet.cell(header_row + offset, col, value)
    for ref, value in (cells or {}).items():
        sheet[ref] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_it_finds_tables_by_header_text_and_stores_suppressed_cells_as_not_supplied(db, cast):
    batch = import_ons([SourceFile("ons.xlsx", small_workbook(title_row=3))])

    chorley = Partnership.objects.get(gss_code="E22000999")
    robbery = Observation.objects.get(partnership=chorley, measure__code="robbery")
    assert (robbery.status, robbery.value) == (Observation.Status.NOT_SUPPLIED, None)
    assert robbery.not_supplied_reason == "Unavailable: [x] in the ONS table"
    assert (robbery.period_start, robbery.period_end) == (date(2024, 4, 1), date(2025, 3, 31))
    ribble = Partnership.objects.get(gss_code="E22000998")
    assert Observation.objects.get(
        partnership=ribble, measure__code="robbery"
    ).not_supplied_reason == ("Suppressed by ONS: [u], a base of fewer than 50")
    assert Observation.objects.get(partnership=ribble, measure__code="all-crime").value == 380
    assert batch.summary["headings_skipped"] == ["Knitting offences"]
    assert batch.summary["not_supplied"] == [
        ["Suppressed by ONS: [u], a base of fewer than 50", 1],
        ["Unavailable: [x] in the ONS table", 1],
    ]
    assert batch.summary["force_rows"][0]["pfa_name"] == "Lancashire"
    assert Partnership.objects.filter(is_reference=True).count() == 2


def test_a_bad_count_names_the_sheet_row_and_column_and_stores_nothing(db, cast):
    batch, parsed = import_preview(
        format=ONS,
        sources=[SourceFile("ons.xlsx", small_workbook({"H6": "lots"}))],
        partnership=None,
        user=None,
    )
    assert batch.status == ImportBatch.Status.REJECTED
    assert [str(e) for e in parsed.errors] == [
        "ons.xlsx, sheet 'Sheet 9', row 6, column 'Robbery': 'lots' is neither a number "
        "nor an ONS symbol like [x]."
    ]
    assert Partnership.objects.filter(is_reference=True).count() == 0
    assert Observation.objects.count() == 0


def test_a_workbook_without_csp_tables_or_a_csv_is_refused(db, cast):
    workbook = openpyxl.Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch, parsed = import_preview(
        format=ONS,
        sources=[SourceFile("empty.xlsx", buffer.getvalue())],
        partnership=None,
        user=None,
    )
    assert parsed.errors[0].message.startswith(
        "no Community Safety Partnership count table was found"
    )
    batch, parsed = import_preview(
        format=ONS, sources=[SourceFile("tables.xlsx", b"a,b\n1,2\n")], partnership=None, user=None
    )
    assert parsed.errors[0].message.startswith("this is not an Excel workbook (.xlsx).")
    assert batch.status == ImportBatch.Status.REJECTED


def test_a_manager_upload_writes_only_their_own_and_reference_partnerships(db, cast):
    cast.partnership.gss_code, cast.partnership.gss_vintage = "E22000999", 2024
    cast.partnership.save()
    cast.other_partnership.gss_code, cast.other_partnership.gss_vintage = "E22000998", 2024
    cast.other_partnership.save()

    batch = import_ons(
        [SourceFile("ons.xlsx", small_workbook())], user=cast.manager, partnership=cast.partnership
    )

    assert batch.summary["not_writable"] == ["Elsewhere CSP"]
    assert Observation.objects.filter(partnership=cast.partnership).count() == 2
    assert Observation.objects.filter(partnership=cast.other_partnership).count() == 0


def lookup_csv(rows: list[list[str]], year: str = "24") -> bytes:
    header = [
        f"LAD{year}CD",
        f"LAD{year}NM",
        f"CSP{year}CD",
        f"CSP{year}NM",
        f"PFA{year}CD",
        f"PFA{year}NM",
        "ObjectId",
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue().encode("utf-8-sig")


CHORLEY = ["E07000118", "Chorley", "E22000113", "Chorley", "E23000003", "Lancashire", "1"]


def test_the_ons_lookup_is_stored_with_its_vintage(db, cast):
    source = SourceFile("LAD23_CSP23_PFA23_EW_LU.csv", lookup_csv([CHORLEY], year="23"))
    batch, parsed = import_preview(
        format=ImportBatch.Format.ONS_LOOKUP, sources=[source], partnership=None, user=None
    )
    assert parsed.errors == []
    import_commit(batch=batch, user=None, parsed=parsed)
    row = GeographyLookup.objects.get()
    assert (row.vintage, row.lad_code, row.csp_code, row.pfa_name) == (
        2023,
        "E07000118",
        "E22000113",
        "Lancashire",
    )


def test_a_bad_code_in_the_ons_lookup_names_the_row_and_column(db, cast):
    bad = [*CHORLEY]
    bad[2] = "E2200011"
    source = SourceFile("lookup.csv", lookup_csv([CHORLEY[:], bad]))
    batch, parsed = import_preview(
        format=ImportBatch.Format.ONS_LOOKUP, sources=[source], partnership=None, user=None
    )
    assert [str(e) for e in parsed.errors] == [
        "lookup.csv, row 3, column 'CSP24CD': 'E2200011' is not a CSP code like E22000123 "
        "or W14000011."
    ]
    assert GeographyLookup.objects.count() == 0


def test_an_lsoa_lookup_replaces_the_partnerships_lookup(db, cast, city_areas):
    city, camden = city_areas
    LsoaLookup.objects.create(partnership=cast.partnership, lsoa_code="E01000002", area=camden)
    data = (
        b"LSOA21CD,LSOA21NM,LAD24CD,LAD24NM\r\n"
        b"E01000001,City of London 001A,E09000001,City of London\r\n"
        b"E01000917,Camden 027C,E09000007,Camden\r\n"
        b"E01004001,Westminster 001A,E09000033,Westminster\r\n"
    )
    batch, parsed = import_preview(
        format=ImportBatch.Format.LSOA_LOOKUP,
        sources=[SourceFile("lsoa.csv", data)],
        partnership=cast.partnership,
        user=cast.manager,
    )
    assert parsed.summary["rows_outside"] == 1
    import_commit(batch=batch, user=cast.manager)
    assert dict(
        LsoaLookup.objects.filter(partnership=cast.partnership).values_list(
            "lsoa_code", "area__name"
        )
    ) == {"E01000001": "City of London", "E01000917": "Camden"}


def test_a_bad_lsoa_code_names_the_row_and_column(db, cast, city_areas):
    data = b"LSOA code,Area\r\nE01000001,Camden\r\nX0100,Camden\r\n"
    batch, parsed = import_preview(
        format=ImportBatch.Format.LSOA_LOOKUP,
        sources=[SourceFile("lsoa.csv", data)],
        partnership=cast.partnership,
        user=cast.manager,
    )
    assert [str(e) for e in parsed.errors] == [
        "lsoa.csv, row 3, column 'LSOA code': 'X0100' is not an LSOA code (E01 or W01 "
        "and six digits)."
    ]
    assert LsoaLookup.objects.count() == 0
