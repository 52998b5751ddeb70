"""The failed-login limit: per username and address, shared across processes, 429 past it."""

import pytest
from django.test import Client

LOGIN = "/admin/login/"


def attempt(client, username, password, address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture(autouse=True)
def five_failures_allowed(settings):
    settings.FACTCHECK_LOGIN_FAILURE_LIMIT = 5
    settings.FACTCHECK_LOGIN_IP_FAILURE_LIMIT = 9


@pytest.mark.django_db
def test_it_refuses_even_the_right_password_after_five_failures(client, reviewer):
    for _ in range(5):
        assert attempt(client, reviewer.username, "wrong").status_code == 200  # form error

    refused = attempt(client, reviewer.username, "pw-" + reviewer.username)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session
    assert "Too many failed logins" in refused.content.decode()


@pytest.mark.django_db
def test_it_keeps_the_lock_to_one_username_and_address(client, reviewer):
    for _ in range(5):
        attempt(client, reviewer.username, "wrong")

    from_elsewhere = attempt(Client(), reviewer.username, "pw-" + reviewer.username, address="198.51.100.2")

    assert from_elsewhere.status_code == 302  # the attacker cannot lock the reviewer out


@pytest.mark.django_db
def test_it_limits_one_address_spraying_many_usernames(client):
    for n in range(9):
        assert attempt(client, f"guess-{n}", "wrong").status_code == 200

    assert attempt(client, "guess-new", "wrong").status_code == 429


@pytest.mark.django_db
def test_it_forgets_earlier_failures_after_a_successful_login(client, reviewer):
    for _ in range(4):
        attempt(client, reviewer.username, "wrong")
    assert attempt(client, reviewer.username, "pw-" + reviewer.username).status_code == 302
    client.logout()

    for _ in range(4):
        assert attempt(client, reviewer.username, "wrong").status_code == 200
    assert attempt(client, reviewer.username, "pw-" + reviewer.username).status_code == 302


@pytest.mark.django_db
def test_it_counts_in_the_shared_counter_table_not_in_process_memory(client, reviewer):
    attempt(client, reviewer.username, "wrong")

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM claims_ratecounter WHERE key LIKE 'login-fail:%%'")
        assert cursor.fetchone()[0] == 2  # username+address and address counters


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_counts_every_one_of_many_concurrent_failures(settings):
    """One atomic statement per failure: concurrent guesses (as from many workers) all count."""
    settings.FACTCHECK_LOGIN_IP_FAILURE_LIMIT = 1000
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def guess(n):
        try:
            return attempt(Client(), f"guess-{n}", "wrong", address="192.0.2.44").status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=12) as pool:
        assert set(pool.map(guess, range(36))) == {200}
    from factcheck import rate_counter

    assert rate_counter.peek("login-fail:ip:192.0.2.44", settings.FACTCHECK_LOGIN_FAILURE_WINDOW) == 36
