"""What every API view shares: visibility-scoped querysets, ETags, and the optimistic-lock input."""

from __future__ import annotations

import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from claims.api.filtersets import FilterBackend, StrictOrderingFilter
from claims.api.pagination import KeysetCursorPagination, StandardPageNumberPagination
from claims.api.permissions import IsReviewerOrReadOnly

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
        raise ValidationError({"If-Match": ['Send the ETag you read, e.g. "3".']})
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
        raw = request.query_params.get("ordering", "").strip()
        if raw:
            first = raw.split(",")[0].strip()
            return first.lstrip("-"), first.startswith("-")
        return self.default_keyset_ordering
