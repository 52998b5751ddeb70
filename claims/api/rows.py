"""Claim list items built from plain rows: the hot read path without DRF serializers.

At a million claims the SQL of a page of 50 claims takes 1–5 ms, and nested DRF serializers over
model instances took another 50 ms (field objects per value, `reverse()` per link, five model
instances per claim). Here one `values()` query (the selector's queryset, so filters, visibility
and keyset ordering are unchanged) yields dicts, and small functions shape each item exactly as
`ClaimSerializer` does; that serializer stays the schema's description of the same shape.
Scalar values go through the same DRF field classes, so dates, times and versions are identical.
"""

from __future__ import annotations

import re

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, QuerySet
from django.utils.timezone import get_current_timezone as _current_timezone
from rest_framework import serializers
from rest_framework.reverse import reverse

from claims.models import Topic

_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z").match
_SLUG = "__slug__"  # a placeholder reversed once per request, then replaced per row
_DATE = serializers.DateField()

CLAIM_LIST_FIELDS = (
    "id",
    "slug",
    "text",
    "status",
    "first_seen",
    "updated_at",
    "appearances_count",
    "figures_count",
    "claimant__slug",
    "claimant__name",
    "claimant__kind",
    "published_verdict__summary",
    "published_verdict__published_at",
    "published_verdict__rating__slug",
    "published_verdict__rating__label",
    "published_verdict__rating__ordinal",
    "published_verdict__rating__colour",
    "topic_slugs",
    "topic_names",
)


def _topics(field: str) -> ArraySubquery:
    return ArraySubquery(Topic.objects.filter(claims=OuterRef("pk")).order_by("name", "id").values(field))


def claim_list_values(queryset: QuerySet, *extra: str) -> QuerySet:
    """The selector's claim queryset as dicts: joined columns, counts, and topics as two arrays
    (in Topic's order), so a page is one query."""
    extra = tuple(name for name in extra if name not in CLAIM_LIST_FIELDS)
    topics = {"topic_slugs": _topics("slug"), "topic_names": _topics("name")}
    return queryset.prefetch_related(None).annotate(**topics).values(*CLAIM_LIST_FIELDS, *extra)


class UrlMaker:
    """Absolute URLs per slug from one `reverse()` per route and request. `formatted` links carry
    the request's format suffix, as DRF's hyperlinked fields do."""

    def __init__(self, request, format=None):
        self.request = request
        self.format = format
        self._templates: dict[tuple[str, bool], tuple[str, str]] = {}

    def _reverse(self, view_name: str, slug: str, formatted: bool) -> str:
        if view_name.startswith("api:"):
            return reverse(
                view_name, kwargs={"slug": slug}, request=self.request, format=self.format if formatted else None
            )
        return self.request.build_absolute_uri(reverse(view_name, kwargs={"slug": slug}))

    def __call__(self, view_name: str, slug: str, formatted: bool = False) -> str:
        if not _PLAIN_SLUG(slug):
            return self._reverse(view_name, slug, formatted)  # needs percent-encoding: rare
        template = self._templates.get((view_name, formatted))
        if template is None:
            url = self._reverse(view_name, _SLUG, formatted)
            template = self._templates[(view_name, formatted)] = tuple(url.split(_SLUG, 1))
        return f"{template[0]}{slug}{template[1]}"


def _datetime(value):
    """DRF's ISO 8601 form: in the current time zone, `Z` for UTC (its field costs ~4 µs a call)."""
    if value is None:
        return None
    text = value.astimezone(_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _date(value):
    return None if value is None else _DATE.to_representation(value)


def version_of(updated_at) -> int:
    """`services.row_version` for a row fetched as a dict."""
    return int(updated_at.timestamp() * 1_000_000)


def claim_item(row: dict, urls: UrlMaker) -> dict:
    """One claim in a list, the shape of `ClaimSerializer`."""
    slug = row["slug"]
    claimant_slug = row["claimant__slug"]
    rating_slug = row["published_verdict__rating__slug"]
    return {
        "url": urls("api:claim-detail", slug, formatted=True),
        "id": row["id"],
        "slug": slug,
        "text": row["text"],
        "claimant": None
        if claimant_slug is None
        else {
            "url": urls("api:source-detail", claimant_slug, formatted=True),
            "slug": claimant_slug,
            "name": row["claimant__name"],
            "kind": row["claimant__kind"],
        },
        "status": row["status"],
        "rating": None
        if rating_slug is None
        else {
            "slug": rating_slug,
            "label": row["published_verdict__rating__label"],
            "ordinal": row["published_verdict__rating__ordinal"],
            "colour": row["published_verdict__rating__colour"],
        },
        "verdict_summary": row["published_verdict__summary"],
        "verdict_published_at": _datetime(row["published_verdict__published_at"]),
        "first_seen": _date(row["first_seen"]),
        "topics": [{"slug": s, "name": n} for s, n in zip(row["topic_slugs"], row["topic_names"], strict=True)],
        "appearances_count": row["appearances_count"],
        "figures_count": row["figures_count"],
        "version": version_of(row["updated_at"]),
        "links": {
            "web": urls("claims:claim-detail", slug),
            "claimreview": urls("api:claim-claimreview", slug),
        },
    }
