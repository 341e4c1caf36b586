"""police.uk street-level imports: counting, placing, storing and re-importing."""

import io
import zipfile
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from crimestats.importers import policeuk
from crimestats.importers.base import SourceFile
from crimestats.importers.batches import import_commit, import_preview
from crimestats.models import ImportBatch, LsoaLookup, Measure, Observation, UnallocatedCount
from crimestats.services import ApprovedFigureConflict
from tests.imports.conftest import (
    MAY_2023,
    city_files,
    fixture_source,
    read_street_rows,
    street_csv,
    street_row,
)

POLICEUK = ImportBatch.Format.POLICEUK_STREET


def run_import(partnership, user, sources, **commit):
    batch, parsed = import_preview(
        format=POLICEUK, sources=sources, partnership=partnership, user=user
    )
    assert parsed.errors == []
    return import_commit(batch=batch, user=user, **commit)


def values(partnership, code: str, month: date) -> dict[str, Decimal]:
    return {
        o.area.name: o.value
        for o in Observation.objects.filter(
            partnership=partnership, measure__code=code, period_start=month
        ).select_related("area")
    }


def test_it_counts_a_real_month_by_crime_type_and_area(cast, city_areas):
    rows = read_street_rows([fixture_source(MAY_2023)])
    expected = Counter(
        (r["Crime type"], r["LSOA name"].rsplit(" ", 1)[0])
        for r in rows
        if r["LSOA name"].startswith(("City of London ", "Camden "))
    )
    context = policeuk.context_for(partnership=cast.partnership)
    parsed = policeuk.parse([fixture_source(MAY_2023)], context)

    assert parsed.errors == []
    assert parsed.rows_read == len(rows) == 774
    month = parsed.summary["table"][0]
    assert parsed.summary["areas"] == [
        "Camden",
        "City of London",
        "North Testshire",
        "South Testshire",
    ]
    for line in month["lines"]:
        camden, city, north, south = line["by_area"]
        assert (camden, city) == (
            expected[(line["crime_type"], "Camden")],
            expected[(line["crime_type"], "City of London")],
        )
        assert (north, south) == (0, 0)
    assert parsed.summary["rows_no_location"] == sum(1 for r in rows if not r["LSOA code"]) == 27
    assert parsed.summary["rows_outside"] == sum(
        1
        for r in rows
        if r["LSOA code"] and not r["LSOA name"].startswith(("City of London ", "Camden "))
    )
    assert parsed.summary["areas_without_rows"] == [
        {"month": "2023-05", "label": "May 2023", "area": "North Testshire"},
        {"month": "2023-05", "label": "May 2023", "area": "South Testshire"},
    ]


def test_it_stores_counts_asb_as_incidents_and_no_location_rows_for_the_force(cast, city_areas):
    rows = read_street_rows([fixture_source(MAY_2023)])
    in_city = [r for r in rows if r["LSOA name"].startswith("City of London ")]
    batch = run_import(cast.partnership, cast.editor, [fixture_source(MAY_2023)])

    may = date(2023, 5, 1)
    assert batch.status == ImportBatch.Status.STORED
    asb = sum(1 for r in in_city if r["Crime type"] == "Anti-social behaviour")
    assert values(cast.partnership, "asb-incidents", may)["City of London"] == asb
    assert Measure.objects.get(code="asb-incidents").kind == Measure.Kind.INCIDENT
    crimes = sum(1 for r in in_city if r["Crime type"] != "Anti-social behaviour")
    assert values(cast.partnership, "all-crime", may)["City of London"] == crimes
    burglary = sum(1 for r in in_city if r["Crime type"] == "Burglary")
    assert values(cast.partnership, "policeuk-burglary", may)["City of London"] == burglary
    # 13 crime types + ASB + all crime, for the two areas with rows; none for the others.
    assert Observation.objects.filter(partnership=cast.partnership).count() == 2 * 15
    observation = Observation.objects.filter(partnership=cast.partnership).first()
    assert observation.source == Observation.Source.POLICEUK
    assert observation.import_batch == batch
    assert (observation.period_type, observation.period_end) == ("month", date(2023, 5, 31))

    no_location = Counter(r["Crime type"] for r in rows if not r["LSOA code"])
    stored = {
        u.measure.policeuk_crime_type: u.count
        for u in UnallocatedCount.objects.filter(partnership=cast.partnership).select_related(
            "measure"
        )
    }
    assert stored == dict(no_location)
    assert sum(stored.values()) == 27
    assert batch.rows_read == 774
    assert batch.rows_stored == batch.summary["rows_in_areas"] + 27
    assert batch.imported_by == cast.editor
    assert len(batch.checksum) == 64


