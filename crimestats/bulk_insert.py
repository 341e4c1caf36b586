"""Bulk inserts of figures and their history rows, through public APIs only.

A national police.uk month stores ~5,000 figures and as many history rows. Django's
``bulk_create`` and simple-history's ``bulk_create_with_history`` take ~0.6 s for
them on SQLite (a model instance per history row, every one of ~170,000 values
compiled by the insert compiler), more than half of what the whole import may take
(twice a bare ``pandas.read_csv`` of the files, ~1.2 s). So:

- **PostgreSQL**: the ids are reserved first (``nextval`` of the table's sequence,
  one query), then the figures and the history rows each go in with one psycopg
  ``COPY ... FROM STDIN`` through Django's cursor.
- **SQLite**: the first figure is inserted alone, which takes the database's write
  lock until the transaction ends, and its ``lastrowid`` says where the ids start;
  the rest follow with explicit, consecutive ids by DB-API ``executemany`` (every
  id above the newest is free, and no other connection can write meanwhile). The
  history rows go in with one ``executemany``.
- **Any other database**: simple-history's own ``bulk_create_with_history`` and
  ``bulk_history_create``.

Values are converted by each field's public ``get_db_prep_save``, so they are
stored exactly as the ORM stores them; a value that repeats (a measure id, a date)
is converted once per column. The history rows hold exactly what
``bulk_history_create`` writes: every tracked field, ``history_date`` (an object's
``_history_date``, else the default date, else now), ``history_user`` (an object's
``_history_user``, else the default user, else simple-history's
``get_default_history_user``), ``history_change_reason`` (an object's
``_change_reason``, else the default reason) and ``history_type``; nothing is
written when ``SIMPLE_HISTORY_ENABLED`` is off. A history model with fields this
module does not know goes through simple-history itself. Like ``bulk_create``,
nothing sends model signals or calls ``save()``; unlike it, ``Field.pre_save`` is
not applied, so models with ``auto_now`` or file fields are refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models, router, transaction
from django.utils import timezone
from simple_history.utils import (
    bulk_create_with_history,
    get_change_reason_from_object,
    get_history_manager_for_model,
    get_history_model_for_model,
)

HISTORY_FIELDS = ("history_date", "history_user", "history_change_reason", "history_type")
FAST_VENDORS = ("postgresql", "sqlite")
# Values of these types (and enumeration members, such as TextChoices) never change
# once made, so one conversion serves every occurrence of an equal value
# (Decimal("5") and Decimal("5.00") are told apart).
IMMUTABLE = frozenset({str, int, bool, Decimal, date, datetime, type(None)})


@dataclass(frozen=True)
class NewRows:
    """Rows ``create_with_history`` inserted: their ids, in order, and their values.
    ``instances()`` builds them as saved model instances only when asked, as the ORM
    builds rows it reads (``Model.from_db``): an importer that only counts them
    never makes ~5,000 objects for the garbage collector to walk."""

    model: type[models.Model]
    using: str
    ids: list[int]
    columns: Mapping[str, Sequence[Any]]
    shared: Mapping[str, Any]
    built: list[models.Model] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def instance(self, index: int) -> models.Model:
        concrete = self.model._meta.concrete_fields
        values = []
        for f in concrete:
            if f.primary_key:
                values.append(self.ids[index])
            elif f.attname in self.shared:
                values.append(self.shared[f.attname])
            else:
                values.append(self.columns[f.attname][index])
        return self.model.from_db(self.using, [f.attname for f in concrete], values)

    def instances(self) -> list[models.Model]:
        if self.built is not None:
            return self.built
        return [self.instance(index) for index in range(len(self.ids))]


def create_with_history(
    model: type[models.Model],
    columns: Mapping[str, Sequence[Any]],
    *,
    shared: Mapping[str, Any],
    default_user,
    default_change_reason: str,
    default_date: datetime,
) -> NewRows:
    """Insert new rows of ``model`` and a '+' history row for each, as
    ``bulk_create_with_history`` does.

    ``columns`` gives the values of the fields that vary, by attname, a list each
    (one item per row); ``shared`` gives those that are the same on every row. Every
    concrete field but the automatic primary key needs its values in one or the
    other."""
    count = len(next(iter(columns.values()))) if columns else 0
    using = router.db_for_write(model)
    if not count:
        return NewRows(model, using, [], columns, shared)
    connection = connections[using]
    fields = _insert_fields(model, columns, shared)
    if connection.vendor not in FAST_VENDORS or not _history_is_known(model):
        names = list(columns)
        objs = [
            model(**shared, **dict(zip(names, values, strict=True)))
            for values in zip(*columns.values(), strict=True)
        ]
        objs = bulk_create_with_history(
            objs,
            model,
            default_user=default_user,
            default_change_reason=default_change_reason,
            default_date=default_date,
        )
        return NewRows(model, using, [o.pk for o in objs], columns, shared, built=objs)
    with transaction.atomic(using=using, savepoint=False):
        prepared = [
            _prepared(
                f, [shared[f.attname]] if f.attname in shared else columns[f.attname], connection
            )
            for f in fields
        ]
        ids = _insert_with_ids(model, fields, prepared, count, connection)
        new = NewRows(model, using, ids, columns, shared)
        if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            history = get_history_model_for_model(model)
            _write_history(
                history,
                count,
                tracked=lambda f: (
                    ids
                    if f.attname == model._meta.pk.attname
                    else [shared[f.attname]]
                    if f.attname in shared
                    else columns[f.attname]
                ),
                # A new row has no _history_date, _history_user or _change_reason of
                # its own; simple-history's user is asked per row, as it does.
                dates=[default_date] if default_date else [timezone.now() for _ in ids],
                users=[default_user]
                if default_user
                else [history.get_default_history_user(new.instance(i)) for i in range(count)],
                reasons=[default_change_reason],
                history_type="+",
                connection=connection,
            )
    return new


def insert_history(
    model: type[models.Model],
    objs: Sequence[models.Model],
    *,
    history_type: str,
    default_user,
    default_change_reason: str,
    default_date: datetime | None,
    shared: Mapping[str, Any] | None = None,
) -> None:
    """Write one history row per saved object, exactly as simple-history's
    ``bulk_history_create`` does (``history_type`` '+' or '~'). ``shared`` names
    tracked fields, by attname, whose value is the same on every object."""
    if not objs or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = get_history_model_for_model(model)
    connection = connections[router.db_for_write(history)]
    if connection.vendor not in FAST_VENDORS or not _history_is_known(model):
        get_history_manager_for_model(model).bulk_history_create(
            objs,
            update=history_type == "~",
            default_user=default_user,
            default_change_reason=default_change_reason,
            default_date=default_date,
        )
        return
    shared = shared or {}
    _write_history(
        history,
        len(objs),
        tracked=lambda f: (
            [shared[f.attname]] if f.attname in shared else [getattr(o, f.attname) for o in objs]
        ),
        dates=[getattr(o, "_history_date", default_date or timezone.now()) for o in objs],
        users=[_history_user(history, o, default_user) for o in objs],
        reasons=[get_change_reason_from_object(o) or default_change_reason for o in objs],
        history_type=history_type,
        connection=connection,
    )


def _write_history(
    history, count: int, *, tracked, dates, users, reasons, history_type: str, connection
) -> None:
    """The history rows: ``tracked(field)`` gives a tracked field's values; each
    list holds one value per row, or one for every row."""
    fields = _history_fields(history)
    columns = []
    for f in fields:
        if f.name == "history_date":
            values = dates
        elif f.name == "history_user":
            values = [None if user is None else user.pk for user in users]
        elif f.name == "history_change_reason":
            values = reasons
        elif f.name == "history_type":
            values = [history_type]
        elif f.primary_key:
            values = [f.get_default() for _ in range(count)]
        else:
            values = tracked(f)
        columns.append(_prepared(f, values, connection))
    with transaction.atomic(using=connection.alias, savepoint=False):
        _write(history, fields, columns, count, connection)


def _history_user(history, obj, default_user):
    # As bulk_history_create: the object's own user, else the default user, else
    # simple-history's (the request's user, or what HistoricalRecords' getter says).
    return getattr(obj, "_history_user", default_user or history.get_default_history_user(obj))


def _insert_fields(model, columns: Mapping[str, Any], shared: Mapping[str, Any]) -> list:
    """The concrete fields to write (all but the automatic primary key), each with
    values in ``columns`` or ``shared``."""
    fields = []
    for f in model._meta.concrete_fields:
        if f.primary_key and isinstance(f, models.AutoField):
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            raise ValueError(f"{f.name} is set when saved (auto_now): use bulk_create.")
        if isinstance(f, models.FileField):
            raise ValueError(f"{f.name} is a file field: use bulk_create.")
        if f.attname not in columns and f.attname not in shared:
            raise ValueError(f"No value for {model.__name__}.{f.attname}.")
        fields.append(f)
    if not isinstance(model._meta.pk, models.AutoField):
        raise ValueError(f"{model.__name__} has no automatic primary key: use bulk_create.")
    return fields


def _history_fields(history) -> list:
    """The history model's columns to write: the history id only when it is not
    automatic (a UUID, given its default as simple-history's model would)."""
    return [
        f
        for f in history._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField))
    ]


