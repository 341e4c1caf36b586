"""The hostile-upload corpus, built once per test session in a temporary directory by
``make_corpus``, and a snapshot of every table an upload could write to."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from crimestats.models import (
    DataReturn,
    GeographyLookup,
    ImportBatch,
    LsoaLookup,
    Observation,
    UnallocatedCount,
)
from cspportal.lib.periods import PeriodType
from meetings.models import AgendaItem
from partnerships.models import Partnership
from tests.actionplans import conftest as plan_fixtures
from tests.crimestats import conftest as figures_fixtures
from tests.hostile.make_corpus import build_corpus
from tests.meetings import conftest as meetings_fixtures

# The fixtures of the figures and meetings tests, shared rather than written twice.
measures = figures_fixtures.measures
meetings = meetings_fixtures.meetings
plan = plan_fixtures.setup
frozen_today = plan_fixtures.frozen_today

TABLES = [
    ImportBatch,
    Observation,
    UnallocatedCount,
    LsoaLookup,
    GeographyLookup,
    AgendaItem,
    Partnership,
    DataReturn,
]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> dict[str, Path]:
    return build_corpus(tmp_path_factory.mktemp("hostile"))


@dataclass
class Hostile:
    """One file of the corpus, as a browser would upload it."""

    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def data(self) -> bytes:
        return self.path.read_bytes()

    def upload(self, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
        return SimpleUploadedFile(self.name, self.data, content_type=content_type)


@pytest.fixture
def hostile(corpus):
    def get(key: str) -> Hostile:
        return Hostile(corpus[key])

    return get


def counts() -> dict[str, int]:
    """Rows in every table an upload could write to."""
    return {model.__name__: model.objects.count() for model in TABLES}


@pytest.fixture
def unchanged(db):
    """Asserts, at the end of the test, that no table an upload writes changed."""
    before: dict[str, int] = {}

    def snapshot() -> None:
        before.update(counts())

    yield snapshot
    assert before, "the test never took its snapshot"
    assert counts() == before


@pytest.fixture
def police_return(cast, measures) -> DataReturn:
    return DataReturn.objects.create(
        partnership=cast.partnership,
        organisation=cast.police,
        period_type=PeriodType.QUARTER,
        period_start=date(2017, 4, 1),
        period_end=date(2017, 6, 30),
    )
