"""Sliding-window counters shared by every process and machine: the API's rate limits and the
failed-login limit (factcheck/login_throttle.py).

`hit(key, seconds)` counts one more event for `key` and returns (events in the last `seconds`,
seconds left in the current window); `peek` reads the count without adding to it and `forget`
drops it. The count is the sliding-window estimate: the events of the current fixed window plus
the previous window's events weighted by how much of it still lies within the last `seconds`, so
a client cannot send twice the limit by timing a burst across a window boundary, at the price of
two numbers per key. The counts live where every gunicorn worker sees them:

- with CACHE_URL (Redis, Memcached): the `rate_limits` cache, one key per window, one atomic
  `add`/`incr` per event and one read of the previous window;
- otherwise the unlogged table `claims_ratecounter` in PostgreSQL, one statement per event
  (`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`), atomic under concurrency.

Why not Django's DatabaseCache for the default: its `incr` is a read then a write, so concurrent
requests lose counts, and each `set` also counts the whole table for culling: five or six queries
per request where this is one. The same statement drops a few expired rows of other clients, so
the table stays about as large as the number of clients seen in the last two windows.
"""

from __future__ import annotations

import math
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
INSERT INTO {TABLE} AS c (key, window_number, hits, previous_hits, expires_at)
VALUES (%(key)s, %(window)s, 1, 0, %(expires)s)
ON CONFLICT (key) DO UPDATE SET
    previous_hits = CASE
        WHEN c.window_number = EXCLUDED.window_number THEN c.previous_hits
        WHEN c.window_number = EXCLUDED.window_number - 1 THEN c.hits
        ELSE 0 END,
    hits = CASE WHEN c.window_number = EXCLUDED.window_number THEN c.hits + 1 ELSE 1 END,
    window_number = EXCLUDED.window_number,
    expires_at = EXCLUDED.expires_at
RETURNING hits, previous_hits
"""


def uses_cache() -> bool:
    return bool(getattr(settings, "CACHE_URL", None))


def _estimate(current: int, previous: int, now: float, seconds: int) -> int:
    """Events in the last `seconds`: all of this window's, and the share of the previous window's
    that still lies inside the sliding window (rounded up: a limit errs towards refusing)."""
    still_inside = 1 - (now % seconds) / seconds
    return current + math.ceil(previous * still_inside)


def hit(key: str, seconds: int) -> tuple[int, int]:
    now = time.time()
    window = int(now // seconds)
    left = max(1, int((window + 1) * seconds - now))
    if uses_cache():
        cache = caches[CACHE_ALIAS]
        window_key = f"{key}:{window}"
        # Kept through the next window too, where it is the previous window's count.
        timeout = left + seconds + 1
        if cache.add(window_key, 1, timeout=timeout):
            current = 1
        else:
            try:
                current = cache.incr(window_key)
            except ValueError:  # expired between add and incr
                cache.add(window_key, 1, timeout=timeout)
                current = 1
        previous = int(cache.get(f"{key}:{window - 1}", 0))
        return _estimate(current, previous, now, seconds), left
    with connection.cursor() as cursor:
        cursor.execute(
            _HIT_SQL,
            {"key": key[:200], "window": window, "now": int(now), "expires": int(now) + left + seconds},
        )
        current, previous = cursor.fetchone()
    return _estimate(current, previous, now, seconds), left


def peek(key: str, seconds: int) -> int:
    now = time.time()
    window = int(now // seconds)
    if uses_cache():
        counts = caches[CACHE_ALIAS].get_many([f"{key}:{window}", f"{key}:{window - 1}"])
        current = int(counts.get(f"{key}:{window}", 0))
        previous = int(counts.get(f"{key}:{window - 1}", 0))
        return _estimate(current, previous, now, seconds)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT window_number, hits, previous_hits FROM {TABLE} WHERE key = %s", [key[:200]])
        row = cursor.fetchone()
    if row is None:
        return 0
    stored_window, hits, previous_hits = row
    if stored_window == window:
        return _estimate(hits, previous_hits, now, seconds)
    if stored_window == window - 1:
        return _estimate(0, hits, now, seconds)
    return 0


def forget(key: str, seconds: int) -> None:
    if uses_cache():
        window = int(time.time() // seconds)
        caches[CACHE_ALIAS].delete_many([f"{key}:{window}", f"{key}:{window - 1}"])
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE key = %s", [key[:200]])


def clear() -> None:
    """Forget every counter (tests; an operator lifting a limit early)."""
    if uses_cache():
        caches[CACHE_ALIAS].clear()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
