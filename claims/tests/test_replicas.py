"""Read replicas (DATABASE_REPLICA_URLS, factcheck/replicas.py) against a real streaming replica
of the embedded server, made with its pg_basebackup, behind two gunicorn workers.

Anonymous reads go to the replica and token/staff reads to the primary; a writer reads its own
write from the primary (pin cookie) while the replica is still behind; a replica that lags more
than FACTCHECK_REPLICA_MAX_LAG_SECONDS or stops answering is skipped, with no error.
"""

import json
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from claims import services
from claims.models import Claim
from claims.tests.servers import database_url, fetch, gunicorn, harness
from claims.tests.site_builders import published_claim

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
MAX_LAG = 4


@pytest.fixture(scope="module")
def replica(django_db_setup):
    made = harness.Replica(Path(tempfile.mkdtemp(prefix="factcheck-replica-"))).create()
    try:
        yield made
    finally:
        made.remove()


@pytest.fixture(scope="module")
def server(replica, django_db_setup):
    from django.db import connections

    name = connections["default"].settings_dict["NAME"]
    with gunicorn(
        database_url(connections["default"].settings_dict),
        DATABASE_REPLICA_URLS=replica.url(name),
        FACTCHECK_REPLICA_MAX_LAG_SECONDS=str(MAX_LAG),
        FACTCHECK_REPLICA_CHECK_SECONDS="0",  # check on every request: the test sees each change at once
        FACTCHECK_PAGE_CACHE_SECONDS="0",
    ) as running:
        yield running


def on_replica(replica, sql: str, params=()):
    with psycopg.connect(replica.url(connection.settings_dict["NAME"]), autocommit=True) as conn:
        return conn.execute(sql, params).fetchone()


def replicated(replica, claim_id: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not on_replica(replica, "SELECT count(*) FROM claims_claim WHERE id = %s", [claim_id])[0]:
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.1)


def transactions_on_replica(replica) -> int:
    time.sleep(1.2)  # PostgreSQL publishes its statistics at most once a second
    with psycopg.connect(replica.url("postgres"), autocommit=True) as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        return conn.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s",
            [connection.settings_dict["NAME"]],
        ).fetchone()[0]


@pytest.fixture
def submitted(reviewer, editor, ratings, replica):
    """A claim with a published verdict and a submitted correction, both on the replica."""
    claim = published_claim(reviewer=reviewer, editor=editor, rating=ratings["true"], summary="First view.")
    correction = services.draft_correction(
        verdict=claim.published_verdict,
        by=reviewer,
        rating=ratings["false"],
        summary="Corrected view.",
        correction_note="We misread the table.",
    )
    correction = services.submit_verdict(verdict=correction, by=reviewer)
    replicated(replica, claim.pk)
    return claim, correction


def test_it_sends_anonymous_reads_to_the_replica_and_token_reads_to_the_primary(server, replica, submitted, editor):
    claim, _ = submitted
    token = Token.objects.create(user=editor).key
    url = f"{server.base_url}/api/v1/claims/{claim.slug}/"
    before = transactions_on_replica(replica)
    for _ in range(10):
        assert fetch(url, headers={"Authorization": f"Token {token}"})[0] == 200
    assert transactions_on_replica(replica) == before  # nothing for the token client
    for _ in range(10):
        assert fetch(url)[0] == 200
    assert transactions_on_replica(replica) >= before + 10  # every anonymous read (and its check)


def test_a_writer_reads_its_write_while_the_replica_is_behind(server, replica, submitted, second_editor):
    claim, correction = submitted
    token = Token.objects.create(user=second_editor).key
    page = f"{server.base_url}/claims/{claim.slug}/"
    replica.pause_replay()
    try:
        status, headers, _ = fetch(
            f"{server.base_url}/api/v1/verdicts/{correction.pk}/publish/",
            data=json.dumps({"version": correction.version}).encode(),
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )
        assert status == 200
        pin = headers["Set-Cookie"].split(";")[0]
        assert pin.startswith("fc_primary=")
        # Within the allowed lag an anonymous reader may see the replica's older page …
        assert "First view." in fetch(page)[2]
        # … but the writer, now reading without its token, sees what it published.
        assert "Corrected view." in fetch(page, headers={"Cookie": pin})[2]
        # Past the allowed lag the replica is skipped for everyone.
        time.sleep(MAX_LAG + 1)
        assert "Corrected view." in fetch(page)[2]
    finally:
        replica.resume_replay()


def test_the_page_cache_never_stores_a_lagging_replicas_page(replica, submitted, second_editor):
    """Cached reader pages are rendered from the primary: a replica still behind a publish would
    otherwise store its older page under the new generation, for the whole time-to-live."""
    claim, correction = submitted
    from django.db import connections

    with gunicorn(
        database_url(connections["default"].settings_dict),
        DATABASE_REPLICA_URLS=replica.url(connections["default"].settings_dict["NAME"]),
        FACTCHECK_REPLICA_MAX_LAG_SECONDS="60",  # the replica stays in use while it is behind
        FACTCHECK_REPLICA_CHECK_SECONDS="0",
        FACTCHECK_PAGE_CACHE_SECONDS="60",
    ) as server:
        page = f"{server.base_url}/claims/{claim.slug}/"
        assert "First view." in fetch(page)[2]  # cached
        replica.pause_replay()
        try:
            services.publish_verdict(verdict=correction, by=second_editor)
            api = fetch(f"{server.base_url}/api/v1/claims/{claim.slug}/")[2]
            assert "Corrected view." not in api  # anonymous API reads: the replica, still behind
            for _ in range(6):
                assert "Corrected view." in fetch(page)[2]
        finally:
            replica.resume_replay()


def test_a_replica_that_goes_down_is_skipped(server, replica, submitted):
    claim, _ = submitted
    url = f"{server.base_url}/api/v1/claims/{claim.slug}/"
    assert fetch(url)[0] == 200
    replica.stop()
    try:
        statuses = [fetch(url)[0] for _ in range(10)] + [fetch(server.base_url + "/claims/")[0] for _ in range(4)]
        assert statuses == [200] * 14
        assert Claim.objects.filter(pk=claim.pk).exists()
    finally:
        replica.start()
    deadline = time.monotonic() + 20
    before = transactions_on_replica(replica)
    while transactions_on_replica(replica) == before:  # back in use once it answers again
        fetch(url)
        assert time.monotonic() < deadline
