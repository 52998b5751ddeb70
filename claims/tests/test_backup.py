"""Backup and restore (manage.py backup_database / restore_database, pg_dump and pg_restore of the
embedded server): the demo archive restored into an empty database is the same, row for row."""

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from claims.models import Claim, Source, Verdict
from claims.tests.servers import database_url

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
RESTORED = "test_factcheck_restored"


def server_url(name: str) -> str:
    return database_url({**connection.settings_dict, "NAME": name})


@pytest.fixture
def empty_database():
    with psycopg.connect(server_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{RESTORED}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{RESTORED}"')
    yield server_url(RESTORED)
    with psycopg.connect(server_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{RESTORED}" WITH (FORCE)')


def fingerprints(url: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of all its rows; every sequence's position."""
    with psycopg.connect(url) as conn:
        tables = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        found = {}
        for table in tables:
            found[table] = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"
            ).fetchone()
        for (sequence,) in conn.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'").fetchall():
            found["sequence " + sequence] = conn.execute(f'SELECT last_value FROM "{sequence}"').fetchone()
        return found


def test_it_restores_a_backup_into_an_empty_database_with_every_row(tmp_path, empty_database):
    call_command("load_demo", verbosity=0)
    call_command("recompute_credibility", verbosity=0)
    assert Claim.objects.exists() and Verdict.objects.filter(status="published").exists()
    assert Claim.history.exists() and Verdict.history.exists()
    assert Source.objects.exclude(credibility_score=None).exists()
    dump = tmp_path / "factcheck.dump"

    call_command("backup_database", output=str(dump), verbosity=0)
    call_command("restore_database", str(dump), target=empty_database, verbosity=0)

    original, restored = fingerprints(server_url(connection.settings_dict["NAME"])), fingerprints(empty_database)
    assert restored == original
    for table in ("claims_claim", "claims_verdict", "claims_historicalclaim", "claims_historicalverdict"):
        assert restored[table][0] > 0, table  # the demo's claims, verdicts and their history
    with psycopg.connect(empty_database) as conn:
        scores = conn.execute(
            "SELECT slug, credibility_score FROM claims_source WHERE credibility_score IS NOT NULL ORDER BY slug"
        ).fetchall()
    assert scores == list(
        Source.objects.exclude(credibility_score=None).order_by("slug").values_list("slug", "credibility_score")
    )


def test_it_refuses_to_restore_over_data(tmp_path):
    dump = tmp_path / "factcheck.dump"
    call_command("backup_database", output=str(dump), verbosity=0)
    with pytest.raises(CommandError, match="restore into an empty one"):
        call_command("restore_database", str(dump), target=server_url(connection.settings_dict["NAME"]))
    with pytest.raises(CommandError, match="exists"):
        call_command("backup_database", output=str(dump))  # nor overwrite an earlier backup