def _history_is_known(model) -> bool:
    """Whether every column of the model's history is one this module fills: a
    tracked field or one of simple-history's own (not a custom field, nor a
    ``history_relation``)."""
    history = get_history_model_for_model(model)
    tracked = {f.attname for f in history.tracked_fields}
    try:
        user_field = history._meta.get_field("history_user")
    except FieldDoesNotExist:
        return False
    if not isinstance(user_field, models.ForeignKey):
        return False
    return all(
        f.attname in tracked or f.name in HISTORY_FIELDS or f.primary_key
        for f in history._meta.concrete_fields
    )


def _prepared(field, values: Sequence[Any], connection) -> list:
    """``values`` as ``field`` stores them (``get_db_prep_save``), each distinct
    immutable value converted once."""
    converted: dict = {}
    immutable: dict[type, bool] = {}
    out = []
    for value in values:
        cls = value.__class__
        if cls not in immutable:
            immutable[cls] = cls in IMMUTABLE or issubclass(cls, Enum)
        if not immutable[cls]:
            out.append(field.get_db_prep_save(value, connection=connection))
            continue
        key = (cls, str(value) if cls is Decimal else value)
        try:
            out.append(converted[key])
        except KeyError:
            converted[key] = prepared = field.get_db_prep_save(value, connection=connection)
            out.append(prepared)
    return out


