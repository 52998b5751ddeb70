# Joins two side-by-side migrations: the tip subscription's language beside the rate window and
# followed entries.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0014_i18nsite_subscription_language"),
        ("claims", "0015_merge_rate_window_rss"),
    ]

    operations = []
