# Performance (bench/, docs/PERFORMANCE.md): readers' claim lists order public claims newest first.
# Built CONCURRENTLY so that a live archive of a million claims keeps serving while it is created.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("claims", "0003_groups"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="claim",
            index=models.Index(
                condition=models.Q(("status__in", ["published", "withdrawn"])),
                fields=["-first_seen", "-id"],
                name="claim_public_seen_idx",
            ),
        ),
    ]
