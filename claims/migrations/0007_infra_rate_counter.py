# Shared API rate limits (factcheck/rate_counter.py): one row per client and scope, counted with a
# single INSERT ... ON CONFLICT per request, so gunicorn workers and machines enforce one limit.
# UNLOGGED: losing the counters in a crash only resets the limits, and writes skip the WAL.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0006_perfsite_reader_indexes_page_generation"),
    ]

    operations = [
        migrations.CreateModel(
            name="RateCounter",
            fields=[
                ("key", models.CharField(max_length=200, primary_key=True, serialize=False)),
                ("window_number", models.BigIntegerField()),
                ("hits", models.IntegerField()),
                ("expires_at", models.BigIntegerField(db_index=True)),
            ],
        ),
        migrations.RunSQL(
            "ALTER TABLE claims_ratecounter SET UNLOGGED",
            reverse_sql="ALTER TABLE claims_ratecounter SET LOGGED",
        ),
    ]
