"""The committee report names the months actually compared and keeps a figure that
has nothing to compare it with, from real police.uk files (City of London, May 2023
onwards; April 2024 never supplied)."""

import csv
import io
import zipfile
from datetime import date

from crimestats.importers.base import SourceFile
from crimestats.importers.batches import import_commit, import_preview
from crimestats.models import ImportBatch
from cspportal.lib.periods import add_months
from reports import services
from reports.assembly import assemble_report
from tests.factories import AreaFactory, PartnershipFactory
from tests.imports.conftest import CITY_ZIP

LABEL = "May to June 2024 compared with May to June 2023; April 2024 not supplied"


def street_files(first: date, count: int) -> list[SourceFile]:
    names = [f"{add_months(first, i):%Y-%m}-city-of-london-street.csv" for i in range(count)]
    with zipfile.ZipFile(CITY_ZIP) as archive:
        return [SourceFile(name, archive.read(name)) for name in names]


def city_crimes(sources: list[SourceFile]) -> int:
    return sum(
        1
        for source in sources
        for row in csv.DictReader(io.StringIO(source.data.decode("utf-8"), newline=""))
        if row["Crime type"] != "Anti-social behaviour"
        and row["LSOA name"].startswith("City of London ")
    )


def city_report(cast, sources, *, financial_year: int, end_month: int):
    partnership = PartnershipFactory(name="City of London CSP", slug="city-of-london")
    AreaFactory(partnership=partnership, name="City of London", gss_code="E09000001")
    batch, parsed = import_preview(
        format=ImportBatch.Format.POLICEUK_STREET,
        sources=sources,
        partnership=partnership,
        user=cast.editor,
    )
    assert parsed.errors == []
    import_commit(batch=batch, user=cast.editor, parsed=parsed)
    return services.report_create(
        partnership=partnership,
        created_by=cast.editor,
        type="annual",
        title="Progress Report",
        financial_year=financial_year,
        end_month=end_month,
        committee_name="Scrutiny Committee",
        meeting_date=None,
        lead_member="",
        lead_officer="",
    )


def crime_section(document):
    return next(s for s in document.sections if s.key == "crime-figures")


def test_the_reports_tables_name_the_months_compared(cast):
    earlier, later = street_files(date(2023, 5, 1), 2), street_files(date(2024, 5, 1), 2)
    report = city_report(cast, earlier + later, financial_year=2024, end_month=6)
    previous, current = city_crimes(earlier), city_crimes(later)

    document = assemble_report(report)
    assert document.comparison_label == LABEL
    table = crime_section(document).tables[0]
    assert table.caption == f"Recorded crime, {LABEL}"
    assert table.headers[1:3] == ["May to June 2023", "May to June 2024"]
    row = next(r for r in table.rows if r[0].text == "All crime")
    assert [row[1].text, row[2].text] == [f"{previous:,}", f"{current:,}"]


def test_the_reports_draft_keeps_a_figure_with_nothing_to_compare(cast):
    sources = street_files(date(2023, 5, 1), 2)
    report = city_report(cast, sources, financial_year=2023, end_month=6)
    document = assemble_report(report)
    text = " ".join(item for block in crime_section(document).blocks for item in block.items)
    assert (
        "All crime: 1,321 crimes in April to June 2023/24 (May to June 2023). No "
        "comparison: there are no figures for April to June 2022/23."
    ) in text
    assert city_crimes(sources) == 1321
