"""Recompute every source's cached credibility in a fixed number of set-based SQL statements.

The publish and withdraw services keep scores current one claim at a time; run this after bulk
imports, after changing the rating scale or the recency half-life, and nightly when recency
weighting is on (scores then drift with time even without new verdicts).
"""

import sys
import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from claims.credibility_sql import half_life_days, recompute_all


class Command(BaseCommand):
    help = "Recompute the credibility score, interval and rating counts of every source (set-based SQL)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        with tqdm(desc="Scoring sources", unit=" sources", disable=options["verbosity"] < 1, file=sys.stderr) as bar:
            stats = recompute_all(progress=bar.update)
        elapsed = time.perf_counter() - started
        if options["verbosity"] >= 1:
            recency = f"half-life {half_life_days():g} days" if half_life_days() > 0 else "no recency weighting"
            self.stdout.write(
                self.style.SUCCESS(
                    f"Credibility recomputed in {elapsed:.2f} s ({recency}): {stats.scored} sources scored, "
                    f"{stats.updated} rows written, {stats.reset} reset to 'not enough data', "
                    f"{stats.statements} SQL statements."
                )
            )
