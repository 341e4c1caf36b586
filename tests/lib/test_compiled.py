"""A compiled query gives the rows its queryset would, for every value it is run with,
and refuses a builder whose value never reaches the SQL."""

from datetime import date

import pytest
from django.db.models import QuerySet

from cspportal.lib.compiled import CompiledQuery
from meetings.models import Meeting
from partnerships.models import Area
from tests import factories


def _meetings(partnership_id: int, since: date) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(partnership_id=partnership_id, date__gte=since)
        .exclude(title="Cancelled")
        .order_by("date")
        .values_list("title", "place")
    )


MEETINGS = CompiledQuery(_meetings)


@pytest.mark.django_db
def test_each_run_puts_its_own_values_where_the_stand_ins_were():
    north, south = factories.PartnershipFactory(), factories.PartnershipFactory()
    factories.MeetingFactory(partnership=north, title="Board", date=date(2024, 1, 11))
    factories.MeetingFactory(partnership=north, title="Cancelled", date=date(2024, 2, 1))
    factories.MeetingFactory(
        partnership=south, title="Scrutiny", date=date(2024, 3, 5), place="Civic Centre"
    )
    factories.MeetingFactory(partnership=south, title="Old board", date=date(2023, 6, 1))

    assert MEETINGS.rows(partnership_id=north.pk, since=date(2000, 1, 1)) == [("Board", "")]
    assert MEETINGS.rows(partnership_id=south.pk, since=date(2000, 1, 1)) == [
        ("Old board", ""),
        ("Scrutiny", "Civic Centre"),
    ]
    assert MEETINGS.rows(partnership_id=south.pk, since=date(2024, 1, 1)) == [
        ("Scrutiny", "Civic Centre")
    ]
    assert MEETINGS.rows(partnership_id=south.pk, since=date(2024, 3, 6)) == []
    # The same rows as the queryset itself, for each partnership and date.
    for partnership in (north, south):
        for since in (date(2023, 6, 1), date(2024, 1, 12)):
            assert MEETINGS.rows(partnership_id=partnership.pk, since=since) == list(
                _meetings(partnership.pk, since)
            )


@pytest.mark.django_db
def test_a_list_of_ids_is_compiled_once_for_each_length():
    def _named(ids: list[int]) -> QuerySet[Area]:
        return Area.objects.filter(pk__in=ids).order_by("name").values_list("name", flat=True)

    named = CompiledQuery(_named)
    partnership = factories.PartnershipFactory()
    a, b, c = (
        factories.AreaFactory(partnership=partnership, name=n)
        for n in ("Chorley", "Leyland", "Penwortham")
    )
    assert named.rows(ids=[a.pk, c.pk]) == [("Chorley",), ("Penwortham",)]
    assert named.rows(ids=[b.pk, a.pk]) == [("Chorley",), ("Leyland",)]
    assert named.rows(ids=[c.pk]) == [("Penwortham",)]
    assert named.rows(ids=[c.pk, b.pk, a.pk]) == [("Chorley",), ("Leyland",), ("Penwortham",)]
    assert named.rows(ids=[]) == []
    assert sorted(shape[0][1] for _, _, shape in named._compiled) == [
        0,
        1,
        2,
        3,
    ]


@pytest.mark.django_db
def test_a_value_that_does_not_reach_the_sql_as_a_parameter_is_refused():
    def named(partnership_id: int, since: date) -> QuerySet[Meeting]:
        # ``since`` decides the query's shape instead of reaching it as a parameter.
        found = Meeting.objects.filter(partnership_id=partnership_id)
        return found.exclude(title="") if since.year > 2000 else found

    query = CompiledQuery(named)
    with pytest.raises(ValueError) as refused:
        query.rows(partnership_id=1, since=date(2024, 1, 1))
    assert str(refused.value) == (
        "named: since did not reach the SQL as a parameter, so a compiled query cannot change it"
    )


def test_only_ids_dates_and_lists_of_ids_can_be_stood_in_for():
    for value in ("Chorley", True, 2.5, ["a"]):
        with pytest.raises(TypeError) as refused:
            MEETINGS.sql(partnership_id=1, since=value)
        assert str(refused.value) == "since: a compiled query takes ids, dates and lists of ids"
