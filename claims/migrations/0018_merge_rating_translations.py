# Joins two side-by-side migrations: the rating scale's translations beside claim merging.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0014_i18nadmin_rating_translations"),
        ("claims", "0017_merge_claim_merging"),
    ]

    operations = []
