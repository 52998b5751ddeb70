"""Polling followed fact-checkers (FollowedSource): a conditional GET through the SSRF-safe
fetcher, then the ClaimReview importer (the reviews stay the other organisation's: their label,
their publisher). A failure doubles the source's interval, up to FOLLOW_MAX_BACKOFF_SECONDS."""

from __future__ import annotations

import datetime
import io
import json
from html.parser import HTMLParser
from xml.etree import ElementTree

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims.claimreview import ClaimReviewFileError
from claims.intake.fetch import FetchError, fetch
from claims.intake.follow_models import FollowedSource, FollowKind

FOLLOW_MAX_BYTES = 200 * 1024 * 1024  # a large DataFeed (10,000+ reviews) is tens of MB
FOLLOW_TIMEOUT = 120.0
FOLLOW_MAX_BACKOFF_SECONDS = 7 * 24 * 3600
MIN_POLL_INTERVAL_SECONDS = 60  # less would poll a stranger's server in a loop


class PollFailed(Exception):
    pass


def due_sources(now=None):
    now = now or timezone.now()
    return FollowedSource.objects.filter(active=True).filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))


def _backoff(source: FollowedSource) -> int:
    return min(source.poll_interval_seconds * 2**source.failures, FOLLOW_MAX_BACKOFF_SECONDS)


def poll(source_id: int, *, force: bool = True) -> dict | None:
    """Poll one source now; records the outcome on the row and returns it. Without `force`, a
    source no longer due (another job polled it since this one was queued) is left alone."""
    from claims.ingest.claimreview_import import ImportInput, import_claimreview

    source = FollowedSource.objects.filter(pk=source_id).first()
    if source is None:  # unfollowed since the job was queued
        return None
    if not force and not due_sources().filter(pk=source_id).exists():
        return None
    headers = {}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    now = timezone.now()
    outcome = {"status": None, "found": 0, "new": 0, "error": ""}
    try:
        if source.kind == FollowKind.RSS:
            raise PollFailed(f"Polling {source.get_kind_display()} sources is not supported yet.")
        try:
            response = fetch(source.url, headers=headers, max_bytes=FOLLOW_MAX_BYTES, timeout=FOLLOW_TIMEOUT)
        except FetchError as error:
            raise PollFailed(str(error)) from None
        except Exception as error:  # urllib3's network errors: connection refused, reset, DNS...
            raise PollFailed(f"{type(error).__name__}: {error}") from None
        outcome["status"] = response.status
        if response.status == 304:
            pass
        elif not response.ok:
            raise PollFailed(f"HTTP {response.status}")
        else:
            body = response.body if source.kind == FollowKind.DATAFEED else _pages_claimreview(response)
            try:
                report = import_claimreview(
                    [ImportInput(source.url, lambda: io.BytesIO(body), base_url=response.url)], by=None
                )
            except ClaimReviewFileError as error:
                raise PollFailed(f"Not a ClaimReview file: {error}") from None
            outcome["found"], outcome["new"] = report.items, report.created
            source.etag = response.headers.get("etag", "")[:500]
            source.last_modified = response.headers.get("last-modified", "")[:100]
    except PollFailed as error:
        outcome["error"] = str(error)[:1000]
        source.failures += 1
        source.last_error = outcome["error"]
        source.next_poll_at = now + datetime.timedelta(seconds=_backoff(source))
    else:
        source.failures = 0
        source.last_error = ""
        if outcome["status"] == 304:  # unchanged: what the source holds is what the last 200 found
            source.items_new = 0
        else:
            source.items_found, source.items_new = outcome["found"], outcome["new"]
        source.next_poll_at = now + datetime.timedelta(seconds=source.poll_interval_seconds)
    source.last_polled_at = now
    source.save(
        update_fields=[
            "etag",
            "last_modified",
            "last_polled_at",
            "next_poll_at",
            "failures",
            "last_error",
            "items_found",
            "items_new",
        ]
    )
    return outcome


MAX_PAGES_PER_POLL = 200


class _JsonLdScripts(HTMLParser):
    """The text of every <script type="application/ld+json"> of a page."""

    def __init__(self):
        super().__init__()
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
        self._inside = tag == "script" and kind == "application/ld+json"
        if self._inside:
            self.blocks.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.blocks[-1] += data


def _claimreviews(node, found: list) -> None:
    """ClaimReview objects anywhere in a JSON-LD value: real pages nest them in @graph, in lists,
    or under another node (a WebPage's mainEntity...)."""
    if isinstance(node, list):
        for element in node:
            _claimreviews(element, found)
    elif isinstance(node, dict):
        types = node.get("@type")
        types = types if isinstance(types, list) else [types]
        if "ClaimReview" in types:
            found.append(node)
            return
        for value in node.values():
            if isinstance(value, (list, dict)):
                _claimreviews(value, found)


def page_claimreviews(html: str) -> list[dict]:
    parser = _JsonLdScripts()
    parser.feed(html)
    found: list[dict] = []
    for block in parser.blocks:
        try:
            _claimreviews(json.loads(block), found)
        except ValueError:
            continue  # a broken block on a page does not hide the others
    return found


def _sitemap_locations(body: bytes) -> list[str] | None:
    """The page URLs of a sitemap (<urlset><url><loc>), or None when `body` is not one. ElementTree
    never fetches external entities, and expat (>= 2.4) refuses entity-expansion bombs."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return None
    if not root.tag.endswith("urlset"):
        return None
    return [el.text.strip() for el in root.iter() if el.tag.endswith("loc") and el.text][:MAX_PAGES_PER_POLL]


def _pages_claimreview(response) -> bytes:
    """A JSON list of the ClaimReview found on a page, or on every page a sitemap lists."""
    if b"<!doctype html" in response.body[:1000].lower() or b"<html" in response.body[:1000].lower():
        pages = [response]
    else:
        locations = _sitemap_locations(response.body)
        if locations is None:
            raise PollFailed("Neither an HTML page nor a sitemap.")
        pages = []
        for location in locations:
            try:
                page = fetch(location, max_bytes=10 * 1024 * 1024, timeout=30.0)
            except Exception:  # one unreachable page does not fail the sitemap
                continue
            if page.ok:
                pages.append(page)
    found: list[dict] = []
    for page in pages:
        for review in page_claimreviews(page.body.decode("utf-8", "replace")):
            review.setdefault("url", page.url)
            found.append(review)
    return json.dumps(found).encode()


def enqueue_due(now=None) -> int:
    """Defer one poll job per due source. A source already queued is not queued twice, and its
    jobs run one at a time (lock): two concurrent polls would race on the ETag."""
    from claims.intake import jobs

    count = 0
    with transaction.atomic():
        for pk in due_sources(now).values_list("pk", flat=True):
            if (
                jobs.defer(jobs.poll_followed_source, queueing_lock=f"follow-{pk}", lock=f"follow-{pk}", source_id=pk)
                is not None
            ):
                count += 1
    return count
