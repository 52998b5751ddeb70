"""Fixed-window counters shared by every process and machine, for the API's rate limits.

`hit(key, seconds)` counts one more event for `key` in the current window of `seconds` and
returns (events so far in this window, seconds left in it). The counts live where every gunicorn
worker sees them:

- with CACHE_URL (Redis, Memcached): the `rate_limits` cache, one atomic `add`/`incr` per event;
- otherwise the unlogged table `claims_ratecounter` in PostgreSQL, one statement per event
  (`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`), atomic under concurrency.

Why not Django's DatabaseCache for the default: its `incr` is a read then a write, so concurrent
requests lose counts, and each `set` also counts the whole table for culling: five or six queries
per request where this is one. The same statement drops a few expired rows of other clients, so
the table stays about as large as the number of clients seen in the last window.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection

CACHE_ALIAS = "rate_limits"
TABLE = "claims_ratecounter"

_HIT_SQL = f"""
WITH expired AS (
    DELETE FROM {TABLE} WHERE key IN (
        SELECT key FROM {TABLE} WHERE expires_at < %(now)s AND key <> %(key)s
        ORDER BY expires_at LIMIT 5 FOR UPDATE SKIP LOCKED
    )
)
INSERT INTO {TABLE} AS c (key, window_number, hits, expires_at)
VALUES (%(key)s, %(window)s, 1, %(expires)s)
ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN c.window_number = EXCLUDED.window_number THEN c.hits + 1 ELSE 1 END,
    window_number = EXCLUDED.window_number,
    expires_at = EXCLUDED.expires_at
RETURNING hits
"""


def uses_cache() -> bool:
    return bool(getattr(settings, "CACHE_URL", None))


def hit(key: str, seconds: int) -> tuple[int, int]:
    now = time.time()
    window = int(now // seconds)
    left = max(1, int((window + 1) * seconds - now))
    if uses_cache():
        cache = caches[CACHE_ALIAS]
        window_key = f"{key}:{window}"
        if cache.add(window_key, 1, timeout=left + 1):
            return 1, left
        try:
            return cache.incr(window_key), left
        except ValueError:  # expired between add and incr
            cache.add(window_key, 1, timeout=left + 1)
            return 1, left
    with connection.cursor() as cursor:
        cursor.execute(_HIT_SQL, {"key": key[:200], "window": window, "now": int(now), "expires": int(now) + left})
        return cursor.fetchone()[0], left


def clear() -> None:
    """Forget every counter (tests; an operator lifting a limit early)."""
    if uses_cache():
        caches[CACHE_ALIAS].clear()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