def test_an_lsoa_lookup_places_an_lsoa_before_its_name_does(cast, city_areas):
    city, camden = city_areas
    rows = read_street_rows([fixture_source(MAY_2023)])
    moved = sum(1 for r in rows if r["LSOA code"] == "E01000917")
    camden_rows = sum(1 for r in rows if r["LSOA name"].startswith("Camden "))
    LsoaLookup.objects.create(partnership=cast.partnership, lsoa_code="E01000917", area=city)

    context = policeuk.context_for(partnership=cast.partnership)
    parsed = policeuk.parse([fixture_source(MAY_2023)], context)

    camden_total = sum(line["by_area"][0] for line in parsed.summary["table"][0]["lines"])
    assert moved > 0
    assert camden_total == camden_rows - moved
    assert parsed.summary["lookup_used"] is True


def test_the_same_file_twice_changes_nothing(cast, city_areas):
    run_import(cast.partnership, cast.editor, [fixture_source(MAY_2023)])
    observations = list(Observation.objects.values_list("id", "value", "revision"))
    history = Observation.history.count()
    unallocated = list(UnallocatedCount.objects.values_list("id", "count", "import_batch"))

    batch, parsed = import_preview(
        format=POLICEUK,
        sources=[fixture_source(MAY_2023)],
        partnership=cast.partnership,
        user=cast.editor,
    )
    assert batch.summary["already_imported"]["batch"] == ImportBatch.objects.order_by("pk")[0].pk
    batch = import_commit(batch=batch, user=cast.editor)

    assert batch.status == ImportBatch.Status.UNCHANGED
    assert batch.summary["stored"]["created"] == 0
    assert batch.summary["stored"]["updated"] == 0
    assert batch.summary["stored"]["unchanged"] == 30
    assert list(Observation.objects.values_list("id", "value", "revision")) == observations
    assert Observation.history.count() == history
    assert list(UnallocatedCount.objects.values_list("id", "count", "import_batch")) == unallocated


def test_a_corrected_file_replaces_the_month_as_new_revisions_never_doubling(cast, city_areas):
    original = [
        street_row(crime_type="Burglary", lsoa_name="City of London 001A", lsoa_code="E01000001"),
        street_row(crime_type="Burglary", lsoa_name="City of London 001A", lsoa_code="E01000001"),
        street_row(crime_type="Robbery", lsoa_name="City of London 001A", lsoa_code="E01000001"),
    ]
    run_import(
        cast.partnership, cast.editor, [SourceFile("2023-05-x-street.csv", street_csv(original))]
    )
    corrected = original[:1] + original[2:]
    batch = run_import(
        cast.partnership, cast.editor, [SourceFile("2023-05-x-street.csv", street_csv(corrected))]
    )

    burglary = Observation.objects.get(
        measure__code="policeuk-burglary", area__name="City of London"
    )
    assert burglary.value == 1
    assert burglary.revision == 2
    assert burglary.import_batch == batch
    assert Observation.objects.filter(measure__code="policeuk-burglary").count() == 1
    assert values(cast.partnership, "all-crime", date(2023, 5, 1)) == {"City of London": 2}
    assert batch.summary["stored"]["updated"] == 2
    assert burglary.history.count() == 2


