"""Joins 0010_google_search_language, written beside the webhook and tip-line migrations."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_google_search_language"),
        ("claims", "0011_merge_webhooks_tips"),
    ]

    operations = []
