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
from typing import NamedTuple

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


def requested_page_size(request, *, parameter: str, default: int, maximum: int) -> int:
    """`page_size` from the query: a whole number from 1 to `maximum`, else a 400 that names the
    limit (one rule for every list; a size over the limit is refused, not quietly cut)."""
    raw = request.query_params.get(parameter)
    if raw is None:
        return default
    try:
        size = int(raw)
    except ValueError:
        raise ValidationError({parameter: [_("A whole number is required.")]}) from None
    if size < 1:
        raise ValidationError({parameter: [_("Must be at least 1.")]})
    if size > maximum:
        raise ValidationError({parameter: [_("At most %(maximum)d per page.") % {"maximum": maximum}]})
    return size


class StandardPageNumberPagination(PageNumberPagination):
    """For small tables (sources, measures, topics, ratings): counting them is cheap."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        return requested_page_size(
            request, parameter=self.page_size_query_param, default=self.page_size, maximum=self.max_page_size
        )

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = f"Results per page (1-{self.max_page_size}, default {self.page_size})."
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return parameters


def _encode_value(value):
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    return value


def _decode_value(value):
    """The sort value a cursor carries; a malformed one raises ValueError (answered 400)."""
    if isinstance(value, dict):
        if len(value) != 1:
            raise ValueError("a tagged value has one key")
        ((tag, text),) = value.items()
        if tag not in ("dt", "d", "n") or not isinstance(text, str):
            raise ValueError("unknown tagged value")
        if tag == "dt":
            return datetime.fromisoformat(text)
        if tag == "d":
            return date.fromisoformat(text)
        try:
            number = Decimal(text)
        except ArithmeticError:  # decimal.InvalidOperation is not a ValueError
            raise ValueError("not a number") from None
        if not number.is_finite():
            raise ValueError("not a finite number")
        return number
    if value is None or type(value) in (float, int, str):  # the field's own type is checked next
        return value
    raise ValueError("a sort value is null, a tagged value, a number or a text")


def _refuse_constant(name):
    raise ValueError(f"{name} is not a position")


# A real cursor is under 200 characters; the bound keeps a forged one from costing a deep parse.
MAX_CURSOR_LENGTH = 1000
# PostgreSQL's bigint: a larger id could only ever reach the database as an error.
MAX_ID = 2**63 - 1


# The Python type a cursor's sort value must have for each kind of ordering field (the reader's
# index pages order by names and counts, the API by dates, times and scores).
CURSOR_VALUE_TYPES = {
    "DateField": date,
    "DateTimeField": datetime,
    "DecimalField": Decimal,
    "CharField": str,
    "SlugField": str,
    "TextField": str,
    "IntegerField": int,
    "PositiveIntegerField": int,
    "PositiveSmallIntegerField": int,
    "SmallIntegerField": int,
    "BigIntegerField": int,
    "FloatField": float,
}


class Position(NamedTuple):
    """Where a keyset page starts: at the `first` row, `after` (value, pk), or `after-null` (a
    null sort value, or an ordering by id alone: pk only); `size` rows."""

    kind: str
    value: object
    pk: int | None
    size: int


class KeysetCursorPagination(BasePagination):
    """Opaque `cursor` links over (sort key, id); the view's ordering must be `[key, id]`-shaped.

    The caller passes the ordering in as (field, descending) — `field` may be an annotation such
    as a search rank; the paginator never asks the view for it.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_param = "cursor"
    invalid_cursor_message = gettext_lazy("Invalid cursor: use a `next` link from this list as it is.")

    def _invalid_cursor(self) -> ValidationError:
        return ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})

    def position(self, request, model, field: str, descending: bool) -> Position:
        """Where the page starts, from the request's `cursor` and `page_size` (a 400 for a forged
        cursor or a bad size), for a list ordered by (`field`, id)."""
        cursor = self._decode_position_cursor(request, model, field, descending)
        if cursor is None:
            return Position("first", None, None, self.page_size_value)
        value, pk = cursor
        if value is None or field == "id":
            return Position("after-null", None, pk, self.page_size_value)
        return Position("after", self._prepared_cursor_value(model, field, value), pk, self.page_size_value)

    def page_queryset(self, queryset, position: Position, *, value=None, pk=None):
        """`queryset` ordered by (key, id), after the position, sliced to one row more than a
        page (that row says whether there is a next page). Nothing is executed. `value` and `pk`
        stand in for the position's own (the markers of a compiled query)."""
        field, descending = self.field, self.descending
        queryset = queryset.order_by(*self._order_by(field, descending))
        if position.kind != "first":
            after_value = None if position.kind == "after-null" else (position.value if value is None else value)
            queryset = queryset.filter(self._after(field, descending, after_value, position.pk if pk is None else pk))
        return queryset[: position.size + 1]

    def take(self, rows) -> list:
        """The page from the rows `page_queryset` fetched."""
        self.has_next = len(rows) > self.page_size_value
        self.page = list(rows[: self.page_size_value])
        return self.page

    def paginate_queryset(self, queryset, request, view=None, *, ordering: tuple[str, bool]):
        field, descending = ordering
        cursor = self._decode_position_cursor(request, queryset.model, field, descending)
        queryset = queryset.order_by(*self._order_by(field, descending))
        if cursor is not None:
            queryset = queryset.filter(self._after(field, descending, *cursor))
        start = self.first_row(request, cursor)
        return self.take(list(queryset[start : start + self.page_size_value + 1]))

    def _decode_position_cursor(self, request, model, field, descending):
        self.request = request
        self.page_size_value = self._page_size(request)
        self.field, self.descending = field, descending
        return self._decode_cursor(request, model)

    def first_row(self, request, cursor) -> int:
        """How many rows to pass over before the page: none (a list moves on by its cursor only);
        a subclass speaking another API's bounded `offset` says otherwise."""
        return 0

    def _prepared_cursor_value(self, model, field, value):
        """The cursor's (already checked) sort value as the ORM passes it to the database
        (`first_seen` a date, `created_at` an aware datetime; a search `rank` a float)."""
        from django.db import connection

        try:
            model_field = model._meta.get_field(field)
        except FieldDoesNotExist:  # an annotation: `_checked_value` let only a float rank through
            return value
        prepared = model_field.get_db_prep_value(model_field.get_prep_value(value), connection, prepared=True)
        if type(prepared) not in (date, datetime):
            raise self._invalid_cursor()
        return prepared

    def _page_size(self, request) -> int:
        return requested_page_size(
            request, parameter=self.page_size_query_param, default=self.page_size, maximum=self.max_page_size
        )

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

    def _decode_cursor(self, request, model):
        """(sort value, id) from the `cursor` parameter, checked here so that no forged cursor
        reaches the database: anything but a cursor this list made for this ordering is a 400."""
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            if len(encoded) > MAX_CURSOR_LENGTH:
                raise ValueError("too long")
            raw = base64.urlsafe_b64decode(encoded.encode("ascii")).decode("utf-8")
            payload = json.loads(raw, parse_constant=_refuse_constant)
            if not isinstance(payload, dict) or set(payload) != {"k", "v", "id"}:
                raise ValueError("not a cursor")
            if payload["k"] != [self.field, self.descending] or type(payload["k"][1]) is not bool:
                raise ValueError("cursor made for another ordering")
            pk = payload["id"]
            if type(pk) is not int or not -MAX_ID <= pk <= MAX_ID:
                raise ValueError("not an id")
            value = self._checked_value(model, _decode_value(payload["v"]))
        except (ValueError, TypeError, UnicodeError, RecursionError, binascii.Error, DjangoValidationError):
            raise self._invalid_cursor() from None
        return value, pk

    def _checked_value(self, model, value):
        """The cursor's sort value if it is one the ordering field can hold."""
        if self.field == "id" or value is None:
            return None if self.field == "id" else value
        try:
            model_field = model._meta.get_field(self.field)
        except FieldDoesNotExist:  # an annotation: the only one a cursor orders by is a float rank
            if type(value) is not float or value != value or value in (float("inf"), float("-inf")):
                raise ValueError("a rank is a finite number") from None
            return value
        expected = CURSOR_VALUE_TYPES.get(model_field.get_internal_type())
        # `datetime` is a `date` too: a date field's cursor holds a plain date.
        if expected is None or type(value) is not expected:
            raise ValueError("the value does not fit the ordering field")
        if expected is datetime and value.utcoffset() is None:
            raise ValueError("a cursor's time carries its offset")
        if expected is str and "\x00" in value:
            raise ValueError("no text column holds a NUL character")
        if expected is int and not -MAX_ID <= value <= MAX_ID:
            raise ValueError("the number does not fit the ordering field")
        if expected is float and (value != value or value in (float("inf"), float("-inf"))):
            raise ValueError("a cursor's number is finite")
        model_field.run_validators(value)
        return value

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
