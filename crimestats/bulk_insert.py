"""Bulk inserts of figures and their history rows at the database's speed.

A national police.uk month stores ~5,000 figures and as many history rows. Through
``bulk_create`` and simple-history's ``bulk_history_create`` that took ~2 s: the ORM
builds a model instance per history row, asks for the request's user once per row,
and compiles every one of the ~200,000 values through the insert compiler. Here each
value goes through its field's ``get_db_prep_save`` only (the same conversion the ORM
applies, so the stored values are identical), values shared by every row are
converted once, and the rows go in with one multi-row ``INSERT`` per batch.

The history rows are the ones ``bulk_history_create`` writes: every tracked field,
``history_date``, ``history_user``, ``history_change_reason`` and ``history_type``,
honouring ``_history_user`` and ``_change_reason`` set on an instance and
``SIMPLE_HISTORY_ENABLED``. Like ``bulk_create``, no model signals are sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import connections, models, router
from simple_history.utils import get_change_reason_from_object, get_history_manager_for_model

NOT_SET = object()
HISTORY_FIELDS = ("history_date", "history_user", "history_change_reason", "history_type")


def _insert(
    model: type[models.Model],
    fields: list[models.Field],
    rows: Sequence[Sequence],
    *,
    using: str,
    returning: models.Field | None = None,
) -> list:
    """Insert already-converted ``rows`` (one value per field) in batches the backend
    accepts; returns the ``returning`` column of each row, in order."""
    connection = connections[using]
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    returning_sql = ops.return_insert_columns([returning])[0] if returning else ""
    returned: list = []
    with connection.cursor() as cursor:
        for sql, params in _statements(connection, fields, rows):
            cursor.execute(
                f"INSERT INTO {table} ({columns}) {sql} {returning_sql}".rstrip(), params
            )
            if returning:
                returned.extend(row[0] for row in ops.fetch_returned_insert_rows(cursor))
    return returned


def _statements(connection, fields: list[models.Field], rows: Sequence[Sequence]):
    """The ``VALUES``/``SELECT`` part of each insert, with its parameters.

    PostgreSQL gets every row in one statement as one array per column, as Django's
    own ``bulk_create`` does there: a ``VALUES`` list with ~100,000 placeholders
    costs psycopg seconds to parse. Elsewhere, ``VALUES`` lists in the batches the
    backend accepts (SQLite: 999 parameters)."""
    ops = connection.ops
    if connection.vendor == "postgresql":
        from django.db.backends.postgresql.compiler import InsertUnnest

        # varchar[], not varchar(50)[]: the column itself still limits the length.
        types = [f.db_type(connection).split("(")[0] for f in fields]
        unnest = InsertUnnest([f"(%s)::{db_type}[]" for db_type in types])
        yield (
            ops.bulk_insert_sql(fields, unnest),
            [list(column) for column in zip(*rows, strict=True)],
        )
        return
    batch_size = max(ops.bulk_batch_size(fields, rows), 1)
    sql_by_size: dict[int, str] = {}
    for start in range(0, len(rows), batch_size):
        batch = rows[start : start + batch_size]
        sql = sql_by_size.get(len(batch))
        if sql is None:
            sql = ops.bulk_insert_sql(fields, [["%s"] * len(fields)] * len(batch))
            sql_by_size[len(batch)] = sql
        yield sql, [value for row in batch for value in row]


def _shared_values(fields: list[models.Field], values: dict, connection) -> dict:
    return {f.name: f.get_db_prep_save(values[f.name], connection=connection) for f in fields}


def can_insert_returning(model: type[models.Model]) -> bool:
    """Whether the database returns the ids of a multi-row insert (PostgreSQL, SQLite
    3.35+), which ``insert_with_ids`` needs."""
    using = router.db_for_write(model)
    return connections[using].features.can_return_rows_from_bulk_insert


def insert_with_ids(
    model: type[models.Model], objs: list[models.Model], *, shared: dict
) -> list[models.Model]:
    """Insert new ``objs`` (as ``bulk_create`` would) and set their primary keys.

    ``shared`` names fields whose value is the same on every object, with that value
    as stored (an id for a foreign key), so it is converted once; every other concrete
    field is read from each object.
    """
    if not objs:
        return objs
    using = router.db_for_write(model)
    connection = connections[using]
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if f is not pk]
    varying = [f for f in fields if f.name not in shared]
    prepared = _shared_values([f for f in fields if f.name in shared], shared, connection)
    rows = []
    for obj in objs:
        row = dict(prepared)
        for f in varying:
            row[f.name] = f.get_db_prep_save(f.pre_save(obj, True), connection=connection)
        rows.append([row[f.name] for f in fields])
    ids = _insert(model, fields, rows, using=using, returning=pk)
    for obj, new_id in zip(objs, ids, strict=True):
        obj.pk = new_id
        obj._state.adding = False
        obj._state.db = using
    return objs


def insert_history(
    model: type[models.Model],
    objs: list[models.Model],
    *,
    history_type: str,
    default_user,
    default_change_reason: str,
    default_date: datetime,
    shared: dict,
) -> None:
    """Write one history row per object, as simple-history's ``bulk_history_create``
    does, for objects already saved. ``shared`` names tracked fields whose value is the
    same on every object, with that value as stored (converted once)."""
    if not objs or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = get_history_manager_for_model(model).model
    using = router.db_for_write(history)
    connection = connections[using]
    if default_user is None:
        # simple-history asks for the request's user once per row; it does not
        # depend on the row unless a row carries its own ``_history_user``.
        default_user = history.get_default_history_user(objs[0])
    tracked = {f.attname for f in history.tracked_fields}
    fields = [f for f in history._meta.concrete_fields if not isinstance(f, models.AutoField)]
    unknown = [f.name for f in fields if f.attname not in tracked and f.name not in HISTORY_FIELDS]
    if unknown:
        raise ValueError(f"No value for the history fields {', '.join(unknown)}.")
    history_user = history._meta.get_field("history_user")
    constant = {
        "history_date": default_date,
        "history_user": getattr(default_user, "pk", None),
        "history_change_reason": default_change_reason,
        "history_type": history_type,
        **shared,
    }
    prepared = _shared_values([f for f in fields if f.name in constant], constant, connection)
    varying = [f for f in fields if f.name not in constant]
    rows = []
    for obj in objs:
        row = dict(prepared)
        for f in varying:
            row[f.name] = f.get_db_prep_save(getattr(obj, f.attname), connection=connection)
        user = getattr(obj, "_history_user", NOT_SET)
        if user is not NOT_SET:
            row["history_user"] = history_user.get_db_prep_save(
                getattr(user, "pk", None), connection=connection
            )
        reason = get_change_reason_from_object(obj)
        if reason:
            row["history_change_reason"] = reason
        rows.append([row[f.name] for f in fields])
    _insert(history, fields, rows, using=using)