def test_an_approved_figure_changes_only_with_a_reason(cast, city_areas):
    rows = [street_row(lsoa_name="City of London 001A", lsoa_code="E01000001")] * 2
    run_import(
        cast.partnership, cast.editor, [SourceFile("2023-05-a-street.csv", street_csv(rows))]
    )
    Observation.objects.filter(measure__code="policeuk-burglary").update(is_approved=True)

    corrected = SourceFile("2023-05-a-street.csv", street_csv(rows[:1]))
    batch, _ = import_preview(
        format=POLICEUK, sources=[corrected], partnership=cast.partnership, user=cast.editor
    )
    assert batch.summary["conflicts"] == [
        {
            "partnership": "Safer Testshire CSP",
            "measure": "Burglary (police.uk)",
            "area": "City of London",
            "period": "May 2023",
            "current": "2",
            "new": "1",
        }
    ]
    with pytest.raises(ApprovedFigureConflict):
        import_commit(batch=batch, user=cast.editor)
    burglary = Observation.objects.get(measure__code="policeuk-burglary")
    assert (burglary.value, burglary.revision) == (2, 1)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED

    import_commit(
        batch=batch,
        user=cast.manager,
        reason="police.uk republished May",
        allow_approved_changes=True,
    )
    burglary.refresh_from_db()
    assert (burglary.value, burglary.revision) == (1, 2)
    assert burglary.history.first().history_change_reason == "police.uk republished May"


def test_a_zip_gives_the_same_figures_as_the_files(cast, city_areas):
    files = [
        SourceFile("2023-05-a-street.csv", street_csv([street_row(lsoa_name="Camden 001A")])),
        SourceFile(
            "2023-06-a-street.csv",
            street_csv([street_row(month="2023-06", lsoa_name="Camden 001A")] * 3),
        ),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for source in files:
            archive.writestr(f"folder/{source.name}", source.data)
    context = policeuk.context_for(partnership=cast.partnership)

    from_files = policeuk.parse(files, context)
    from_zip = policeuk.parse([SourceFile("months.zip", buffer.getvalue())], context)

    assert from_zip.errors == []
    assert from_zip.summary == from_files.summary
    assert from_zip.checksum == from_files.checksum
    assert from_zip.summary["months"] == ["2023-05", "2023-06"]


def test_the_browser_two_step_reads_the_kept_file_again(cast, city_areas):
    batch, _ = import_preview(
        format=POLICEUK,
        sources=[
            fixture_source(MAY_2023),
            SourceFile("2023-06-a-street.csv", street_csv([street_row(month="2023-06")])),
        ],
        partnership=cast.partnership,
        user=cast.editor,
    )
    assert batch.file.name.endswith(".zip")
    assert Observation.objects.count() == 0

    batch = import_commit(batch=batch, user=cast.editor)

    assert batch.status == ImportBatch.Status.STORED
    assert Observation.objects.filter(period_start=date(2023, 6, 1)).count() == 15


def test_the_25_real_city_of_london_files_import_exactly(cast, city_areas):
    # Their time budget (under 3 s of CPU) is checked by benchmarks/import_policeuk.py.
    sources = city_files()
    rows = read_street_rows(sources)

    batch = run_import(cast.partnership, cast.editor, sources)

    assert len(sources) == 25
    assert batch.rows_read == len(rows) == 19_950
    assert batch.summary["asb_rows"] == 611
    assert batch.summary["rows_no_location"] == sum(1 for r in rows if not r["LSOA code"])
    assert batch.summary["rows_no_location"] == 1_803
    in_city = Counter(
        (r["Month"], r["Crime type"]) for r in rows if r["LSOA name"].startswith("City of London ")
    )
    stored = {
        (o.period_start.strftime("%Y-%m"), o.measure.policeuk_crime_type): o.value
        for o in Observation.objects.filter(area__name="City of London")
        .exclude(measure__policeuk_crime_type="")
        .select_related("measure")
    }
    assert {k: v for k, v in stored.items() if v} == dict(in_city)
    assert stored[("2024-03", "Shoplifting")] == in_city[("2024-03", "Shoplifting")]
    assert sum(u.count for u in UnallocatedCount.objects.all()) == 1_803
    assert Observation.objects.count() == 25 * 2 * 15
