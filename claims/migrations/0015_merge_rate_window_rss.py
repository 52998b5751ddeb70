# Joins two side-by-side migrations: the sliding rate window and followed feed entries.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0014_mine_sliding_rate_window"),
        ("claims", "0014_rss_followed_entries"),
    ]

    operations = []
