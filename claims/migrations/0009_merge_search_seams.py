"""Joins 0007_record_search_seams, written beside the other 0007s, to the migration graph."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_record_search_seams"),
        ("claims", "0008_merge_0007s"),
    ]

    operations = []
