"""Read replicas (DATABASE_REPLICA_URLS): anonymous reads go to a healthy replica, everything else
to the primary, and a client reads its own writes.

A request may read from a replica when it is a GET/HEAD/OPTIONS with no Authorization header, no
session cookie and no pin cookie (so staff, token clients and signed-in users always read the
primary, where their writes are). Any write (another method, answered below 400) sets the pin
cookie for FACTCHECK_REPLICA_PIN_SECONDS: a client that writes and then reads as an anonymous
reader (an editor who publishes and signs out, a client without a session) reads the primary
until the replicas have had time to catch up.

A replica is used only while it answers and is at most FACTCHECK_REPLICA_MAX_LAG_SECONDS behind;
each process checks each replica at most every FACTCHECK_REPLICA_CHECK_SECONDS (one query), one
found down or behind every 5 s at most. A
request that a replica fails (503: it went down since the last check) is marked and answered
again from the primary. The health record is a per-process hint, not state: every process
finds the same answer from the replicas themselves.

With the page cache on, reader pages that miss it are rendered from the primary
(claims/page_cache.py says why), so replicas carry the API's anonymous reads and uncached pages.

The router sends reads to the replica the middleware chose for this request (a context
variable, so gunicorn's threads do not share it); writes, migrations, management commands and
anything outside a request use the primary.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import random
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

PIN_COOKIE = "fc_primary"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_read_alias: contextvars.ContextVar[str | None] = contextvars.ContextVar("factcheck_read_alias", default=None)
_health: dict[str, tuple[float, bool]] = {}
_health_lock = threading.Lock()
RETRY_SECONDS = 5

# Seconds the replica is behind: 0 when it has replayed everything it received, otherwise the age
# of the last transaction it replayed (an upper bound: conservative right after an idle spell).
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
END
"""


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


def read_alias() -> str:
    """The database this request reads from (the primary outside a replica-routed request)."""
    return _read_alias.get() or "default"


@contextlib.contextmanager
def reading_from_primary():
    """Reads inside this block go to the primary, whatever the request was routed to."""
    token = _read_alias.set(None)
    try:
        yield
    finally:
        _read_alias.reset(token)


def _check(alias: str) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG_SQL)
            lag = float(cursor.fetchone()[0])
    except DatabaseError as error:
        logger.warning("replica %s unavailable: %s", alias, error)
        connections[alias].close()
        return False
    if lag > settings.FACTCHECK_REPLICA_MAX_LAG_SECONDS:
        logger.warning("replica %s is %.1f s behind; reading from the primary", alias, lag)
        return False
    return True


def mark(alias: str, healthy: bool) -> None:
    with _health_lock:
        _health[alias] = (time.monotonic(), healthy)


def healthy_replicas() -> list[str]:
    now = time.monotonic()
    healthy = []
    for alias in replica_aliases():
        checked_at, ok = _health.get(alias, (float("-inf"), False))
        # A replica found down or behind is tried again less often: each try of one that is down
        # costs a request up to the connect timeout.
        interval = (
            settings.FACTCHECK_REPLICA_CHECK_SECONDS
            if ok
            else max(RETRY_SECONDS, settings.FACTCHECK_REPLICA_CHECK_SECONDS)
        )
        if now - checked_at >= interval:
            ok = _check(alias)
            mark(alias, ok)
        if ok:
            healthy.append(alias)
    return healthy


def may_read_from_replica(request) -> bool:
    return (
        request.method in SAFE_METHODS
        and "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and PIN_COOKIE not in request.COOKIES
    )


class ReplicaRouter:
    """Reads on the request's chosen replica, everything else on the primary."""

    def db_for_read(self, model, **hints):
        return _read_alias.get()  # None: Django's default, the primary

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the same rows

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


class ReplicaMiddleware:
    """Choose the database this request reads from; pin writers to the primary for a while."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_aliases():
            return self.get_response(request)
        if not may_read_from_replica(request):
            response = self.get_response(request)
            if request.method not in SAFE_METHODS and response.status_code < 400:
                response.set_cookie(
                    PIN_COOKIE,
                    "1",
                    max_age=settings.FACTCHECK_REPLICA_PIN_SECONDS,
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
            return response
        candidates = healthy_replicas()
        if not candidates:
            return self.get_response(request)
        alias = random.choice(candidates)
        token = _read_alias.set(alias)
        try:
            response = self.get_response(request)
        finally:
            _read_alias.reset(token)
        if response.status_code == 503:  # the replica failed this request: the primary answers it
            mark(alias, False)
            connections[alias].close()
            response = self.get_response(request)
        return response
