# Performance (perfsite branch, docs/PERFORMANCE.md):
# - claim_claimant_seen_idx: a source's scorecard lists the claims it made newest first; with this
#   index the claimant part is an ordered index scan that stops after one page (the busiest
#   synthetic source has 27,000 claims). Built CONCURRENTLY so a live archive keeps serving.
# - figure_measure_reading_idx: the claim page draws a bounded set of a measure's other figures and
#   the measure page pages them, both in reading order (preferred first, newest first); with this
#   index each is an ordered scan that stops after one page instead of checking the visibility of
#   every figure of a popular measure (5,451 at a million claims: 17,000 buffer reads, 140 ms).
# - claims_page_generation: a sequence whose value is the "publication generation" that keys the
#   anonymous page cache (claims/page_cache.py); services bump it when public content changes.
#   A sequence, not a table: reading it is one tiny query, bumping it never blocks on row locks.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("claims", "0005_perf_source_kind_name"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="claim",
            index=models.Index(fields=["claimant", "-first_seen", "-id"], name="claim_claimant_seen_idx"),
        ),
        AddIndexConcurrently(
            model_name="figure",
            index=models.Index(
                models.F("measure"),
                models.F("rank").desc(),
                models.F("point_in_time").desc(nulls_last=True),
                models.F("id").desc(),
                name="figure_measure_reading_idx",
            ),
        ),
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS claims_page_generation",
            "DROP SEQUENCE IF EXISTS claims_page_generation",
        ),
    ]
