"""Export published verdicts as ClaimReview (DataFeed or JSON Lines), streaming from the database.

What :mod:`claims.claimreview` writes is read back by the importer unchanged: importing an export
reproduces the same claims (text, slug as ``itemReviewed.identifier``), ratings, claimants,
appearances and review URLs. Only what readers may see is exported (``visible_to``), and demo
verdicts (``is_example``) only on request, so examples never reach fact-check aggregators.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

import orjson
from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from claims.claimreview import AppearanceRef, ExportableReview, build_claimreview, stream_datafeed_json
from claims.models import Appearance, Verdict

CHUNK_ROWS = 500


def organisation() -> tuple[str, str]:
    """This site as a ClaimReview author: (name, URL), from settings."""
    return settings.FACTCHECK_ORGANISATION_NAME, settings.FACTCHECK_ORGANISATION_URL.rstrip("/")


def exported_verdicts(*, include_examples: bool = False) -> QuerySet[Verdict]:
    """The current published verdicts that readers may see, with what an export needs
    (a fixed number of queries per chunk when iterated with ``.iterator(chunk_size=...)``)."""
    verdicts = Verdict.objects.visible_to(None).published()
    if not include_examples:
        verdicts = verdicts.filter(is_example=False)
    return (
        verdicts.select_related("rating", "organisation", "claim__claimant")
        .defer("original_data", "rationale")
        .prefetch_related(
            Prefetch(
                "claim__appearances",
                queryset=Appearance.objects.select_related("article").only(
                    "id", "claim_id", "article__url", "article__title", "article__published_on"
                ),
            )
        )
        .order_by("id")
    )


def review_url(verdict: Verdict, *, site_url: str | None = None) -> str:
    """The imported review's own URL, or for our verdicts the claim page anchored on the verdict."""
    if verdict.review_url:
        return verdict.review_url
    base = (site_url or organisation()[1]).rstrip("/")
    return f"{base}{verdict.claim.get_absolute_url()}#verdict-{verdict.pk}"


def exportable(verdict: Verdict, *, site_name: str, site_url: str) -> ExportableReview:
    claim, claimant, checker = verdict.claim, verdict.claim.claimant, verdict.organisation
    if checker is not None:
        checker_name = checker.name
        checker_url = checker.homepage or (f"https://{checker.domain}" if checker.domain else "")
    else:
        checker_name, checker_url = site_name, site_url
    return ExportableReview(
        claim_text=claim.text,
        review_url=review_url(verdict, site_url=site_url),
        rating_slug=verdict.rating.slug,
        rating_label=verdict.original_rating_label or verdict.rating.label,
        rating_ordinal=verdict.rating.ordinal,
        organisation_name=checker_name,
        organisation_url=checker_url,
        claim_slug=claim.slug,
        claim_url=f"{site_url}{claim.get_absolute_url()}",
        claimant_name=claimant.name if claimant else None,
        claimant_kind=claimant.kind if claimant else None,
        claimant_url=(claimant.homepage or None) if claimant else None,
        appearances=[
            AppearanceRef(a.article.url, a.article.title or None, a.article.published_on)
            for a in claim.appearances.all()
        ],
        first_seen=claim.first_seen,
        published=verdict.published_at,
        summary=verdict.summary,
    )


def iter_exportable(*, include_examples: bool = False, chunk_size: int = CHUNK_ROWS) -> Iterator[ExportableReview]:
    site_name, site_url = organisation()
    for verdict in exported_verdicts(include_examples=include_examples).iterator(chunk_size=chunk_size):
        yield exportable(verdict, site_name=site_name, site_url=site_url)


def stream_datafeed(*, include_examples: bool = False) -> Iterator[str]:
    """The whole DataFeed as JSON text chunks (for a file or a StreamingHttpResponse)."""
    site_name, site_url = organisation()
    return stream_datafeed_json(
        iter_exportable(include_examples=include_examples),
        name=f"{site_name} ClaimReview feed",
        url=site_url,
        date_modified=timezone.now(),
    )


def stream_jsonl(*, include_examples: bool = False) -> Iterator[str]:
    """One ClaimReview object per line."""
    for review in iter_exportable(include_examples=include_examples):
        yield orjson.dumps(build_claimreview(review)).decode() + "\n"


def write_export(out: TextIO, *, fmt: str = "datafeed", include_examples: bool = False) -> int:
    """Write the export to a text stream; returns the number of characters written."""
    chunks = stream_jsonl if fmt == "jsonl" else stream_datafeed
    written = 0
    for chunk in chunks(include_examples=include_examples):
        written += out.write(chunk) or 0
    return written


__all__ = ["exportable", "exported_verdicts", "iter_exportable", "review_url", "write_export"]
