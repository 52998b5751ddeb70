"""Recompute every measure's cached public conflict state (after changing the tolerance setting,
or after bulk changes that bypassed the services)."""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from claims import services
from claims.models import Measure

BATCH = 500


class Command(BaseCommand):
    help = "Recompute the cached conflict state, spread and conflicting pairs of every measure."

    def handle(self, *args, **options):
        ids = Measure.objects.order_by("pk").values_list("pk", flat=True)
        batch, done = [], 0
        with tqdm(desc="Measures", unit=" measures", disable=options["verbosity"] < 1, file=sys.stderr) as bar:
            for pk in ids.iterator(chunk_size=BATCH):
                batch.append(pk)
                if len(batch) == BATCH:
                    services.refresh_measures(measure_ids=batch)
                    done += len(batch)
                    bar.update(len(batch))
                    batch = []
            if batch:
                services.refresh_measures(measure_ids=batch)
                done += len(batch)
                bar.update(len(batch))
        if options["verbosity"] >= 1:
            disputed = Measure.objects.disputed().count()
            self.stdout.write(self.style.SUCCESS(f"Refreshed {done} measures; {disputed} disputed."))
