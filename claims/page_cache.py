"""Rendered reader pages cached for anonymous readers, keyed by URL, language and a publication generation.

Why this design (docs/PERFORMANCE.md, "Page cache"):

- The generation is a PostgreSQL sequence (`claims_page_generation`, migration 0006), read with
  one tiny query per cached request. It is shared by every process whatever the cache backend:
  with the per-process local-memory cache (no CACHE_URL), a publish handled by worker A
  invalidates worker B's pages too, because B reads the new generation before it looks in its
  own cache. A counter kept in Django's cache would only do that with a shared CACHE_URL.
- Services call `pages_changed()` (claims/services/caches.py) whenever public content may have
  changed: publish, withdraw, correction, figures, appearances, claim edits, imports, conflict
  refreshes. It bumps the sequence at once and again after the transaction commits: a reader
  that rendered the old content between the two bumps stored it under a generation nobody reads
  any more. Sequences are not transactional, so a rolled-back change only costs a re-render.
- Changes that bypass the services (admin edits of a source's description, `recompute_credibility`)
  are bounded by the time-to-live, FACTCHECK_PAGE_CACHE_SECONDS (60 s by default; 0 turns the
  cache off).
- Only anonymous GET/HEAD requests answered 200 are cached, as content + content type: staff see
  drafts and previews; no response that sets a cookie is stored; middleware headers are added
  afresh on every response.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils import translation

from factcheck.replicas import reading_from_primary

CACHE_ALIAS = "pages"
MAX_CACHED_BYTES = 512 * 1024  # a bounded page is ~50-150 KB; anything larger is not worth memory


def current_generation() -> int:
    # Always the primary's: a replica's copy of a sequence moves in steps of 32 (PostgreSQL logs
    # sequences ahead), so it would miss most bumps.
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM claims_page_generation")
        return cursor.fetchone()[0]


def _bump() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('claims_page_generation')")


def bump_generation() -> None:
    """Invalidate every cached page: now, and once more when the current transaction commits."""
    _bump()
    transaction.on_commit(_bump)


def _key(request, generation: int) -> str:
    url = request.build_absolute_uri()  # host and scheme too: pages carry canonical URLs
    # The language the page is rendered in, as well as the URL that names it: should a language
    # ever be chosen other than by the prefix, a Persian page still never lands under an English key.
    language = translation.get_language()
    return f"page:{generation}:{language}:{request.method == 'HEAD'}:{hashlib.sha256(url.encode()).hexdigest()}"


def cache_public_page(view):
    """Serve the view from the page cache to anonymous readers (see the module docstring)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = int(getattr(settings, "FACTCHECK_PAGE_CACHE_SECONDS", 0))
        if seconds <= 0 or request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        cache = caches[CACHE_ALIAS]
        key = _key(request, current_generation())
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        # Rendered from the primary even for a replica-routed request: a replica up to the allowed
        # lag behind would store its older page under the current generation, for the whole TTL.
        with reading_from_primary():
            response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and len(response.content) <= MAX_CACHED_BYTES
        ):
            cache.set(key, (response.content, response["Content-Type"]), seconds)
        return response

    return wrapper
