"""The bulk upsert every writer of figures goes through."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from crimestats.models import Measure, Observation
from crimestats.services import (
    UPDATE_FIELDS,
    ApprovedFigureConflict,
    ObservationInput,
    observations_upsert,
)
from cspportal.lib.periods import PeriodType

pytestmark = pytest.mark.django_db


def _month(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    end = date(year + month // 12, month % 12 + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def _inputs(cast, n: int, value: int = 5, measure_code: str = "all-crime"):
    measure = Measure.objects.get(code=measure_code)
    area = cast.partnership.areas.order_by("name").first()
    rows = []
    for i in range(n):
        start, end = _month(2000 + i // 12, i % 12 + 1)
        rows.append(
            ObservationInput(
                measure_id=measure.pk,
                area_id=area.pk,
                period_type=PeriodType.MONTH,
                period_start=start,
                period_end=end,
                value=Decimal(value + i),
            )
        )
    return rows


def _upsert(cast, inputs, **kwargs):
    return observations_upsert(
        partnership=cast.partnership,
        inputs=inputs,
        source=Observation.Source.FORM,
        user=cast.editor,
        **kwargs,
    )


def test_it_creates_figures_with_history(cast):
    result = _upsert(cast, _inputs(cast, 3))
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    first = Observation.objects.order_by("period_start").first()
    assert first.value == Decimal("5")
    assert first.revision == 1
    assert first.updated_by == cast.editor
    assert first.updated_at is not None
    assert first.history.count() == 1
    assert first.history.first().history_user == cast.editor


def test_reimporting_the_same_figures_changes_nothing(cast):
    _upsert(cast, _inputs(cast, 3))
    result = _upsert(cast, _inputs(cast, 3))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert Observation.history.count() == 3
    assert set(Observation.objects.values_list("revision", flat=True)) == {1}


def test_a_changed_figure_gets_a_new_revision_with_the_reason(cast):
    _upsert(cast, _inputs(cast, 2))
    changed = _inputs(cast, 2)
    changed[1] = ObservationInput(**{**changed[1].__dict__, "value": Decimal("99")})
    result = _upsert(cast, changed, reason="Police re-ran the extract")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    figure = Observation.objects.get(value=Decimal("99"))
    assert figure.revision == 2
    latest = figure.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == "Police re-ran the extract"
    assert list(figure.history.order_by("history_id").values_list("value", flat=True)) == [
        Decimal("6.00"),
        Decimal("99.00"),
    ]


def test_not_supplied_is_stored_without_a_value(cast):
    item = _inputs(cast, 1)[0]
    _upsert(
        cast,
        [ObservationInput(**{**item.__dict__, "value": None, "not_supplied_reason": "IT fault"})],
    )
    figure = Observation.objects.get()
    assert figure.status == Observation.Status.NOT_SUPPLIED
    assert figure.value is None
    assert figure.not_supplied_reason == "IT fault"


def test_changing_an_approved_figure_without_a_reason_is_refused_and_writes_nothing(cast):
    _upsert(cast, _inputs(cast, 3))
    Observation.objects.filter(period_start=date(2000, 1, 1)).update(is_approved=True)
    new = _inputs(cast, 4, value=50)
    with pytest.raises(ApprovedFigureConflict) as refused:
        _upsert(cast, new)
    assert len(refused.value.conflicts) == 1
    current, attempted = refused.value.conflicts[0]
    assert current.value == Decimal("5")
    assert attempted.value == Decimal("50")
    assert Observation.objects.count() == 3
    assert sorted(Observation.objects.values_list("value", flat=True)) == [5, 6, 7]
    with pytest.raises(ApprovedFigureConflict):
        _upsert(cast, new, allow_approved_changes=True, reason="  ")


def test_an_approved_figure_changes_with_a_reason_when_allowed(cast):
    _upsert(cast, _inputs(cast, 1))
    Observation.objects.update(is_approved=True)
    result = _upsert(cast, _inputs(cast, 1, value=8), allow_approved_changes=True, reason="Recount")
    assert result.updated == 1
    figure = Observation.objects.get()
    assert (figure.value, figure.revision, figure.is_approved) == (Decimal("8"), 2, True)


def test_it_refuses_an_area_of_another_partnership(cast):
    from tests.factories import AreaFactory

    stranger = AreaFactory(partnership=cast.other_partnership)
    item = _inputs(cast, 1)[0]
    with pytest.raises(ValidationError):
        _upsert(cast, [ObservationInput(**{**item.__dict__, "area_id": stranger.pk})])
    assert Observation.objects.count() == 0


def test_it_refuses_the_same_figure_twice(cast):
    item = _inputs(cast, 1)[0]
    with pytest.raises(ValidationError):
        _upsert(cast, [item, item])


def _expected_queries(n: int, writes: str = "create") -> int:
    """Savepoint + area check + read existing + the writes + release savepoint.

    Creating writes three times on both databases, whatever the number of figures:
    PostgreSQL reserves the ids (nextval) and COPYs the figures and the history rows;
    SQLite inserts the first figure alone (its id says where the new ids start), the
    rest in one executemany, and the history rows in one executemany. Updating is
    Django's bulk_update, which SQLite splits into batches under its 999-variable
    cap, then one write of the history rows."""
    if writes == "create":
        return 7
    if connection.vendor != "sqlite":
        return 6
    # Django sizes bulk_update batches as if each row took the fields plus two.
    batches = -(-n // (999 // (2 + len(UPDATE_FIELDS))))
    return 4 + batches + 1


def test_creating_figures_uses_a_fixed_number_of_queries(cast, django_assert_num_queries):
    small, large = _inputs(cast, 10), _inputs(cast, 100, measure_code="robbery")
    with django_assert_num_queries(_expected_queries(10)):
        _upsert(cast, small)
    with django_assert_num_queries(_expected_queries(100)):
        _upsert(cast, large)
    assert _expected_queries(10) == _expected_queries(100) == 7


def test_updating_figures_uses_a_fixed_number_of_queries(cast, django_assert_num_queries):
    _upsert(cast, _inputs(cast, 10))
    _upsert(cast, _inputs(cast, 100, measure_code="robbery"))
    small = _inputs(cast, 10, value=1000)
    large = _inputs(cast, 100, value=1000, measure_code="robbery")
    with django_assert_num_queries(_expected_queries(10, "update")):
        _upsert(cast, small, reason="Recount")
    with django_assert_num_queries(_expected_queries(100, "update")):
        _upsert(cast, large, reason="Recount")


def test_the_fast_insert_writes_what_the_orm_and_simple_history_would(cast):
    """Figures and history rows written by crimestats.bulk_insert are field for field
    those that bulk_create and simple-history's bulk_create_with_history write."""
    from simple_history.utils import bulk_create_with_history

    fast = _inputs(cast, 4)
    _upsert(cast, fast, reason="Imported")
    fast_rows = list(Observation.objects.order_by("period_start").values())
    fast_history = list(Observation.history.order_by("period_start").values())

    Observation.objects.all().delete()
    Observation.history.all().delete()  # the deletion's own history rows too
    slow = [
        Observation(
            partnership=cast.partnership,
            measure_id=i.measure_id,
            area_id=i.area_id,
            period_type=i.period_type,
            period_start=i.period_start,
            period_end=i.period_end,
            value=i.value,
            status=i.status,
            source=Observation.Source.FORM,
            as_at=row["as_at"],
            revision=1,
            is_approved=False,
            updated_by=cast.editor,
            updated_at=row["updated_at"],
        )
        for i, row in zip(fast, fast_rows, strict=True)
    ]
    bulk_create_with_history(
        slow,
        Observation,
        default_user=cast.editor,
        default_change_reason="Imported",
        default_date=fast_history[0]["history_date"],
    )
    slow_rows = list(Observation.objects.order_by("period_start").values())
    slow_history = list(Observation.history.order_by("period_start").values())

    def without_ids(rows, *ids):
        return [{k: v for k, v in r.items() if k not in ids} for r in rows]

    assert len(fast_rows) == 4
    assert without_ids(fast_rows, "id") == without_ids(slow_rows, "id")
    assert without_ids(fast_history, "id", "history_id") == without_ids(
        slow_history, "id", "history_id"
    )
    assert [h["history_type"] for h in fast_history] == ["+"] * 4
    assert {h["history_user_id"] for h in fast_history} == {cast.editor.pk}
    assert {h["history_change_reason"] for h in fast_history} == {"Imported"}
