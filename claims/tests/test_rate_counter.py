"""The shared counters behind the API rate limits and the failed-login limit count over a sliding
window: a burst timed across a window boundary still counts (a fixed window would start again at
1)."""

import time

import pytest

from claims.tests.servers import redis_server
from factcheck import rate_counter

WINDOW = 10


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


@pytest.fixture(params=["postgresql", "redis"])
def counters(request, settings):
    """Both stores: the unlogged PostgreSQL table, and the shared cache when CACHE_URL is set."""
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        settings.CACHE_URL = url
        settings.CACHES = {
            **settings.CACHES,
            "rate_limits": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url},
        }
    return request.param


def wait_until_late_in_a_window(seconds: int, late: float) -> None:
    while time.time() % seconds < late:
        time.sleep(0.05)


def wait_for_the_next_window(seconds: int) -> None:
    window = int(time.time() // seconds)
    while int(time.time() // seconds) == window:
        time.sleep(0.02)


@pytest.mark.django_db
def test_a_burst_across_a_window_boundary_still_counts(counters):
    wait_until_late_in_a_window(WINDOW, late=WINDOW - 1.5)
    for n in range(1, 6):
        assert rate_counter.hit(f"burst-{counters}", WINDOW)[0] == n
    wait_for_the_next_window(WINDOW)

    count, left = rate_counter.hit(f"burst-{counters}", WINDOW)

    # This window's one event plus most of the previous window's five (weighted by the share of
    # the previous window still inside the sliding window, rounded up).
    assert 5 <= count <= 6
    assert 0 < left <= WINDOW
    assert rate_counter.peek(f"burst-{counters}", WINDOW) == count


@pytest.mark.django_db
def test_peek_sees_the_previous_window_and_forget_drops_both(counters):
    wait_until_late_in_a_window(WINDOW, late=WINDOW - 1.5)
    for _ in range(4):
        rate_counter.hit(f"peeked-{counters}", WINDOW)
    wait_for_the_next_window(WINDOW)

    assert 3 <= rate_counter.peek(f"peeked-{counters}", WINDOW) <= 4

    rate_counter.forget(f"peeked-{counters}", WINDOW)
    assert rate_counter.peek(f"peeked-{counters}", WINDOW) == 0
