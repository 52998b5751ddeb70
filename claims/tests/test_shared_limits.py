"""API rate limits hold across processes: two gunicorn workers enforce one limit together.

Without CACHE_URL the counters are in PostgreSQL (factcheck/rate_counter.py); test_shared_cache.py
runs the same checks with CACHE_URL pointing at a real redis-server.
"""

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from rest_framework.authtoken.models import Token

from claims.tests.servers import database_url, get_many, gunicorn, wait_for_a_fresh_window

pytestmark = pytest.mark.django_db(transaction=True)


def token_for_a_reviewer() -> str:
    user = User.objects.create_user("limits-reviewer", password="pw-limits", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="Reviewers")[0])
    return Token.objects.create(user=user).key


def check_limits_across_workers(base_url: str, token: str) -> None:
    url = base_url + "/api/v1/ratings/"
    wait_for_a_fresh_window()
    anonymous = get_many(url, total=400)
    assert anonymous == {200: 120, 429: 280}, anonymous  # the README's 120/min, once for both workers
    by_token = get_many(url, total=900, headers={"Authorization": f"Token {token}"})
    assert by_token == {200: 600, 429: 300}, by_token  # 600/min per token


def test_it_shares_the_api_rate_limits_between_gunicorn_workers_through_postgresql():
    token = token_for_a_reviewer()
    with gunicorn(
        database_url(connection.settings_dict), FACTCHECK_THROTTLE_ANON="120/min", FACTCHECK_THROTTLE_USER="600/min"
    ) as server:
        check_limits_across_workers(server.base_url, token)
