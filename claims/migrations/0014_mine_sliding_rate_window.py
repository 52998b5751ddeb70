# The rate counters keep the previous fixed window's count beside the current one, from which
# factcheck/rate_counter.py estimates the count over a sliding window.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0013_follow_sources"),
    ]

    operations = [
        migrations.AddField(
            model_name="ratecounter",
            name="previous_hits",
            field=models.IntegerField(default=0),
        ),
    ]
