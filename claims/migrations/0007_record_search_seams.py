# Search: the stored vector opens word seams ("Covid-19", "COVID19" -> "Covid 19", see
# claims/querysets.py SEARCH_SEAMS), as every query does, so either spelling finds the other.
# Django cannot alter a generated column's expression, so the column (and its GIN index) is dropped
# and added again; PostgreSQL computes the new vectors for every row while adding it.

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

SEAMS = "(?<=[[:alnum:]])[-‐‑–](?=[[:alnum:]])|(?<=[[:alpha:]])(?=[[:digit:]])|(?<=[[:digit:]])(?=[[:alpha:]])"


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0006_perfsite_reader_indexes_page_generation"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="claim", name="claim_search_idx"),
        migrations.RemoveField(model_name="claim", name="search_vector"),
        migrations.AddField(
            model_name="claim",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.SearchVector(
                    models.Func(
                        models.F("text"),
                        models.Value(SEAMS),
                        models.Value(" "),
                        models.Value("g"),
                        function="regexp_replace",
                        output_field=models.TextField(),
                    ),
                    config="english",
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="claim_search_idx"),
        ),
    ]
