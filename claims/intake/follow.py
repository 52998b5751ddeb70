"""Polling followed fact-checkers (FollowedSource): a conditional GET through the SSRF-safe
fetcher, then, for a DataFeed, a page or a sitemap, the ClaimReview importer (the reviews stay the
other organisation's: their label, their publisher), and for an RSS/Atom feed article ingestion of
each new entry (claims/intake/follow_articles.py). A failure doubles the source's interval, up to
FOLLOW_MAX_BACKOFF_SECONDS."""

from __future__ import annotations

import datetime
import gzip
import io
import json
from html.parser import HTMLParser
from xml.etree import ElementTree

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims.claimreview import ClaimReviewFileError
from claims.intake.fetch import FetchError, fetch
from claims.intake.follow_articles import FeedRefused, take_in_feed
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


def _keep_validators(source: FollowedSource, response) -> None:
    """The ETag/Last-Modified the next poll sends (none: the next poll reads the source again)."""
    source.etag = response.headers.get("etag", "")[:500] if response else ""
    source.last_modified = response.headers.get("last-modified", "")[:100] if response else ""


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
    note = ""  # a success that still left something out (articles of a feed not taken in)
    try:
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
        elif source.kind == FollowKind.RSS:
            try:
                feed = take_in_feed(source, response.body, response.url)
            except FeedRefused as error:
                raise PollFailed(str(error)) from None
            outcome.update(found=feed.found, new=feed.new, claims=feed.claims)
            note = feed.note
            # Without every entry dealt with, the next poll must read the feed again, not get a 304.
            _keep_validators(source, response if feed.complete else None)
        else:
            body = response.body if source.kind == FollowKind.DATAFEED else _pages_claimreview(response)
            try:
                report = import_claimreview(
                    [ImportInput(source.url, lambda: io.BytesIO(body), base_url=response.url)], by=None
                )
            except ClaimReviewFileError as error:
                raise PollFailed(f"Not a ClaimReview file: {error}") from None
            outcome["found"], outcome["new"] = report.items, report.created
            _keep_validators(source, response)
    except PollFailed as error:
        outcome["error"] = str(error)[:1000]
        source.failures += 1
        source.last_error = outcome["error"]
        source.next_poll_at = now + datetime.timedelta(seconds=_backoff(source))
    else:
        outcome["note"] = note[:1000]
        source.failures = 0
        source.last_error = outcome["note"]
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


# A sitemap's bounds per poll: at most MAX_PAGES_PER_POLL pages fetched (the most recently modified
# first, by <lastmod>), and from a sitemap index at most MAX_SITEMAPS_PER_POLL of its sitemaps read
# (newest first too), one level deep (an index listing indexes is not followed further).
MAX_PAGES_PER_POLL = 200
MAX_SITEMAPS_PER_POLL = 20
MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps protocol's own limit, also after gunzip
PAGE_MAX_BYTES = 10 * 1024 * 1024
PAGE_TIMEOUT = 30.0


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


def _gunzipped(body: bytes) -> bytes:
    """A gzipped sitemap (sitemap.xml.gz) unpacked, refusing one that inflates past the limit."""
    if body[:2] != b"\x1f\x8b":
        return body
    with gzip.GzipFile(fileobj=io.BytesIO(body)) as unpacked:
        try:
            data = unpacked.read(MAX_SITEMAP_BYTES + 1)
        except (OSError, EOFError) as error:
            raise PollFailed(f"A broken gzipped sitemap: {error}") from None
    if len(data) > MAX_SITEMAP_BYTES:
        raise PollFailed(f"A sitemap larger than {MAX_SITEMAP_BYTES} bytes once unpacked.")
    return data


def _sitemap(body: bytes) -> tuple[str, list[str]] | None:
    """("urlset", page URLs) or ("sitemapindex", sitemap URLs), newest <lastmod> first (entries
    without one after, in document order), or None when `body` is neither. ElementTree never
    fetches external entities, and expat (>= 2.4) refuses entity-expansion bombs."""
    try:
        root = ElementTree.fromstring(_gunzipped(body))
    except ElementTree.ParseError:
        return None
    kind = root.tag.rsplit("}", 1)[-1]
    if kind not in ("urlset", "sitemapindex"):
        return None
    entries = []
    for element in root:
        location = modified = ""
        for child in element:
            name = child.tag.rsplit("}", 1)[-1]
            if name == "loc" and child.text:
                location = child.text.strip()
            elif name == "lastmod" and child.text:
                modified = child.text.strip()
        if location:
            entries.append((modified, location))
    # Stable: equal (or missing) dates keep the document's order. W3C datetimes sort as text.
    entries.sort(key=lambda entry: entry[0], reverse=True)
    return kind, [location for _, location in entries]


def _sitemap_pages(body: bytes) -> list[str] | None:
    """The page URLs to read this poll from a sitemap or a sitemap index, within the bounds."""
    found = _sitemap(body)
    if found is None:
        return None
    kind, locations = found
    if kind == "urlset":
        return locations[:MAX_PAGES_PER_POLL]
    pages: list[str] = []
    for location in locations[:MAX_SITEMAPS_PER_POLL]:
        if len(pages) >= MAX_PAGES_PER_POLL:
            break
        try:
            response = fetch(location, max_bytes=MAX_SITEMAP_BYTES, timeout=PAGE_TIMEOUT)
            child = _sitemap(response.body) if response.ok else None
        except Exception:  # one unreachable or broken sitemap does not fail the index
            continue
        if child is not None and child[0] == "urlset":
            pages.extend(child[1][: MAX_PAGES_PER_POLL - len(pages)])
    return pages


def _pages_claimreview(response) -> bytes:
    """A JSON list of the ClaimReview found on a page, or on every page a sitemap (or a sitemap
    index's sitemaps) lists."""
    found: list[dict] = []

    def read(page) -> None:  # each page's reviews taken as it comes: pages are not all held at once
        for review in page_claimreviews(page.body.decode("utf-8", "replace")):
            review.setdefault("url", page.url)
            found.append(review)

    if b"<!doctype html" in response.body[:1000].lower() or b"<html" in response.body[:1000].lower():
        read(response)
        return json.dumps(found).encode()
    locations = _sitemap_pages(response.body)
    if locations is None:
        raise PollFailed("Neither an HTML page nor a sitemap.")
    for location in locations:
        try:
            page = fetch(location, max_bytes=PAGE_MAX_BYTES, timeout=PAGE_TIMEOUT)
        except Exception:  # one unreachable page does not fail the sitemap
            continue
        if page.ok:
            read(page)
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
