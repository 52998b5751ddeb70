"""Published claims and their current verdicts as CSV (slug, text, claimant, rating, summary, published_at, url)."""

import sys

from django.core.management.base import BaseCommand

from claims.ingest.csv_export import write_csv


class Command(BaseCommand):
    help = "Write every published claim with its current verdict as CSV (streamed)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", default="-", help="file to write ('-', the default, is stdout)")

    def handle(self, *args, output, **options):
        if output == "-":
            write_csv(sys.stdout)
            return
        with open(output, "w", encoding="utf-8", newline="") as out:
            count = write_csv(out)
        sys.stderr.write(f"Wrote {count} claims to {output}\n")
