"""Export published verdicts as ClaimReview (DataFeed or JSON Lines), streaming from the database.

Rows become ClaimReview through ``claims.selectors._exportable``, the mapping the API DataFeed
uses, so the command and /api/v1/claimreview/feed/ write the same reviews. What
:mod:`claims.claimreview` writes is read back by the importer unchanged: importing an export
reproduces the same claims (text, slug as ``itemReviewed.identifier``), ratings, claimants,
appearances and review URLs (the review URL of a verdict written here is its claim page under
FACTCHECK_SITE_URL: stable across corrections, so a consumer's re-import updates its copy). Only
what readers may see is exported (``visible_to``); demo verdicts (``is_example``) follow
FACTCHECK_EXPORT_EXAMPLE_REVIEWS unless asked for explicitly.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

import orjson
from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from claims.claimreview import ExportableReview, build_claimreview, stream_datafeed_json
from claims.models import Appearance, Verdict
from claims.selectors import _exportable

CHUNK_ROWS = 500


def site_url() -> str:
    return settings.FACTCHECK_SITE_URL.rstrip("/")


def exported_verdicts(*, include_examples: bool | None = None, own_only: bool = False) -> QuerySet[Verdict]:
    """The current published verdicts that readers may see, with what an export needs
    (a fixed number of queries per chunk when iterated with ``.iterator(chunk_size=...)``).
    ``own_only`` leaves out imported reviews (our DataFeed lists only what we wrote)."""
    if include_examples is None:
        include_examples = settings.FACTCHECK_EXPORT_EXAMPLE_REVIEWS
    verdicts = Verdict.objects.visible_to(None).published()
    if own_only:
        verdicts = verdicts.own()
    if not include_examples:
        verdicts = verdicts.filter(is_example=False)
    return (
        verdicts.select_related("rating", "organisation", "claim__claimant")
        .defer("original_data", "rationale")
        .prefetch_related(
            Prefetch("claim__appearances", queryset=Appearance.objects.select_related("article").order_by("id"))
        )
        .order_by("id")
    )


def iter_exportable(
    *, include_examples: bool | None = None, chunk_size: int = CHUNK_ROWS, own_only: bool = False
) -> Iterator[ExportableReview]:
    verdicts = exported_verdicts(include_examples=include_examples, own_only=own_only)
    for verdict in verdicts.iterator(chunk_size=chunk_size):
        yield _exportable(verdict, verdict.claim)


def stream_datafeed(*, include_examples: bool | None = None) -> Iterator[str]:
    """The whole DataFeed as JSON text chunks (for a file or a StreamingHttpResponse): our own
    reviews only, as a publisher's feed must be."""
    return stream_datafeed_json(
        iter_exportable(include_examples=include_examples, own_only=True),
        name=f"{settings.FACTCHECK_ORGANISATION_NAME} fact-checks",
        url=site_url() + "/",
        date_modified=timezone.now(),
    )


def stream_jsonl(*, include_examples: bool | None = None) -> Iterator[str]:
    """One ClaimReview object per line: a data export, so imported reviews are included, each
    under its publisher's name, URL and own label."""
    for review in iter_exportable(include_examples=include_examples):
        yield orjson.dumps(build_claimreview(review)).decode() + "\n"


def write_export(out: TextIO, *, fmt: str = "datafeed", include_examples: bool | None = None) -> int:
    """Write the export to a text stream; returns the number of characters written."""
    chunks = stream_jsonl if fmt == "jsonl" else stream_datafeed
    written = 0
    for chunk in chunks(include_examples=include_examples):
        written += out.write(chunk) or 0
    return written


__all__ = ["exported_verdicts", "iter_exportable", "stream_datafeed", "stream_jsonl", "write_export"]
