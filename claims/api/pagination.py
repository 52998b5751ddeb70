"""Pagination: keyset cursors for the long lists, page numbers where counting is cheap.

`KeysetCursorPagination` orders by one sort key plus the primary key as tie-breaker, and the next
page is `WHERE (key, id) after (last key, last id)`: an index range scan, no OFFSET and no
COUNT(*), and stable while rows are inserted. Null sort keys (e.g. a claim without a first-seen
date) sort where PostgreSQL puts them (first when descending, last when ascending).
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.db.models import Q
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from claims import compiled


class StandardPageNumberPagination(PageNumberPagination):
    """For small tables (sources, measures, topics, ratings): counting them is cheap."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _encode_value(value):
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    return value


def _decode_value(value):
    if isinstance(value, dict):
        if "dt" in value:
            return datetime.fromisoformat(value["dt"])
        if "d" in value:
            return date.fromisoformat(value["d"])
        if "n" in value:
            return Decimal(value["n"])
    return value


class KeysetCursorPagination(BasePagination):
    """Opaque `cursor` links over (sort key, id); the view's ordering must be `[key, id]`-shaped.

    The ordering comes from the view's `get_keyset_ordering(request)`, which returns
    (field, descending) — `field` may be an annotation such as a search rank.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_param = "cursor"
    invalid_cursor_message = "Invalid cursor."

    def _position(self, request, view):
        self.request = request
        self.page_size_value = self._page_size(request)
        self.field, self.descending = view.get_keyset_ordering(request)
        return self._decode_cursor(request)

    def paginate_queryset(self, queryset, request, view=None):
        cursor = self._position(request, view)
        field, descending = self.field, self.descending
        queryset = queryset.order_by(*self._order_by(field, descending))
        try:
            if cursor is not None:
                queryset = queryset.filter(self._after(field, descending, *cursor))
            rows = list(queryset[: self.page_size_value + 1])
        except (DjangoValidationError, DataError, TypeError, ValueError):
            if cursor is None:
                raise
            raise NotFound(self.invalid_cursor_message) from None  # a forged position value
        self.has_next = len(rows) > self.page_size_value
        self.page = rows[: self.page_size_value]
        return self.page

    def paginate_compiled(self, request, view, key: tuple, model, values_queryset, parameters=None, prepare=True):
        """`paginate_queryset` for the hot unfiltered reads: the page query (`values_queryset()`,
        ordered, after the cursor, sliced) is compiled once per key, ordering, kind of cursor and
        page size (`claims/compiled.py`), then re-run with each cursor's values. The same SQL as
        `paginate_queryset` builds; `key` must capture what else the queryset depends on (the
        user's `visibility_key`). `parameters` ({name: (marker, value)}) are further values
        `values_queryset(**markers)` takes, such as a search text; `prepare` as in
        `compiled.compiled`."""
        parameters = parameters or {}
        cursor = self._position(request, view)
        field, descending = self.field, self.descending
        limit = self.page_size_value + 1
        values = {name: value for name, (_marker, value) in parameters.items()}
        if cursor is None:
            kind = "first"
        else:
            value, values["pk"] = cursor
            kind = "after-null" if value is None or field == "id" else "after"
            if kind == "after":
                values["value"] = self._prepared_cursor_value(model, field, value)

        def build(pk=None, value=None, **extra):
            queryset = values_queryset(**extra).order_by(*self._order_by(field, descending))
            if kind != "first":
                queryset = queryset.filter(self._after(field, descending, value, pk))
            return queryset[:limit]

        if kind == "first":
            markers = {}
        elif kind == "after-null":
            markers = {"pk": compiled.INT}
        else:
            value_marker = {datetime: compiled.DATETIME, date: compiled.DATE, float: compiled.FLOAT}[
                type(values["value"])
            ]
            markers = {"pk": compiled.INT, "value": value_marker}
        markers.update({name: marker for name, (marker, _value) in parameters.items()})
        query = compiled.compiled(
            (*key, field, descending, kind, type(values.get("value")), limit), build, prepare=prepare, **markers
        )
        try:
            rows = query.run(**values)
        except (DataError, TypeError, ValueError):
            if cursor is None:
                raise
            raise NotFound(self.invalid_cursor_message) from None
        self.has_next = len(rows) > self.page_size_value
        self.page = rows[: self.page_size_value]
        return self.page

    def _prepared_cursor_value(self, model, field, value):
        """The cursor's sort value as the ORM would pass it to the database (`first_seen` a
        date, `created_at` an aware datetime; an annotation such as a search `rank` a float); a
        forged value is a 404, as in `paginate_queryset`."""
        from django.db import connection

        try:
            model_field = model._meta.get_field(field)
        except FieldDoesNotExist:  # an annotation: the only one a cursor orders by is a float rank
            if type(value) is not float:
                raise NotFound(self.invalid_cursor_message) from None
            return value
        try:
            prepared = model_field.get_db_prep_value(model_field.get_prep_value(value), connection, prepared=True)
        except (DjangoValidationError, TypeError, ValueError):
            raise NotFound(self.invalid_cursor_message) from None
        if type(prepared) not in (date, datetime):
            raise NotFound(self.invalid_cursor_message)
        return prepared

    def _page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise ValidationError({self.page_size_query_param: "A whole number is required."}) from None
        if size < 1:
            raise ValidationError({self.page_size_query_param: "Must be at least 1."})
        return min(size, self.max_page_size)

    @staticmethod
    def _order_by(field, descending):
        """PostgreSQL's own null placement (first when descending, last when ascending), so that
        a plain B-tree index on the key serves both directions."""
        if field == "id":
            return ["-id" if descending else "id"]
        return [f"-{field}" if descending else field, "-id" if descending else "id"]

    @staticmethod
    def _after(field, descending, value, pk) -> Q:
        """Rows strictly after (value, pk) in that ordering."""
        id_after = Q(id__lt=pk) if descending else Q(id__gt=pk)
        if field == "id":
            return id_after
        is_null = Q(**{f"{field}__isnull": True})
        if value is None:
            # Nulls come first when descending (then every non-null row follows), last when ascending.
            return (is_null & id_after) | ~is_null if descending else is_null & id_after
        beyond = Q(**{f"{field}__{'lt' if descending else 'gt'}": value}) | (Q(**{field: value}) & id_after)
        if descending:
            # The redundant `key <= value` bounds the index scan on (key DESC, id DESC): without it
            # the OR is a filter, and a page deep in the archive read ~450,000 index entries first.
            return Q(**{f"{field}__lte": value}) & beyond
        return beyond | is_null

    def _decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            payload = json.loads(base64.urlsafe_b64decode(encoded.encode("ascii")).decode("utf-8"))
            key = payload["k"]
            if key != [self.field, self.descending]:
                raise ValueError("cursor made for another ordering")
            return _decode_value(payload["v"]), int(payload["id"])
        except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error):
            raise NotFound(self.invalid_cursor_message) from None

    def _encode_cursor(self, row) -> str:
        if isinstance(row, dict):  # a `values()` page
            value, pk = (None if self.field == "id" else row[self.field]), row["id"]
        else:
            value, pk = (None if self.field == "id" else getattr(row, self.field)), row.pk
        payload = {"k": [self.field, self.descending], "v": _encode_value(value), "id": pk}
        raw = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        return base64.urlsafe_b64encode(raw).decode("ascii")

    def get_next_link(self):
        if not self.has_next or not self.page:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self._encode_cursor(self.page[-1]))

    def get_first_link(self):
        return remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "first": self.get_first_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri", "description": "The next page."},
                "first": {"type": "string", "format": "uri", "description": "The first page."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position from a `next` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page (1-{self.max_page_size}, default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
