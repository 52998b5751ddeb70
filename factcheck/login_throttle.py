"""A limit on failed logins, shared by every process (factcheck/rate_counter.py).

Failures are counted per (username, client address) and per client address over a sliding
window (the last FACTCHECK_LOGIN_FAILURE_WINDOW seconds). Past the limit, every login path that calls
`django.contrib.auth.authenticate` (the admin login, DRF's session and token login) is refused
before the password is even checked, and the response becomes 429 with Retry-After.

The counters are the API rate limits' (factcheck/rate_counter.py): the shared CACHE_URL cache
when one is configured, otherwise a PostgreSQL table, each failure one atomic statement, so
gunicorn workers and machines agree and concurrent failures are all counted. Keying on
the username *and* address means an attacker cannot lock a reviewer out from elsewhere; the
per-address limit (higher) stops one address from spraying many usernames.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from factcheck import rate_counter


def client_address(request) -> str:
    if request is None:
        return "unknown"
    header = settings.FACTCHECK_CLIENT_IP_HEADER
    if header and request.META.get(header):
        # e.g. HTTP_X_FORWARDED_FOR set by the one trusted proxy: its last hop is the client.
        return request.META[header].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def _window() -> tuple[int, int]:
    """The current window's number and the seconds left in it."""
    length = settings.FACTCHECK_LOGIN_FAILURE_WINDOW
    now = int(time.time())
    return now // length, length - now % length


def _keys(username: str | None, address: str) -> tuple[str, str]:
    user_part = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()[:32]
    return f"login-fail:u:{user_part}:{address}", f"login-fail:ip:{address}"


def _count(key: str) -> int:
    return rate_counter.peek(key, settings.FACTCHECK_LOGIN_FAILURE_WINDOW)


def _bump(key: str) -> None:
    rate_counter.hit(key, settings.FACTCHECK_LOGIN_FAILURE_WINDOW)


def is_locked(username: str | None, address: str) -> bool:
    user_key, ip_key = _keys(username, address)
    return (
        _count(user_key) >= settings.FACTCHECK_LOGIN_FAILURE_LIMIT
        or _count(ip_key) >= settings.FACTCHECK_LOGIN_IP_FAILURE_LIMIT
    )


def retry_after_seconds() -> int:
    return _window()[1]


class ThrottledModelBackend(ModelBackend):
    """Django's ModelBackend, refusing (PermissionDenied stops `authenticate`) while the
    username/address pair or the address is over the limit, before the password is checked.
    One backend, so `login()` and the test client's `force_login()` need no backend argument."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if is_locked(username, client_address(request)):
            if request is not None:
                request.login_throttled = True
            raise PermissionDenied("Too many failed logins.")
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed, dispatch_uid="factcheck-count-login-failure")
def count_failure(sender, credentials, request=None, **kwargs):
    if request is not None and getattr(request, "login_throttled", False):
        return  # refused by the limiter itself: not a new guess
    user_key, ip_key = _keys(credentials.get("username"), client_address(request))
    _bump(user_key)
    _bump(ip_key)


@receiver(user_logged_in, dispatch_uid="factcheck-reset-login-failures")
def reset_failures(sender, request, user, **kwargs):
    user_key, _ = _keys(user.get_username(), client_address(request))
    rate_counter.forget(user_key, settings.FACTCHECK_LOGIN_FAILURE_WINDOW)


class LoginThrottleMiddleware:
    """Answer 429 + Retry-After when the limiter refused a login during this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "login_throttled", False):
            from factcheck.middleware import error_response

            return error_response(
                request,
                status=429,
                title="Too many failed logins",
                detail="Too many failed logins. Wait a few minutes and try again.",
                Retry_After=str(retry_after_seconds()),
            )
        return response
