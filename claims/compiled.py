"""Querysets compiled to SQL once per process and shape, then re-run with new parameter values.

Building and compiling a `values()` queryset with joins and subqueries costs 1–2 ms of Python per
request (about as much as PostgreSQL takes to answer it), and the hot API reads ask the same
question each time with different values: another cursor position, another slug, another claim
id. `compiled(key, build, **markers)` calls `build(**markers)` once for each `key`, with unique
marker values standing in for the parameters, compiles the queryset with Django's own compiler,
and remembers where the markers landed among the SQL parameters. `run(**values)` executes the
same SQL with the real values in those places, and returns the rows as `values()` dicts. The
statement is sent with server-side parameters, so PostgreSQL can keep it prepared per connection
(see `_server_binding_cursor`).

So the SQL is still the ORM's, built from the same selectors (visibility from `visible_to` in
`claims/querysets.py`); what the key must capture is everything the queryset's shape depends on
besides the marked values — for visibility, `querysets.visibility_key(user)`. A compiled query
runs on the database the router picks for each run (a read replica for an anonymous request, see
factcheck/replicas.py): the replicas have the primary's schema, so the SQL is the same.
"""

from __future__ import annotations

import datetime as _dt
import threading
from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.models import QuerySet

# Marker values: unlikely to collide with a parameter the queryset itself carries, and unchanged by
# the fields' `get_db_prep_value` (an int stays an int, a str a str, a date a date).
INT = -1_301_942_519  # inside the int4 range: Django drops out-of-range integer lookups
TEXT = "\x1ecompiled-marker\x1e"
# Further text parameters of one query (a search's languages beside its text).
TEXT_2 = "\x1ecompiled-marker-2\x1e"
TEXT_3 = "\x1ecompiled-marker-3\x1e"
DATE = _dt.date(1, 1, 3)
DATETIME = _dt.datetime(1, 1, 3, 0, 0, 7, 1234, tzinfo=_dt.UTC)
FLOAT = -1_301_942.519  # a search rank is never negative

_LIMIT = 500  # shapes per process; beyond it new shapes are compiled per call, never stored


class CompiledQuery:
    def __init__(self, queryset: QuerySet, markers: dict[str, Any], *, prepare: bool = True):
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        params = list(params)
        slots: list[tuple[int, str]] = []
        for index, param in enumerate(params):
            for name, marker in markers.items():
                if type(param) is type(marker) and param == marker:
                    slots.append((index, name))
        missing = set(markers) - {name for _index, name in slots}
        if missing:
            raise ValueError(f"markers not found among the SQL parameters: {sorted(missing)}")
        # The fields' `from_db_value` and the backend's converters, applied as the ORM does.
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        self.converters = [(position, tuple(funcs), expression) for position, (funcs, expression) in converters.items()]
        self.model = queryset.model
        self.prepare = prepare
        self.sql = sql
        self.params = params
        self.slots = slots
        if query.selected:
            self.names = list(query.selected)
        else:  # as `ValuesIterable` names the columns
            self.names = [*query.extra_select, *query.values_select, *query.annotation_select]

    def run(self, **values) -> list[dict]:
        params = self.params.copy()
        for index, name in self.slots:
            params[index] = values[name]
        connection = connections[router.db_for_read(self.model)]
        connection.ensure_connection()
        with connection.wrap_database_errors:
            raw_cursor = _server_binding_cursor(connection) if self.prepare else connection.create_cursor()
        # Django's cursor wrapper around it: query logging, execute wrappers and error mapping.
        with connection._prepare_cursor(raw_cursor) as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        names = self.names
        if self.converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for position, funcs, expression in self.converters:
                    value = row[position]
                    for func in funcs:
                        value = func(value, expression, connection)
                    row[position] = value
        return [dict(zip(names, row, strict=True)) for row in rows]


def _server_binding_cursor(connection):
    """A psycopg cursor with server-side parameters: with `prepare_threshold` set (the
    `DATABASE_PREPARED_STATEMENTS` setting, on by default), psycopg prepares each compiled query
    once per connection and PostgreSQL reuses its plan. Planning these joins and subqueries took
    longer than running them (0.2–0.9 ms each, against 0.03–0.3 ms of execution). Django's own
    cursors bind parameters on the client and never prepare."""
    return ServerBindingCursor(connection.connection)


_cache: dict[tuple, CompiledQuery] = {}
_lock = threading.Lock()


def compiled(key: tuple, build: Callable[..., QuerySet], *, prepare: bool = True, **markers) -> CompiledQuery:
    """The compiled form of `build(**markers)` (a `values()` queryset) for this key.

    `prepare=False` binds the values on the client instead, so PostgreSQL plans each call with
    the real values: right where a generic plan would be worse than planning, such as a full-text
    search, whose `websearch_to_tsquery(…, $1)` a generic plan cannot fold into a constant and so
    parses again for every matching row (the common words: 2× slower)."""
    found = _cache.get(key)
    if found is None:
        found = CompiledQuery(build(**markers), markers, prepare=prepare)
        with _lock:
            if len(_cache) < _LIMIT:
                _cache[key] = found
    return found
