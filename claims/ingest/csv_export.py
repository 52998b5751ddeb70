"""Published claims with their current verdict as CSV, streamed (usable by a command or a view).

Cells that a spreadsheet would run as a formula (starting with = + - @ or a control character)
are prefixed with an apostrophe: claim texts come from the outside world.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

from claims.choices import ClaimStatus
from claims.ingest.claimreview_export import site_url as default_site_url
from claims.models import Claim

COLUMNS = ["slug", "text", "claimant", "rating", "summary", "published_at", "url"]
CHUNK_ROWS = 2000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def published_rows(*, site_url: str | None = None) -> Iterator[list[str]]:
    """One row per published claim readers can see, with its current verdict, oldest first."""
    base = (site_url or default_site_url()).rstrip("/")
    claims = (
        Claim.objects.visible_to(None)
        .filter(status=ClaimStatus.PUBLISHED, published_verdict__isnull=False)
        .select_related("claimant", "published_verdict__rating")
        .only(
            "slug",
            "text",
            "claimant__name",
            "published_verdict__summary",
            "published_verdict__published_at",
            "published_verdict__rating__label",
        )
        .order_by("id")
    )
    for claim in claims.iterator(chunk_size=CHUNK_ROWS):
        verdict = claim.published_verdict
        yield [
            claim.slug,
            _safe(claim.text),
            _safe(claim.claimant.name) if claim.claimant else "",
            verdict.rating.label,
            _safe(verdict.summary),
            verdict.published_at.isoformat() if verdict.published_at else "",
            f"{base}{claim.get_absolute_url()}",
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def stream_csv(*, site_url: str | None = None) -> Iterator[str]:
    """CSV text line by line, header first (for a StreamingHttpResponse)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for row in published_rows(site_url=site_url):
        yield writer.writerow(row)


def write_csv(out: TextIO, *, site_url: str | None = None) -> int:
    """Write the CSV to a text stream (open it with newline=""); returns the number of claims."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for row in published_rows(site_url=site_url):
        writer.writerow(row)
        count += 1
    return count
