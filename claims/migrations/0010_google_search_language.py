# Search in the claim's language: the stored vector is built with the text-search configuration of
# the claim's own language (PostgreSQL's Snowball stemmers; 'simple' for a language without one,
# 'english' for a claim whose language is not known), so a Portuguese, Russian or Arabic claim is
# found by its word forms. A generated column may only call immutable functions of the row, so the
# language -> configuration choice is an IMMUTABLE SQL function, `factcheck_search_config(tag)`,
# which queries call too, through `factcheck_search_query` (claims/querysets.py). Only the
# configurations this server has are named (older PostgreSQL lacks e.g. armenian, hindi). As in
# 0007_record_search_seams the column and its GIN index are dropped and added again; PostgreSQL
# computes the new vectors while adding it.

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

SEAMS = "(?<=[[:alnum:]])[-‐‑–](?=[[:alnum:]])|(?<=[[:alpha:]])(?=[[:digit:]])|(?<=[[:digit:]])(?=[[:alpha:]])"

# ISO 639-1 (and Norwegian's nb/nn) -> PostgreSQL's configuration: the one mapping (queries call
# the function through claims.querysets.search_config); a later change replaces the function.
CONFIGS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish", "nl": "dutch",
    "en": "english", "et": "estonian", "fi": "finnish", "fr": "french", "de": "german", "el": "greek",
    "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian",
    "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian", "nn": "norwegian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "es": "spanish",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip


def create_function(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_catalog.pg_ts_config WHERE cfgnamespace = 'pg_catalog'::regnamespace")
        present = {row[0] for row in cursor.fetchall()}
    cases = " ".join(
        f"WHEN '{code}' THEN 'pg_catalog.{config}'::regconfig"
        for code, config in sorted(CONFIGS.items())
        if config in present
    )
    schema_editor.execute(
        "CREATE OR REPLACE FUNCTION factcheck_search_config(tag text) RETURNS regconfig "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE split_part(lower(coalesce(tag, '')), '-', 1) "
        f"WHEN '' THEN 'pg_catalog.english'::regconfig {cases} ELSE 'pg_catalog.simple'::regconfig END $$"
    )
    # A search in several languages at once: the text's websearch query in each language's
    # configuration, OR'ed, each distinct query once (English and 'simple' often agree), so the
    # planner sees one small constant tsquery. An empty result (only stop words) matches nothing.
    schema_editor.execute(
        "CREATE OR REPLACE FUNCTION factcheck_search_query(words text, VARIADIC languages text[]) "
        "RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ "
        "SELECT coalesce(string_agg(DISTINCT '(' || q || ')', ' | ')::tsquery, ''::tsquery) "
        "FROM (SELECT websearch_to_tsquery(factcheck_search_config(tag), words)::text AS q "
        "FROM unnest(languages) AS tag) AS queries WHERE q <> '' $$"
    )


def vector(config):
    return models.GeneratedField(
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
            config=config,
        ),
        output_field=django.contrib.postgres.search.SearchVectorField(),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_merge_search_seams"),
    ]

    operations = [
        migrations.RunPython(create_function, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="claim", name="claim_search_idx"),
        migrations.RemoveField(model_name="claim", name="search_vector"),
        migrations.AddField(
            model_name="claim",
            name="search_vector",
            field=vector(
                models.Func(models.F("language"), function="factcheck_search_config", output_field=models.TextField())
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="claim_search_idx"),
        ),
    ]
