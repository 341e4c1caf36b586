"""Migration 0004 splits the old twelve-month period type "year" into financial years
and years ending, on the stored figures, their history and the data returns."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The partnerships as they stood then too: later migrations add columns the models
# of that time do not know.
BEFORE = [
    ("crimestats", "0003_geography_lookup_lad_csp_unique"),
    ("partnerships", "0002_historicalpartnership_population_and_more"),
]
STORED = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
AFTER = [("crimestats", "0004_period_type_financial_year_and_year_ending")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_rows(transactional_db):
    """Figures stored before the split: the ONS year ending December 2024 and year
    ending March 2024, a financial year entered in a return, and its return."""
    apps = _migrate(BEFORE)
    Partnership = apps.get_model("partnerships", "Partnership")
    Organisation = apps.get_model("partnerships", "Organisation")
    Measure = apps.get_model("crimestats", "Measure")
    Observation = apps.get_model("crimestats", "Observation")
    HistoricalObservation = apps.get_model("crimestats", "HistoricalObservation")
    DataReturn = apps.get_model("crimestats", "DataReturn")
    partnership = Partnership.objects.create(name="Migration CSP", slug="migration-csp")
    council = Organisation.objects.create(name="Migration Council", type="district_council")
    crime = Measure.objects.get(code="all-crime")
    survey = Measure.objects.get(code="residents-feeling-safe-pct")

    def figure(measure, start, end, source, value):
        row = Observation.objects.create(
            partnership=partnership,
            measure=measure,
            period_type="year",
            period_start=start,
            period_end=end,
            value=value,
            status="supplied",
            source=source,
            updated_at=STORED,
        )
        fields = {f.attname: getattr(row, f.attname) for f in Observation._meta.concrete_fields}
        HistoricalObservation.objects.create(**fields, history_date=STORED, history_type="+")
        return row.pk

    rows = {
        "ons-december": figure(crime, date(2024, 1, 1), date(2024, 12, 31), "ons", 9904),
        "ons-march": figure(crime, date(2023, 4, 1), date(2024, 3, 31), "ons", 10001),
        "entered": figure(survey, date(2017, 4, 1), date(2018, 3, 31), "form", 67),
    }
    data_return = DataReturn.objects.create(
        partnership=partnership,
        organisation=council,
        period_type="year",
        period_start=date(2017, 4, 1),
        period_end=date(2018, 3, 31),
        updated_at=STORED,
    )
    rows["return"] = data_return.pk
    yield rows
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # every app back to today's schema


def test_the_split_gives_each_old_year_its_own_type(old_rows):
    apps = _migrate(AFTER)
    Observation = apps.get_model("crimestats", "Observation")
    HistoricalObservation = apps.get_model("crimestats", "HistoricalObservation")
    DataReturn = apps.get_model("crimestats", "DataReturn")

    def kind(key):
        return Observation.objects.get(pk=old_rows[key]).period_type

    assert kind("ons-december") == "year_ending"
    assert kind("ons-march") == "year_ending"
    assert kind("entered") == "financial_year"
    assert sorted(
        HistoricalObservation.objects.filter(
            id__in=[old_rows["ons-december"], old_rows["ons-march"], old_rows["entered"]]
        ).values_list("period_type", flat=True)
    ) == ["financial_year", "year_ending", "year_ending"]
    assert DataReturn.objects.get(pk=old_rows["return"]).period_type == "financial_year"


def test_the_split_can_be_undone(old_rows):
    _migrate(AFTER)
    apps = _migrate(BEFORE)
    Observation = apps.get_model("crimestats", "Observation")
    DataReturn = apps.get_model("crimestats", "DataReturn")
    ids = [old_rows["ons-december"], old_rows["ons-march"], old_rows["entered"]]
    assert set(Observation.objects.filter(id__in=ids).values_list("period_type", flat=True)) == {
        "year"
    }
    assert DataReturn.objects.get(pk=old_rows["return"]).period_type == "year"
