"""The one way the API's claim reads execute: SQL compiled once per shape, re-run with new values.

Building and compiling a `values()` queryset with joins and subqueries costs 1–2 ms of Python per
request, and planning it in PostgreSQL as much again, while the claim list and detail ask the same
question each time with different values: another cursor position, another slug, another search
text. `compiled(key, build, **markers)` calls `build(**markers)` for a `key` it has not seen, with
unique marker values standing in for those values, compiles the queryset with Django's compiler
and remembers where the markers landed among the SQL parameters; `run(**values)` executes that SQL
with the real values in those places and returns the rows as `values()` dicts. Every request of
those endpoints goes through here, whatever its parameters: the key holds everything else the
queryset depends on (visibility, validated filters, ordering, kind of cursor, page size), so a
request unlike any before is compiled once and then kept like the others (least recently used
shapes are dropped beyond `LIMIT`).

The SQL is the ORM's, built from the same selectors (visibility from `visible_to`), and runs on the
database the router picks (a read replica for an anonymous request, factcheck/replicas.py). With
`prepare` the statement goes to PostgreSQL with server-side parameters (psycopg's `Cursor`), so
psycopg prepares it once per connection (`prepare_threshold` in the database OPTIONS) and the plan
is reused: planning these joins and subqueries took longer than running them.
"""

from __future__ import annotations

import datetime as _dt
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import psycopg
from django.core.exceptions import EmptyResultSet
from django.db import connections, router
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


def marker_for(value):
    """The marker standing in for a keyset cursor's sort value (a date, a time or a rank)."""
    return {_dt.datetime: DATETIME, _dt.date: DATE, float: FLOAT}[type(value)]


LIMIT = 500  # shapes kept per process


class CompiledQuery:
    def __init__(self, queryset: QuerySet, markers: dict[str, Any], *, prepare: bool = True):
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # a filter that can match nothing (`none()`): no SQL, no rows
            self.sql = None
            return
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
        if self.sql is None:
            return []
        params = self.params.copy()
        for index, name in self.slots:
            params[index] = values[name]
        connection = connections[router.db_for_read(self.model)]
        connection.ensure_connection()
        with connection.wrap_database_errors:
            # psycopg's own cursor binds on the server (and so can prepare); the connection's
            # default one binds on the client, as Django's queries do.
            raw_cursor = psycopg.Cursor(connection.connection) if self.prepare else connection.create_cursor()
        # Django's cursor wrapper around it: query logging, execute wrappers and error mapping.
        wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
        with wrap(raw_cursor) as cursor:
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


_cache: OrderedDict[tuple, CompiledQuery] = OrderedDict()
_lock = threading.Lock()


def compiled(key: tuple, build: Callable[..., QuerySet], *, prepare: bool = True, **markers) -> CompiledQuery:
    """The compiled form of `build(**markers)` (a `values()` queryset) for this key.

    `prepare=False` binds the values on the client instead, so PostgreSQL plans each call with
    the real values: right where a generic plan would be worse than planning, such as a full-text
    search, whose `websearch_to_tsquery(…, $1)` a generic plan cannot fold into a constant and so
    parses again for every matching row (the common words: 2× slower)."""
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    found = CompiledQuery(build(**markers), markers, prepare=prepare)
    with _lock:
        _cache[key] = found
        while len(_cache) > LIMIT:
            _cache.popitem(last=False)
    return found
