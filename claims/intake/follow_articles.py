"""Followed RSS/Atom feeds of articles: each new entry's page is fetched through the SSRF-safe
fetcher, its main text read with trafilatura, and the article goes through article ingestion
(claims/ingest/articles.py), so its check-worthy sentences become new claims in the review queue,
never published ones. Polling, conditional GET and backoff are claims/intake/follow.py's.

An entry is taken in once per source, known by its guid (else its link; FollowedEntry). The feed's
ETag/Last-Modified are kept only when every entry it lists was dealt with: when an article could
not be fetched for a passing reason (network, 5xx) or the per-poll bound left entries for later,
the next poll reads the feed again instead of being told "304, nothing new" and losing them."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from claims.intake.fetch import FetchError, fetch
from claims.intake.follow_models import FollowedEntry, FollowedSource

MAX_ENTRIES_PER_POLL = 50  # new articles fetched and ingested per poll; the rest wait for the next
MAX_ARTICLE_BYTES = 10 * 1024 * 1024
ARTICLE_TIMEOUT = 30.0
ARTICLE_CONTENT_TYPES = ("text/html", "application/xhtml+xml")
_KEY_MAX = 1000


class FeedRefused(Exception):
    """The whole feed cannot be taken in (not a feed, nobody to record the claims under)."""


@dataclass
class FeedOutcome:
    found: int = 0  # entries the feed lists
    new: int = 0  # articles ingested this poll
    claims: int = 0  # new claims proposed from them
    complete: bool = True  # every listed entry is now seen (safe to keep the feed's ETag)
    problems: list[str] = field(default_factory=list)

    @property
    def note(self) -> str:
        if not self.problems:
            return ""
        shown = "; ".join(self.problems[:3])
        more = f" (and {len(self.problems) - 3} more)" if len(self.problems) > 3 else ""
        return f"{len(self.problems)} article(s) not taken in: {shown}{more}"


def parse_feed(body: bytes, url: str):
    """feedparser on the bytes already fetched (given a stream, feedparser never opens a URL or a
    file itself); relative entry links resolve against the feed's own address. A body with no feed
    in it at all is refused; a feed with a recoverable syntax slip (feedparser's `bozo`) is read as
    far as it goes, as readers do."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url})
    if not parsed.get("version") and not parsed.entries:
        raise FeedRefused("Not an RSS or Atom feed.")
    return parsed


def entry_key(entry) -> str:
    return (entry.get("id") or entry.get("link") or "").strip()[:_KEY_MAX]


def _published_on(entry) -> datetime.date | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime.date(*stamp[:3]) if stamp else None


def main_text(html: bytes, url: str) -> tuple[str, str]:
    """(main text, title) of an article page, boilerplate (menus, footers, comments) left out."""
    import trafilatura

    document = trafilatura.bare_extraction(html, url=url, include_comments=False, with_metadata=True)
    if document is None or not (document.text or "").strip():
        return "", ""
    return document.text, document.title or ""


def _transient(status: int) -> bool:
    return status >= 500 or status in (408, 429)


def take_in_feed(source: FollowedSource, body: bytes, url: str) -> FeedOutcome:
    """Each entry of the feed (`body`, fetched from `url`) not seen before, fetched and ingested."""
    from claims import services
    from claims.ingest.articles import ingest_article

    by = source.followed_by
    if by is None or not services.is_reviewer(by):
        raise FeedRefused(
            "Nobody to record its articles' claims under: follow the feed again with --by a reviewer or editor."
        )
    parsed = parse_feed(body, url)
    outlet = (parsed.feed.get("title") or "").strip()[:200] or None
    entries = [(entry_key(e), e) for e in parsed.entries]
    entries = [(key, e) for key, e in entries if key and e.get("link")]
    outcome = FeedOutcome(found=len(entries))
    seen = set(
        FollowedEntry.objects.filter(source=source, key__in=[key for key, _ in entries]).values_list("key", flat=True)
    )
    fresh = []
    for key, entry in entries:
        if key not in seen:
            seen.add(key)  # a feed listing one guid twice takes it in once
            fresh.append((key, entry))
    if len(fresh) > MAX_ENTRIES_PER_POLL:
        fresh, outcome.complete = fresh[:MAX_ENTRIES_PER_POLL], False
    for key, entry in fresh:
        link = entry["link"]
        try:
            page = fetch(link, max_bytes=MAX_ARTICLE_BYTES, timeout=ARTICLE_TIMEOUT)
        except FetchError as error:  # refused address, too large, not a page: it will not improve
            outcome.problems.append(f"{link}: {error}")
            FollowedEntry.objects.get_or_create(source=source, key=key)
            continue
        except Exception as error:  # urllib3's network errors: worth another try at the next poll
            outcome.problems.append(f"{link}: {type(error).__name__}: {error}")
            outcome.complete = False
            continue
        if not page.ok:
            outcome.problems.append(f"{link}: HTTP {page.status}")
            if _transient(page.status):
                outcome.complete = False
            else:
                FollowedEntry.objects.get_or_create(source=source, key=key)
            continue
        if page.content_type not in ARTICLE_CONTENT_TYPES:  # after the status: a 503 has no page type
            outcome.problems.append(f"{link}: not a web page ({page.content_type or 'no content type'})")
            FollowedEntry.objects.get_or_create(source=source, key=key)
            continue
        text, page_title = main_text(page.body, page.url)
        title = (entry.get("title") or page_title or "").strip()[:500] or None
        try:
            with transaction.atomic():  # the article, its claims and "seen" together or not at all
                if text:
                    result = ingest_article(
                        text=text,
                        url=page.url,
                        by=by,
                        outlet=outlet,
                        authors=[entry["author"]] if entry.get("author") else [],
                        published_on=_published_on(entry),
                        title=title,
                    )
                    outcome.new += 1
                    outcome.claims += result.created_claims
                else:
                    outcome.problems.append(f"{link}: no article text found on the page")
                FollowedEntry.objects.create(source=source, key=key)
        except ValidationError as error:
            outcome.problems.append(f"{link}: {'; '.join(error.messages)}")
            FollowedEntry.objects.get_or_create(source=source, key=key)
    return outcome
