# Performance (bench/, docs/PERFORMANCE.md): sources of one kind listed by name.
# Built CONCURRENTLY so that a live archive keeps serving while it is created.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("claims", "0004_claim_first_seen_index"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="source",
            index=models.Index(fields=["kind", "name", "id"], name="source_kind_name_idx"),
        ),
    ]
