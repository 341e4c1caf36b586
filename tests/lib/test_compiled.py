"""A compiled query gives the rows its queryset would, for every value it is run with,
and refuses a builder whose value never reaches the SQL."""

from datetime import date

import pytest
from django.db.models import QuerySet

from cspportal.lib.compiled import CompiledQuery, StandIn
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


MEETINGS = CompiledQuery(_meetings, partnership_id=StandIn.number(1), since=StandIn.day(1))


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
def test_a_value_that_does_not_reach_the_sql_as_a_parameter_is_refused():
    def first_n(partnership_id: int, n: int) -> QuerySet[Area]:
        # The slice is written into the SQL text (LIMIT), so it cannot be swapped.
        return Area.objects.filter(partnership_id=partnership_id).values_list("name")[:n]

    query = CompiledQuery(first_n, partnership_id=StandIn.number(1), n=3)
    with pytest.raises(ValueError) as refused:
        query.rows(partnership_id=1, n=5)
    assert str(refused.value) == (
        "first_n: n did not reach the SQL as a parameter, so a compiled query cannot change it"
    )


@pytest.mark.django_db
def test_values_must_name_exactly_the_stand_ins():
    with pytest.raises(TypeError) as refused:
        MEETINGS.rows(partnership_id=1)
    assert (
        str(refused.value)
        == "expected values for ['partnership_id', 'since'], got ['partnership_id']"
    )


def test_stand_ins_are_no_real_id_or_date():
    assert StandIn.number(1) == -987_654_001
    assert StandIn.number(2) == -987_654_002
    assert StandIn.day(2) == date(1901, 1, 2)
