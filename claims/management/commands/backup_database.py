"""Back up the whole database with pg_dump (custom format: compressed, restorable table by table).

    python manage.py backup_database --output factcheck-2026-12-04.dump

Everything is in the dump: claims, verdicts, evidence, history, cached credibility scores, users,
tokens, sequences (the page generation too). Restore with `restore_database` (README, "Backups").
"""

import os
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from factcheck.database import libpq_connection, pg_program


class Command(BaseCommand):
    help = "Write a pg_dump (custom format) of the database to --output."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="file to write (refused if it exists)")
        parser.add_argument("--database", default="default", help="database alias (default: the primary)")

    def handle(self, *args, **options):
        output = Path(options["output"])
        if output.exists():
            raise CommandError(f"{output} exists; choose a new file name")
        conninfo, env = libpq_connection(connections[options["database"]].settings_dict)
        partial = output.with_name(output.name + ".partial")
        result = subprocess.run(
            [
                pg_program("pg_dump"),
                "--dbname",
                conninfo,
                "--format",
                "custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(partial),
            ],  # fmt: skip
            env={**os.environ, **env},
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        partial.rename(output)  # a file under the final name is always a complete dump
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"Backed up to {output} ({output.stat().st_size:,} bytes)."))
