# The reviewer's and reader's way around (ux branch):
# - claim_status_oldest_idx: the review queue's default order is oldest waiting first, i.e. by
#   status (in review and new sort before published and withdrawn) then id ascending; the existing
#   (status, -id) index serves only newest first within a status.
# - source_rated_idx: the reader's source index sorts by number of rated claims, most first.
# Built CONCURRENTLY so that a live archive keeps serving while they are created.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("claims", "0006_perfsite_reader_indexes_page_generation"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="claim",
            index=models.Index(fields=["status", "id"], name="claim_status_oldest_idx"),
        ),
        AddIndexConcurrently(
            model_name="source",
            index=models.Index(fields=["rated_claims_count", "id"], name="source_rated_idx"),
        ),
    ]
