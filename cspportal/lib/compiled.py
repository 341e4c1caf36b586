"""Querysets compiled to SQL once per process, then run with other values.

Building a queryset with a dozen annotations and subqueries, and compiling it, costs
the ORM several milliseconds of Python: on the dashboard, more than PostgreSQL takes
to answer. A ``CompiledQuery`` builds its queryset once, from stand-in values, keeps
the SQL and its parameters, and on each call puts the real values where the stand-ins
were. The SQL is still the ORM's, so a model or manager change reaches it.

    CATALOGUE = CompiledQuery(build_catalogue)
    rows = CATALOGUE.rows(partnership_id=partnership.pk)

A builder takes keyword arguments, each an id (``int``), a ``date`` or a list of ids
(for ``__in``). It is compiled once for each length of its lists, since
``id__in=[...]`` has one placeholder an item. Each value must reach the SQL as a
parameter, not be folded into the SQL text nor decide the query's shape (a slice, an
``if``): compiling checks that every stand-in is found among the parameters. The
stand-ins are values no real query holds (ids below -987,000,000, days of January
1901), told apart from the query's own constants by type and value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from itertools import count
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

# Where a parameter comes from: (argument, index in its list, or None for a scalar).
Slot = tuple[str, int | None]
_FIRST_ID = -987_654_001


def _kind(name: str, value: Any) -> str | int:
    """ "id", "date", or a list's length; anything else is refused."""
    if isinstance(value, int) and not isinstance(value, bool):
        return "id"
    if isinstance(value, date):
        return "date"
    if isinstance(value, list | tuple) and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        return len(value)
    raise TypeError(f"{name}: a compiled query takes ids, dates and lists of ids")


def _shape(values: dict[str, Any]) -> tuple[tuple[str, str | int], ...]:
    return tuple((name, _kind(name, v)) for name, v in sorted(values.items()))


def _stand_ins(values: dict[str, Any]) -> Iterator[tuple[Slot, Any]]:
    ids, days = count(_FIRST_ID, -1), count(1)
    for name, value in values.items():
        kind = _kind(name, value)
        if kind == "id":
            yield (name, None), next(ids)
        elif kind == "date":
            day = next(days)
            if day > 31:
                raise TypeError("a compiled query takes at most 31 dates")
            yield (name, None), date(1901, 1, day)
        else:
            for index in range(len(value)):
                yield (name, index), next(ids)


class CompiledQuery:
    """A queryset builder's SQL, compiled once per database and shape of arguments."""

    def __init__(self, build: Callable[..., QuerySet[Any, Any]]) -> None:
        self.build = build
        # Per database and shape: the SQL, its parameters and where each comes from;
        # None for a shape whose query can match nothing (an empty ``__in`` list).
        self._compiled: dict[tuple[Any, ...], tuple[str, list[Any], list[Slot | None]] | None] = {}

    @staticmethod
    def _adapt(using: str, value: Any) -> Any:
        """A value as the database driver is handed it (SQLite takes dates as text)."""
        if isinstance(value, date):
            return connections[using].ops.adapt_datefield_value(value)
        return value

    def _compile(
        self, using: str, values: dict[str, Any]
    ) -> tuple[str, list[Any], list[Slot | None]] | None:
        stand_ins = dict(_stand_ins(values))
        arguments: dict[str, Any] = {}
        for (name, index), value in stand_ins.items():
            if index is None:
                arguments[name] = value
            else:
                arguments.setdefault(name, []).append(value)
        arguments.update({name: [] for name, v in values.items() if v == [] or v == ()})
        try:
            sql, params = self.build(**arguments).using(using).query.sql_with_params()
        except EmptyResultSet:
            return None
        adapted = {slot: self._adapt(using, value) for slot, value in stand_ins.items()}
        slots: list[Slot | None] = [
            next(
                (s for s, v in adapted.items() if type(param) is type(v) and param == v),
                None,
            )
            for param in params
        ]
        missing = sorted({name for name, _ in set(stand_ins) - set(slots)})
        if missing:
            raise ValueError(
                f"{self.build.__name__}: {', '.join(missing)} did not reach the SQL "
                "as a parameter, so a compiled query cannot change it"
            )
        return sql, list(params), slots

    def sql(self, using: str = "default", **values: Any) -> tuple[str, list[Any]] | None:
        """The SQL and its parameters for these values; None when the query can match
        nothing (Django's ``EmptyResultSet``)."""
        key = (using, connections[using].vendor, _shape(values))
        if key not in self._compiled:
            self._compiled[key] = self._compile(using, values)
        compiled = self._compiled[key]
        if compiled is None:
            return None
        sql, params, slots = compiled
        return sql, [
            param
            if slot is None
            else self._adapt(
                using, values[slot[0]] if slot[1] is None else values[slot[0]][slot[1]]
            )
            for slot, param in zip(slots, params, strict=True)
        ]

    def rows(self, using: str = "default", **values: Any) -> list[tuple[Any, ...]]:
        """The query's rows for these values, straight from the database cursor (no
        model instances, no per-row converters: floats, dates and integers as the
        database driver gives them; SQLite gives dates as ISO text)."""
        found = self.sql(using, **values)
        if found is None:
            return []
        sql, params = found
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
