# Joins two side-by-side migrations: claim merging beside the earlier merged leaf.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0014_merge_claim_merging"),
        ("claims", "0016_merge_subscription_language"),
    ]

    operations = []
