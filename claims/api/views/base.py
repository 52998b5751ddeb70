"""What every API view shares: visibility-scoped querysets, ETags, and the optimistic-lock input."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from claims.api import rows
from claims.api.filtersets import FilterBackend, StrictOrderingFilter, parse_ordering
from claims.api.pagination import KeysetCursorPagination, StandardPageNumberPagination
from claims.api.permissions import IsReviewerOrReadOnly
from claims.querysets import can_see_unpublished

_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,20})"?\s*$')

IF_MATCH_PARAMETER = OpenApiParameter(
    name="If-Match",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        'The ETag you read (e.g. `"3"`); a stale value answers 412 and nothing changes. `*` matches any version.'
    ),
)


RATING_LANGUAGE_PARAMETER = OpenApiParameter(
    name="language",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.QUERY,
    required=False,
    description=(
        "The language to name ratings in (`reviewRating.alternateName`), e.g. `fa`; default: Accept-Language, "
        "then English. The review's `inLanguage` stays the claim's own."
    ),
)


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(request, body_version: int | None) -> int | None:
    """The version the client read: the `If-Match` header wins over a `version` in the body.
    `If-Match: *` matches any current version (RFC 9110), so nothing is checked."""
    header = request.headers.get("If-Match")
    if header is None:
        return body_version
    if header.strip() == "*":
        return None
    match = _ETAG.match(header)
    if match is None:
        raise ValidationError({"If-Match": [_('Send the ETag you read, e.g. "3".')]})
    return int(match.group(1))


class ApiViewSet(viewsets.GenericViewSet):
    """Read for everyone (scoped by `visible_to` in `get_queryset`), write for reviewers."""

    permission_classes = [IsReviewerOrReadOnly]
    pagination_class = StandardPageNumberPagination
    filter_backends = [FilterBackend, StrictOrderingFilter]
    ordering_fields: list[str] = []

    def selector(self, user):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def get_queryset(self):
        return self.selector(self.request.user)

    def retrieve_response_headers(self, instance) -> dict:
        return {}


class KeysetViewSet(ApiViewSet):
    """A long list: keyset cursor pagination over (ordering field, id)."""

    pagination_class = KeysetCursorPagination
    keyset_paginated = True
    default_keyset_ordering: tuple[str, bool] = ("id", True)

    def get_keyset_ordering(self, request) -> tuple[str, bool]:
        fields = parse_ordering(request.query_params.get("ordering", ""), self.ordering_fields)
        if not fields:
            return self.default_keyset_ordering
        key = fields[0]
        field, descending = key.lstrip("-"), key.startswith("-")
        # Cursors order by (key, id) in one direction, so an index serves every page: the only
        # second field there can be is that id, and anything else is refused rather than dropped.
        tie = "-id" if descending else "id"
        if fields[1:] and (field == "id" or fields[1:] != [tie]):
            raise ValidationError(
                {
                    "ordering": [
                        _("This list orders by one field, then id the same way: %(key)s or %(key)s,%(tie)s.")
                        % {"key": key, "tie": tie}
                    ]
                }
            )
        return field, descending

    def paginate_queryset(self, queryset):
        """One keyset page in the ordering this request asks for (the paginator is told it)."""
        return self.paginator.paginate_queryset(
            queryset, self.request, view=self, ordering=self.get_keyset_ordering(self.request)
        )


class RowShapedMixin:
    """A keyset list, detail and write answers produced from plain rows by `claims/api/rows.py`,
    the one producer of the shape (the claim detail nests the same items). `serializer_class`
    only documents it in the OpenAPI document.

    `row_values(queryset, *extra)` turns the filtered, visible queryset into rows (one query),
    `row_item(row, urls, staff)` shapes one, `row_etag(row)` is its version."""

    row_values = None
    row_item = None

    @staticmethod
    def row_etag(row) -> int:
        return rows.version_of(row["updated_at"])

    def _items(self, page) -> list[dict]:
        urls = rows.UrlMaker(self.request, self.format_kwarg)
        staff = can_see_unpublished(self.request.user)
        return [type(self).row_item(row, urls, staff) for row in page]

    def list(self, request, *args, **kwargs):
        field, _descending = self.get_keyset_ordering(request)
        queryset = type(self).row_values(self.filter_queryset(self.get_queryset()), field)
        return self.get_paginated_response(self._items(self.paginate_queryset(queryset)))

    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object())

    def _respond(self, instance, code=status.HTTP_200_OK):
        row = type(self).row_values(self.get_queryset().filter(pk=instance.pk)).get()
        return Response(self._items([row])[0], status=code, headers={"ETag": etag(self.row_etag(row))})
