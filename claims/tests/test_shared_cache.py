"""CACHE_URL=redis://… against a real redis-server, across two gunicorn workers: API rate limits,
the reader page cache and its invalidation, and the failed-login limit all live in Redis.

Needs Debian's redis-server: skipped when it is missing, failed instead in CI
(FACTCHECK_REQUIRE_SERVICES=1 or FACTCHECK_REQUIRE_BROWSER=1, see .ci/run).
"""

import re
from urllib.parse import urlencode

import pytest
from django.db import connection

from claims import services
from claims.models import RateCounter
from claims.tests.servers import database_url, fetch, gunicorn, redis_server
from claims.tests.site_builders import published_claim
from claims.tests.test_shared_limits import check_limits_across_workers, token_for_a_reviewer

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


# One redis-server and one gunicorn for the module: the tests use different limits and pages.
@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


@pytest.fixture(scope="module")
def redis_client(redis_url):
    import redis

    return redis.Redis.from_url(redis_url)


@pytest.fixture(scope="module")
def server(redis_url, django_db_setup):
    with gunicorn(
        database_url(connection.settings_dict),
        CACHE_URL=redis_url,
        FACTCHECK_THROTTLE_ANON="120/min",
        FACTCHECK_THROTTLE_USER="600/min",
    ) as running:
        yield running


def test_it_shares_the_api_rate_limits_through_redis(server, redis_client):
    check_limits_across_workers(server.base_url, token_for_a_reviewer())
    assert redis_client.keys("rate:*")  # counted in Redis …
    assert not RateCounter.objects.exists()  # … not in PostgreSQL


def test_it_shares_cached_pages_and_drops_them_when_a_verdict_changes(server, redis_client, reviewer, editor, ratings):
    claim = published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], summary="First view.")
    url = server.base_url + claim.get_absolute_url()
    cached_before = set(redis_client.keys("pages:*"))
    for _ in range(12):  # new connections: both workers answer
        status, _, body = fetch(url)
        assert status == 200 and "First view." in body
    assert len(set(redis_client.keys("pages:*")) - cached_before) == 1  # one shared copy, not one per worker

    services.withdraw_verdict(verdict=claim.published_verdict, by=editor, reason="Fabricated source.")
    for _ in range(12):
        status, _, body = fetch(url)
        assert status == 200 and "Fabricated source." in body


def login(base_url: str, username: str, password: str) -> int:
    status, headers, body = fetch(base_url + "/admin/login/")
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"})
    status, _, _ = fetch(
        base_url + "/admin/login/",
        data=form.encode(),
        headers={"Cookie": f"csrftoken={cookie}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    return status


def test_it_shares_the_failed_login_limit_through_redis(server, redis_client, reviewer):
    for _ in range(5):  # each on a new connection, to either worker
        assert login(server.base_url, reviewer.username, "wrong") == 200
    assert redis_client.keys("rate:*login-fail:*")
    assert login(server.base_url, reviewer.username, "pw-" + reviewer.username) == 429
