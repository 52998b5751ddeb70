# Joins two side-by-side migrations: reviews grouped per claim beside the rating translations.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0014_grouping_reviews_per_claim"),
        ("claims", "0018_merge_rating_translations"),
    ]

    operations = []
