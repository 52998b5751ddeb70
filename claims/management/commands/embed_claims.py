"""Backfill claims' matching data: sentence embeddings (batch-encoded, one UPDATE per batch) and
languages not yet detected. Run after migrating an existing database, after an import made with
FACTCHECK_MATCHING_EMBED_ON_WRITE off, or with --all after changing the embedding model."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from claims import services
from claims.matching.language import detect_language
from claims.models import Claim


class Command(BaseCommand):
    help = "Compute missing claim embeddings (or all, with --all) and detect missing claim languages."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Recompute every embedding, not only missing ones")
        parser.add_argument("--batch", type=int, default=services.matching.BATCH, help="Texts per encoder call")

    def handle(self, *args, **options):
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        started = time.perf_counter()
        languages = self._languages()
        queryset = Claim.objects.all() if options["all"] else Claim.objects.filter(embedding__isnull=True)
        total = queryset.count()
        with tqdm(
            total=total, desc="Embedding claims", unit=" claims", disable=options["verbosity"] < 1, file=sys.stderr
        ) as bar:
            written = services.embed_claims(
                only_missing=not options["all"], batch=options["batch"], progress=bar.update
            )
        elapsed = time.perf_counter() - started
        if options["verbosity"] >= 1:
            rate = written / elapsed if elapsed else 0
            self.stdout.write(
                self.style.SUCCESS(
                    f"{written} embeddings written, {languages} languages detected "
                    f"in {elapsed:.1f} s ({rate:.0f} claims/s)."
                )
            )

    def _languages(self) -> int:
        """Claims without a language get the detected one (set-based, 1,000 per UPDATE)."""
        done, last = 0, 0
        while True:
            rows = list(Claim.objects.filter(language="", pk__gt=last).order_by("id").values_list("id", "text")[:1000])
            if not rows:
                return done
            found = [(pk, detect_language(text)) for pk, text in rows]
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE claims_claim AS c SET language = v.language "
                    "FROM unnest(%s::bigint[], %s::text[]) AS v(id, language) WHERE c.id = v.id AND v.language <> ''",
                    [[pk for pk, _ in found], [language for _, language in found]],
                )
            done += sum(1 for _, language in found if language)
            last = rows[-1][0]
