"""Joins the webhook and tip-line migrations, written side by side (separate tables and columns)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_engine_webhooks"),
        ("claims", "0010_tipline_tips"),
    ]

    operations = []
