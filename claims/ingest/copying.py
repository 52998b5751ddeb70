"""Writing many new rows, and their django-simple-history rows, with COPY instead of the ORM.

Imports create ~10 rows per review (claim, verdict, appearance, article, sources and a history row
for each). Built as model instances and inserted by ``bulk_create``, most of the time went to
Django (instances, per-field preparation, SQL compilation), not to PostgreSQL. Here rows are
plain dicts keyed by field ``attname``:

* :func:`reserve_ids` draws the ids of every new row of a batch from the tables' sequences in one
  query, so rows can refer to each other before any is written (foreign keys are checked at
  commit: Django creates them ``DEFERRABLE INITIALLY DEFERRED``);
* :func:`copy_rows` streams the rows into the table with ``COPY … FROM STDIN``, fields the dict
  leaves out taking their model default (``created_at`` / ``updated_at``: the batch's time);
* :func:`copy_history` writes one historical row per row (``+`` created, ``~`` changed) with the
  acting user and change reason, as ``bulk_history_create`` would, also by COPY.

Every call is one statement whatever the number of rows. COPY bypasses Django's cursor wrapper,
so each is recorded in ``connection.queries_log`` when queries are being captured (DEBUG, or
``CaptureQueriesContext`` in tests): query-count tests see them.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import time
from collections.abc import Iterable, Mapping, Sequence

from django.db import connection, models

_NOW = object()  # created_at / updated_at: the batch time


def _columns(model) -> list[tuple[str, str, object, bool]]:
    """(attname, column, default, is JSON) of every stored field; GeneratedFields are computed by PostgreSQL."""
    cached = _COLUMNS.get(model)
    if cached is None:
        cached = []
        for field in model._meta.concrete_fields:
            if isinstance(field, models.GeneratedField):
                continue
            auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            default = _NOW if auto else field.get_default  # Django's default: "" for text, None if nullable
            cached.append((field.attname, field.column, default, isinstance(field, models.JSONField)))
        _COLUMNS[model] = cached
    return cached


_COLUMNS: dict = {}


def _value(value, is_json: bool):
    if is_json:
        return None if value is None else json.dumps(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


def reserve_ids(counts: Mapping[type[models.Model], int]) -> dict[type[models.Model], list[int]]:
    """``counts[model]`` fresh ids for each model from its table's sequence, in one query. Other
    transactions never draw them (sequences are not rolled back, so ids of a failed batch are
    simply unused)."""
    wanted = [(model, n) for model, n in counts.items() if n > 0]
    if not wanted:
        return {model: [] for model in counts}
    parts, params = [], []
    for model, n in wanted:
        parts.append("ARRAY(SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s))")
        params += [model._meta.db_table, n]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        arrays = cursor.fetchone()
    found = {model: list(ids) for (model, _), ids in zip(wanted, arrays, strict=True)}
    return {model: found.get(model, []) for model in counts}


def defer_foreign_key(model, field_name: str) -> None:
    """Check ``model.field_name``'s foreign key at commit in this transaction (Django creates it
    ``DEFERRABLE INITIALLY DEFERRED``; a caller may have made it immediate), so that two tables
    pointing at each other can be written in either order. One statement."""
    field = model._meta.get_field(field_name)
    name = _FK_NAMES.get((model, field_name))
    if name is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid "
                "AND a.attnum = ANY(c.conkey) WHERE c.conrelid = %s::regclass AND c.contype = 'f' "
                "AND a.attname = %s AND c.condeferrable",
                [model._meta.db_table, field.column],
            )
            found = cursor.fetchone()
        if found is None:
            return
        name = _FK_NAMES[(model, field_name)] = found[0]
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {connection.ops.quote_name(name)} DEFERRED")


_FK_NAMES: dict = {}


def _copy(table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
    sql = f"COPY {connection.ops.quote_name(table)} ({', '.join(map(connection.ops.quote_name, columns))}) FROM STDIN"
    started = time.monotonic()
    count = 0
    # Raw psycopg: wrap its errors as Django's (DatabaseError, IntegrityError…) like the ORM does,
    # so callers (the per-item retry of a refused batch) catch them the same way.
    with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    if connection.queries_logged:
        connection.queries_log.append({"sql": f"{sql} -- {count} rows", "time": f"{time.monotonic() - started:.3f}"})
    return count


def _templates(columns, now, fixed=None):
    """Per column: (attname, value when the row has none, is JSON), defaults resolved once."""
    fixed = fixed or {}
    out = []
    for attname, _, default, is_json in columns:
        if attname in fixed:
            out.append((None, fixed[attname], False))
            continue
        value = now if default is _NOW else default()
        out.append((attname, _value(value, is_json), is_json))
    return out


def _tuples(rows, templates):
    plain = [(attname, value) for attname, value, _ in templates]
    json_columns = [(i, attname) for i, (attname, _, is_json) in enumerate(templates) if is_json]
    for row in rows:
        out = [value if attname is None else row.get(attname, value) for attname, value in plain]
        for i, attname in json_columns:  # defaults are dumped already; the row's own values not yet
            if attname in row and row[attname] is not None:
                out[i] = json.dumps(row[attname])
        yield out


def copy_rows(model, rows: Sequence[Mapping[str, object]], *, now: dt.datetime) -> int:
    """COPY ``rows`` (dicts by attname, each with its ``id``; plain values: enums as their value)
    into ``model``'s table."""
    if not rows:
        return 0
    columns = _columns(model)
    names = [column for _, column, _, _ in columns]
    return _copy(model._meta.db_table, names, _tuples(rows, _templates(columns, now)))


def copy_history(
    model,
    rows: Sequence[Mapping[str, object]],
    *,
    history_type: str,
    user=None,
    reason: str = "",
    now: dt.datetime,
) -> int:
    """One django-simple-history row per row (the row's state as given: dicts by attname, complete
    for the tracked fields), as ``bulk_history_create`` writes them, in one COPY."""
    if not rows:
        return 0
    historical = model.history.model
    fixed = {
        "history_date": now,
        "history_change_reason": reason or None,
        "history_type": history_type,
        "history_user_id": getattr(user, "pk", None),
    }
    # The historical model copies created_at / updated_at without auto_now: use the row's times.
    auto = {attname for attname, _, default, _ in _columns(model) if default is _NOW}
    columns = [
        (attname, column, _NOW if attname in auto else default, is_json)
        for attname, column, default, is_json in _columns(historical)
        if attname != "history_id"
    ]
    names = [column for _, column, _, _ in columns]
    return _copy(historical._meta.db_table, names, _tuples(rows, _templates(columns, now, fixed)))


def model_row(obj: models.Model) -> dict[str, object]:
    """A saved instance as a row dict (for :func:`copy_history` of rows changed through the ORM)."""
    return {attname: _plain(getattr(obj, attname)) for attname, _, _, _ in _columns(type(obj))}


def _plain(value):
    return value.value if isinstance(value, enum.Enum) else value
