"""Querysets compiled to SQL once per process, then run with other values.

Building a queryset with a dozen annotations and subqueries, and compiling it, costs
the ORM several milliseconds of Python: on the dashboard, more than PostgreSQL takes
to answer. A ``CompiledQuery`` builds its queryset once, from stand-in values, keeps
the SQL and its parameters, and on each call puts the real values where the stand-ins
were. The SQL is still the ORM's, so a model or manager change reaches it.

    CATALOGUE = CompiledQuery(build_catalogue, partnership_id=StandIn.number(1))
    rows = CATALOGUE.rows(partnership_id=partnership.pk)

Rules for a builder: each value it is given must reach the SQL as a parameter (not
folded into the SQL text, nor used to decide the query's shape), which ``rows``
checks when it compiles. Stand-ins are values no real query holds (negative ids,
dates in 1901), told apart from the query's own constants by type and value.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import connections
from django.db.models import QuerySet


class StandIn:
    """Values that stand in for a builder's arguments while the SQL is compiled."""

    @staticmethod
    def number(n: int) -> int:
        """The ``n``-th stand-in id (from 1): negative, so never a row's id."""
        return -987_654_000 - n

    @staticmethod
    def day(n: int) -> date:
        """The ``n``-th stand-in date (from 1): in January 1901, before any figure."""
        return date(1901, 1, n)


class CompiledQuery:
    """A queryset builder's SQL, compiled once per database connection's vendor."""

    def __init__(self, build: Callable[..., QuerySet[Any, Any]], **stand_ins: Any) -> None:
        self.build = build
        self.stand_ins = stand_ins
        self._compiled: dict[str, tuple[str, list[Any], list[str | None]]] = {}

    @staticmethod
    def _adapt(using: str, value: Any) -> Any:
        """A value as the database driver is handed it (SQLite takes dates as text)."""
        if isinstance(value, date):
            return connections[using].ops.adapt_datefield_value(value)
        return value

    def _compile(self, using: str) -> tuple[str, list[Any], list[str | None]]:
        queryset = self.build(**self.stand_ins).using(using)
        sql, params = queryset.query.sql_with_params()
        adapted = {name: self._adapt(using, value) for name, value in self.stand_ins.items()}
        slots: list[str | None] = []
        for param in params:
            slots.append(
                next(
                    (
                        name
                        for name, value in adapted.items()
                        if type(param) is type(value) and param == value
                    ),
                    None,
                )
            )
        missing = set(self.stand_ins) - set(slots)
        if missing:
            raise ValueError(
                f"{self.build.__name__}: {', '.join(sorted(missing))} did not reach the SQL "
                "as a parameter, so a compiled query cannot change it"
            )
        return sql, list(params), slots

    def sql(self, using: str = "default", **values: Any) -> tuple[str, list[Any]]:
        """The SQL and its parameters for these values."""
        if set(values) != set(self.stand_ins):
            raise TypeError(f"expected values for {sorted(self.stand_ins)}, got {sorted(values)}")
        key = f"{using}:{connections[using].vendor}"
        if key not in self._compiled:
            self._compiled[key] = self._compile(using)
        sql, params, slots = self._compiled[key]
        return sql, [
            self._adapt(using, values[slot]) if slot else param
            for slot, param in zip(slots, params, strict=True)
        ]

    def rows(self, using: str = "default", **values: Any) -> list[tuple[Any, ...]]:
        """The query's rows for these values, straight from the database cursor (no
        model instances, no per-row converters: floats, dates and integers as the
        database driver gives them)."""
        sql, params = self.sql(using, **values)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
