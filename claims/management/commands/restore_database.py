"""Restore a `backup_database` dump into an empty database with pg_restore, in one transaction.

    python manage.py restore_database factcheck-2026-12-04.dump
    python manage.py restore_database factcheck.dump --target postgres://user@host/factcheck_new

The target (DATABASE_URL's database, or --target) must exist and hold no tables: a restore never
overwrites data. pg_restore runs with --single-transaction and --exit-on-error, so it either
restores everything or leaves the database as empty as it found it.
"""

import os
import subprocess
from pathlib import Path

import psycopg
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from factcheck.database import libpq_connection, parse_database_url, pg_program


class Command(BaseCommand):
    help = "Restore a backup_database dump into an empty database (the configured one, or --target URL)."

    def add_arguments(self, parser):
        parser.add_argument("dump", help="file written by backup_database")
        parser.add_argument("--target", help="postgres:// URL of the (empty) database to restore into")

    def handle(self, *args, **options):
        dump = Path(options["dump"])
        if not dump.is_file():
            raise CommandError(f"{dump} is not a file")
        target = parse_database_url(options["target"]) if options["target"] else connections["default"].settings_dict
        conninfo, env = libpq_connection(target)
        tables = self._table_count(conninfo, env)
        if tables:
            raise CommandError(f"the target database {target['NAME']!r} has {tables} tables; restore into an empty one")
        result = subprocess.run(
            [pg_program("pg_restore"), "--dbname", conninfo, "--no-owner", "--no-privileges", "--single-transaction",
             "--exit-on-error", str(dump)],
            env={**os.environ, **env}, capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed (nothing restored): {result.stderr.strip()}")
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"Restored {dump} into {target['NAME']!r}."))

    def _table_count(self, conninfo: str, env: dict) -> int:
        try:
            with psycopg.connect(conninfo, password=env.get("PGPASSWORD"), connect_timeout=10) as conn:
                return conn.execute(
                    "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
                ).fetchone()[0]
        except psycopg.Error as error:
            raise CommandError(f"cannot connect to the target database: {error}") from None
