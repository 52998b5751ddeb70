"""Joins the four 0007 migrations written side by side (none touches another's tables or fields)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_figures_proposals"),
        ("claims", "0007_infra_rate_counter"),
        ("claims", "0007_matching_language_embedding"),
        ("claims", "0007_ux_queue_and_index_pages"),
    ]

    operations = []
