"""crimestats.bulk_insert writes figures and history rows exactly as Django's bulk_create
and simple-history's bulk helpers would: by COPY on PostgreSQL, by executemany on
SQLite, and through the libraries themselves on any other database (forced here by
emptying FAST_VENDORS)."""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from crimestats import bulk_insert
from crimestats.models import ImportBatch, Measure, Observation
from crimestats.services import ObservationInput, observations_upsert
from cspportal.lib.periods import PeriodType

pytestmark = pytest.mark.django_db

# Text that COPY and SQL must carry through unchanged.
AWKWARD = "tab\there, new\nline, back\\slash, \\N, quote ' and \" and £ é 漢"


@pytest.fixture(params=["fast", "library"])
def path(request, monkeypatch):
    """Each test runs on this database's own path and on the libraries' path."""
    if request.param == "library":
        monkeypatch.setattr(bulk_insert, "FAST_VENDORS", ())
    return request.param


@pytest.fixture
def request_user():
    """A signed-in user, as simple-history's middleware records one per request."""

    def sign_in(user):
        HistoricalRecords.context.request = SimpleNamespace(user=user)

    yield sign_in
    if hasattr(HistoricalRecords.context, "request"):
        del HistoricalRecords.context.request


def _inputs(cast, n: int = 4) -> list[ObservationInput]:
    measure = Measure.objects.get(code="all-crime")
    north, south = cast.partnership.areas.order_by("name")
    rows = []
    for i in range(n):
        start = date(2024, i % 12 + 1, 1)
        end = date(2024 + (i % 12 + 1) // 12, (i % 12 + 1) % 12 + 1, 1) - timedelta(days=1)
        supplied = i % 3 != 2
        rows.append(
            ObservationInput(
                measure_id=measure.pk,
                area_id=(north if i % 2 else south).pk,
                period_type=PeriodType.MONTH,
                period_start=start,
                period_end=end,
                value=Decimal(f"{i}.50") if supplied else None,
                not_supplied_reason="" if supplied else AWKWARD,
                note=AWKWARD if i == 1 else "",
            )
        )
    return rows


def _figures():
    return list(Observation.objects.order_by("period_start").values())


def _history():
    return list(Observation.history.order_by("period_start", "history_type").values())


def _without(rows, *names):
    return [{k: v for k, v in row.items() if k not in names} for row in rows]


def _library_create(cast, inputs, *, user, reason, when, as_at):
    objs = [
        Observation(
            partnership=cast.partnership,
            measure_id=i.measure_id,
            area_id=i.area_id,
            period_type=i.period_type,
            period_start=i.period_start,
            period_end=i.period_end,
            value=i.value,
            status=i.status,
            not_supplied_reason=i.not_supplied_reason if i.value is None else "",
            note=i.note,
            source=Observation.Source.POLICEUK,
            as_at=as_at,
            revision=1,
            is_approved=False,
            updated_by=user,
            updated_at=when,
        )
        for i in inputs
    ]
    bulk_create_with_history(
        objs, Observation, default_user=user, default_change_reason=reason, default_date=when
    )


def _clear():
    Observation.objects.all().delete()
    Observation.history.all().delete()


def test_new_figures_and_their_history_are_what_bulk_create_with_history_writes(cast, path):
    inputs = _inputs(cast)
    result = observations_upsert(
        partnership=cast.partnership,
        inputs=inputs,
        source=Observation.Source.POLICEUK,
        user=cast.editor,
        reason="Imported",
    )
    figures, history = _figures(), _history()
    when, as_at = figures[0]["updated_at"], figures[0]["as_at"]
    _clear()
    _library_create(cast, inputs, user=cast.editor, reason="Imported", when=when, as_at=as_at)

    assert result.created == 4
    assert [f["note"] for f in figures][1] == AWKWARD
    assert [f["not_supplied_reason"] for f in figures][2] == AWKWARD
    assert [f["value"] for f in figures][2] is None
    assert _without(figures, "id") == _without(_figures(), "id")
    assert _without(history, "id", "history_id") == _without(_history(), "id", "history_id")
    assert {h["history_user_id"] for h in history} == {cast.editor.pk}


def test_without_a_user_each_history_row_asks_simple_history_for_one(cast, path, request_user):
    """The command line passes no user: simple-history's own default (here the
    signed-in user of the current request) is what both paths record."""
    request_user(cast.manager)
    inputs = _inputs(cast, 3)
    observations_upsert(
        partnership=cast.partnership,
        inputs=inputs,
        source=Observation.Source.POLICEUK,
        user=None,
        reason="Imported",
    )
    figures, history = _figures(), _history()
    _clear()
    _library_create(
        cast,
        inputs,
        user=None,
        reason="Imported",
        when=figures[0]["updated_at"],
        as_at=figures[0]["as_at"],
    )

    assert {h["history_user_id"] for h in history} == {cast.manager.pk}
    assert _without(history, "id", "history_id") == _without(_history(), "id", "history_id")


def test_new_figures_come_back_saved_with_their_ids(cast, path):
    result = observations_upsert(
        partnership=cast.partnership,
        inputs=_inputs(cast, 5),
        source=Observation.Source.POLICEUK,
        user=cast.editor,
    )
    objs = result.changed_observations
    stored = {o.pk: o for o in Observation.objects.all()}

    assert len({o.pk for o in objs}) == 5
    for obj in objs:
        assert obj.partnership == cast.partnership
        for f in Observation._meta.concrete_fields:
            assert getattr(obj, f.attname) == getattr(stored[obj.pk], f.attname), f.name
    # Known to be saved: saving again updates the row, it does not insert another.
    objs[0].note = "Checked"
    objs[0].save()
    assert Observation.objects.count() == 5
    assert Observation.objects.get(pk=objs[0].pk).note == "Checked"


def test_history_of_saved_figures_is_what_bulk_history_create_writes(cast, path, request_user):
    """Each object's own _history_user, _change_reason and _history_date win over the
    defaults, as in simple-history; without a default user, simple-history's own."""
    observations_upsert(
        partnership=cast.partnership,
        inputs=_inputs(cast, 4),
        source=Observation.Source.POLICEUK,
        user=cast.editor,
    )
    request_user(cast.manager)
    when = timezone.now()

    def changed():
        objs = list(Observation.objects.order_by("period_start"))
        for obj in objs:
            obj.note = AWKWARD
        objs[0]._history_user = cast.viewer
        objs[1]._change_reason = "Its own reason"
        objs[2]._history_date = when - timedelta(days=3)
        return objs

    for default_user in (cast.police_editor, None):
        Observation.history.filter(history_type="~").delete()
        bulk_insert.insert_history(
            Observation,
            changed(),
            history_type="~",
            default_user=default_user,
            default_change_reason="Recount",
            default_date=when,
        )
        fast = _history()
        Observation.history.filter(history_type="~").delete()
        Observation.history.bulk_history_create(
            changed(),
            update=True,
            default_user=default_user,
            default_change_reason="Recount",
            default_date=when,
        )
        updates = [h for h in fast if h["history_type"] == "~"]
        assert len(updates) == 4
        assert updates[0]["history_user_id"] == cast.viewer.pk
        assert updates[1]["history_change_reason"] == "Its own reason"
        assert updates[2]["history_date"] == when - timedelta(days=3)
        assert updates[3]["history_user_id"] == (default_user or cast.manager).pk
        assert _without(fast, "history_id") == _without(_history(), "history_id")


def test_no_history_is_written_when_simple_history_is_switched_off(cast, path, settings):
    settings.SIMPLE_HISTORY_ENABLED = False
    observations_upsert(
        partnership=cast.partnership,
        inputs=_inputs(cast, 3),
        source=Observation.Source.POLICEUK,
        user=cast.editor,
    )
    assert Observation.objects.count() == 3
    assert Observation.history.count() == 0


def test_an_unsaved_related_object_is_refused_as_bulk_create_refuses_it(cast, path):
    unsaved = ImportBatch(partnership=cast.partnership, format=ImportBatch.Format.POLICEUK_STREET)
    with pytest.raises(ValueError, match="unsaved related object 'import_batch'"):
        observations_upsert(
            partnership=cast.partnership,
            inputs=_inputs(cast, 2),
            source=Observation.Source.POLICEUK,
            user=cast.editor,
            import_batch=unsaved,
        )
    assert Observation.objects.count() == 0


def test_figures_added_later_get_new_ids_after_the_others(cast, path):
    inputs = _inputs(cast, 6)
    first = observations_upsert(
        partnership=cast.partnership,
        inputs=inputs[:3],
        source=Observation.Source.POLICEUK,
        user=cast.editor,
    ).changed_observations
    Observation.objects.create(
        partnership=cast.partnership,
        measure_id=inputs[0].measure_id,
        area=None,
        period_type=PeriodType.MONTH,
        period_start=date(2020, 1, 1),
        period_end=date(2020, 1, 31),
        value=Decimal(1),
        updated_at=timezone.now(),
    )
    later = observations_upsert(
        partnership=cast.partnership,
        inputs=inputs[3:],
        source=Observation.Source.POLICEUK,
        user=cast.editor,
    ).changed_observations

    assert Observation.objects.count() == 7
    assert min(o.pk for o in later) > max(
        Observation.objects.exclude(pk__in=[o.pk for o in later]).values_list("pk", flat=True)
    )
    assert len({o.pk for o in first + later}) == 6