def _rows(columns: Sequence[Sequence[Any]], count: int, first: int = 0) -> Iterator[tuple]:
    """Rows from columns; a column of one value is that value on every row."""
    full = [c if len(c) == count else list(c) * count for c in columns]
    return zip(*(c[first:] for c in full), strict=True)


def _insert_with_ids(model, fields, columns, count: int, connection) -> list[int]:
    """Insert ``count`` rows with new primary keys and return the keys, in order."""
    pk = model._meta.pk
    table = connection.ops.quote_name(model._meta.db_table)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.column, count],
            )
            ids = sorted(row[0] for row in cursor.fetchall())
        _write(model, [pk, *fields], [ids, *columns], count, connection)
        return ids
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(model, fields, connection), next(_rows(columns, count)))
        start = cursor.lastrowid
        ids = list(range(start, start + count))
        if count > 1:
            _write(model, [pk, *fields], [ids, *columns], count, connection, first=1)
    return ids


def _write(model, fields, columns, count: int, connection, first: int = 0) -> None:
    """Rows ``first`` onwards: one COPY on PostgreSQL, one ``executemany`` on SQLite."""
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    names = ", ".join(ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in _rows(columns, count, first):
                    copy.write_row(row)
        else:
            cursor.executemany(
                _insert_sql(model, fields, connection), list(_rows(columns, count, first))
            )


def _insert_sql(model, fields, connection) -> str:
    """``INSERT INTO table (columns) VALUES (%s, ...)``: the names come from the
    model's metadata, quoted; every value is a parameter."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608
