"""Write our published verdicts as schema.org ClaimReview JSON-LD and DataFeeds.

The input is :class:`ExportableReview`, plain data the caller fills from the database (only
published verdicts: visibility is the caller's job). The output is what Google's Fact Check
Tools and Data Commons read, and what :func:`normalise_review` reads back unchanged: claim text,
review URL, rating, claimant, appearances and dates survive a round trip.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from .normalise import AppearanceRef, schema_types
from .ratings import RATING_ORDINALS

SCHEMA_CONTEXT = "https://schema.org"

# Our Source kinds (claims.choices.SourceKind values) -> schema.org types for itemReviewed.author.
SCHEMA_TYPE_BY_KIND = {
    "person": "Person",
    "anonymous": "Person",
    "outlet": "NewsMediaOrganization",
    "government": "GovernmentOrganization",
    "organisation": "Organization",
}
_STREAM_CHUNK_CHARS = 64 * 1024  # batch feed elements into chunks of about this size


@dataclass
class ExportableReview:
    """One published verdict on one claim, as plain data ready to be written as ClaimReview."""

    claim_text: str
    review_url: str  # the public page carrying the verdict (ClaimReview "url")
    rating_slug: str  # one of ratings.RATING_SLUGS
    rating_label: str  # shown to readers, e.g. "Mostly false"
    organisation_name: str  # the fact-checker publishing the review
    organisation_url: str
    rating_ordinal: int | None = None  # 1..5; derived from rating_slug when None
    claim_slug: str | None = None  # written as itemReviewed.identifier
    claim_url: str | None = None  # our claim page, written as itemReviewed.url
    claimant_name: str | None = None
    claimant_kind: str | None = None  # a claims.choices.SourceKind value
    claimant_url: str | None = None
    appearances: Sequence[AppearanceRef] = field(default_factory=tuple)
    first_seen: dt.date | None = None
    published: dt.date | dt.datetime | None = None
    summary: str | None = None
    language: str | None = None

    def __post_init__(self):
        # Accept plain URLs, (url, title) pairs and dicts too: callers build these from rows.
        self.appearances = tuple(_as_appearance(appearance) for appearance in self.appearances)


def _as_appearance(value: object) -> AppearanceRef:
    if isinstance(value, AppearanceRef):
        return value
    if isinstance(value, str):
        return AppearanceRef(value)
    if isinstance(value, Mapping):
        headline = value.get("headline", value.get("title"))
        return AppearanceRef(value["url"], headline, value.get("date_published"))
    url, headline = value
    return AppearanceRef(url, headline)


def _as_exportable(review: ExportableReview | Mapping) -> ExportableReview:
    return review if isinstance(review, ExportableReview) else ExportableReview(**review)


def _iso(value: dt.date | dt.datetime | str | None) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


def _compact(node: dict) -> dict:
    """Leave out members with no value: schema.org readers prefer absent to null."""
    return {key: value for key, value in node.items() if value not in (None, "", [], {})}


def build_claimreview(review: ExportableReview | Mapping) -> dict:
    """The ClaimReview JSON-LD object for one verdict."""
    review = _as_exportable(review)
    ordinal = review.rating_ordinal
    if ordinal is None:
        ordinal = RATING_ORDINALS.get(review.rating_slug)
    rating = {"@type": "Rating"}
    if ordinal is not None and review.rating_slug != "unverifiable":
        rating |= {"ratingValue": ordinal, "bestRating": 5, "worstRating": 1}
    rating["alternateName"] = review.rating_label
    claimant = None
    if review.claimant_name or review.claimant_url:
        claimant = _compact(
            {
                "@type": SCHEMA_TYPE_BY_KIND.get(review.claimant_kind or "", "Organization"),
                "name": review.claimant_name,
                "url": review.claimant_url,
            }
        )
    appearances = [
        _compact(
            {
                "@type": "CreativeWork",
                "url": appearance.url,
                "headline": appearance.headline,
                "datePublished": _iso(appearance.date_published),
            }
        )
        for appearance in review.appearances
    ]
    claim = _compact(
        {
            "@type": "Claim",
            "identifier": review.claim_slug,
            "url": review.claim_url,
            "author": claimant,
            "datePublished": _iso(review.first_seen),
            "appearance": appearances,
        }
    )
    return _compact(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "ClaimReview",
            "url": review.review_url,
            "datePublished": _iso(review.published),
            "inLanguage": review.language,
            "author": _compact(
                {
                    "@type": "Organization",
                    "name": review.organisation_name,
                    "url": review.organisation_url,
                }
            ),
            "claimReviewed": review.claim_text,
            "description": review.summary,
            "itemReviewed": claim,
            "reviewRating": rating,
        }
    )


def _as_claimreview(item: ExportableReview | Mapping) -> dict:
    """Accept ready ClaimReview dicts as well as reviews still to be built."""
    if isinstance(item, Mapping) and "ClaimReview" in schema_types(item):
        return dict(item)
    return build_claimreview(item)


def _feed_element(claimreview: dict) -> dict:
    return _compact(
        {
            "@type": "DataFeedItem",
            "dateCreated": claimreview.get("datePublished"),
            "item": [claimreview],
        }
    )


def _feed_header(name: str, url: str, date_modified: dt.date | dt.datetime | str | None) -> dict:
    return _compact(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "DataFeed",
            "name": name,
            "url": url,
            "dateModified": _iso(date_modified),
        }
    )


def build_datafeed(
    items: Iterable[ExportableReview | Mapping],
    *,
    name: str,
    url: str,
    date_modified: dt.date | dt.datetime | str | None = None,
) -> dict:
    """A whole schema.org DataFeed in memory; for large exports use stream_datafeed_json."""
    feed = _feed_header(name, url, date_modified)
    feed["dataFeedElement"] = [_feed_element(_as_claimreview(item)) for item in items]
    return feed


def stream_datafeed_json(
    items: Iterable[ExportableReview | Mapping],
    *,
    name: str,
    url: str,
    date_modified: dt.date | dt.datetime | str | None = None,
) -> Iterator[str]:
    """The DataFeed of build_datafeed as JSON text chunks, holding one chunk in memory at a time.

    Suits Django's StreamingHttpResponse or writing to a file; the chunks joined are exactly
    ``json.dumps(build_datafeed(...), ensure_ascii=False)`` in content.
    """
    header = json.dumps(_feed_header(name, url, date_modified), ensure_ascii=False)
    pending = [header[:-1] + ', "dataFeedElement": [']
    size = len(pending[0])
    separator = ""
    for item in items:
        element = json.dumps(_feed_element(_as_claimreview(item)), ensure_ascii=False)
        pending.append(separator + element)
        size += len(element) + len(separator)
        separator = ", "
        if size >= _STREAM_CHUNK_CHARS:
            yield "".join(pending)
            pending, size = [], 0
    pending.append("]}")
    yield "".join(pending)
