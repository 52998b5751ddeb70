"""The API's rate limits (FACTCHECK_THROTTLE_ANON / _USER), shared by every process.

DRF's own throttles keep a request history in the default cache, which is per process without
CACHE_URL: with two gunicorn workers 240 of 400 anonymous requests passed a 120/min limit. These
keep DRF's rates, scopes and client identification and count in sliding windows through
factcheck/rate_counter.py instead (one atomic statement per request), so a burst timed across a
window boundary still counts against the limit.
"""

from rest_framework import throttling

from factcheck import rate_counter
from factcheck.login_throttle import client_address


class _SharedWindow:
    def get_ident(self, request):
        # The login limiter's notion of the client: REMOTE_ADDR, or FACTCHECK_CLIENT_IP_HEADER
        # behind the one trusted proxy. DRF's own reads X-Forwarded-For whenever it is sent, so a
        # client could pick a new identity per request.
        return client_address(request)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        count, self._seconds_left = rate_counter.hit(key, self.duration)
        return count <= self.num_requests

    def wait(self):
        return getattr(self, "_seconds_left", None)


class AnonRateThrottle(_SharedWindow, throttling.AnonRateThrottle):
    """Anonymous clients, by address."""


class UserRateThrottle(_SharedWindow, throttling.UserRateThrottle):
    """Signed-in clients (token or session), by user. Anonymous clients have the lower
    anonymous limit only, so they cost one counter per request, not two."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


class TipRateThrottle(_SharedWindow, throttling.SimpleRateThrottle):
    """Tips, by address, for everyone (FACTCHECK_THROTTLE_TIPS): the API's POST /api/v1/tips/ and
    the /tips/ page count in the same window, so neither path is a way around the other."""

    scope = "tips"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
