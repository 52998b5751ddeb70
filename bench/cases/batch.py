"""Batch work: the credibility recompute against one set-based UPDATE, and ClaimReview import
throughput against COPY of the same rows. Writes are rolled back where the work is not idempotent."""

import json
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from django.core.management import call_command, get_commands
from django.db import connection, transaction

from bench.timing import Result, Skip, Timing, measure

FLOOR_CREDIBILITY_SQL = """
WITH rated AS (
    SELECT c.id, c.claimant_id, r.truth_weight FROM claims_claim c
    JOIN claims_verdict v ON v.id = c.published_verdict_id
    JOIN claims_ratinglevel r ON r.id = v.rating_id
    WHERE c.status = 'published' AND r.truth_weight IS NOT NULL
), links AS (
    SELECT claimant_id AS source_id, id AS claim_id, truth_weight FROM rated WHERE claimant_id IS NOT NULL
    UNION
    SELECT ar.outlet_id, p.id, p.truth_weight FROM rated p
      JOIN claims_appearance a ON a.claim_id = p.id AND a.voice = 'asserts'
      JOIN claims_article ar ON ar.id = a.article_id WHERE ar.outlet_id IS NOT NULL
    UNION
    SELECT aa.source_id, p.id, p.truth_weight FROM rated p
      JOIN claims_appearance a ON a.claim_id = p.id AND a.voice = 'asserts'
      JOIN claims_article_authors aa ON aa.article_id = a.article_id
), scores AS (
    SELECT source_id, count(*) AS n, sum(truth_weight) AS total FROM links GROUP BY source_id
)
UPDATE claims_source s SET rated_claims_count = scores.n, credibility_score = (scores.total + 1) / (scores.n + 2),
       credibility_computed_at = now()
FROM scores WHERE s.id = scores.source_id
"""


def _rolled_back(fn):
    def run():
        with transaction.atomic():
            fn()
            transaction.set_rollback(True)

    return run


def run_credibility(ctx) -> list[Result]:
    if "recompute_credibility" not in get_commands():
        raise Skip("`manage.py recompute_credibility` is not on this branch yet")
    # Two runs each, no warm-up: at a million claims one run takes most of a minute.
    ours = measure(lambda: call_command("recompute_credibility", verbosity=0), runs=2, warmup=0)
    floor = measure(_rolled_back(lambda: connection.cursor().execute(FLOOR_CREDIBILITY_SQL)), runs=2, warmup=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM claims_source")
        sources = cursor.fetchone()[0]
    return [
        Result(
            "Credibility recompute, all sources (`manage.py recompute_credibility`)",
            ours,
            floor,
            "one UPDATE … FROM (aggregate) statement (mean only, no interval)",
            note=f"{sources:,} sources",
        )
    ]


def claimreview_feed(path: Path, count: int, run_id: str) -> None:
    """A schema.org DataFeed of `count` ClaimReviews, as Google's Fact Check Tools / Data Commons publish."""
    labels = [(5, "True"), (4, "Mostly true"), (3, "Half true"), (2, "Mostly false"), (1, "False")]
    start = date(2024, 1, 1)
    items = []
    for number in range(count):
        value, label = labels[number % len(labels)]
        day = (start + timedelta(days=number % 700)).isoformat()
        items.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": f"https://factcheck.example.net/{run_id}/review-{number}",
                "claimReviewed": f"Imported claim {number} of run {run_id}: oil exports rose {number % 90}% in 2023.",
                "datePublished": day,
                "author": {"@type": "Organization", "name": f"Example Fact Checks {number % 20}",
                           "url": f"https://factcheck{number % 20}.example.net/"},
                "reviewRating": {"@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1,
                                 "alternateName": label},
                "itemReviewed": {
                    "@type": "Claim",
                    "author": {"@type": "Person", "name": f"Speaker {number % 500}"},
                    "datePublished": day,
                    "appearance": [{"@type": "CreativeWork",
                                    "url": f"https://news.example.net/{run_id}/story-{number}"}],
                },
            }
        )  # fmt: skip
    feed = {"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": [{"item": items}]}
    path.write_text(json.dumps(feed))


def run_claimreview(ctx) -> list[Result]:
    if "import_claimreview" not in get_commands():
        raise Skip("`manage.py import_claimreview` is not on this branch yet (benchmark written, skipped)")
    from claims.management.commands.generate_synthetic import copy_rows

    count = 5000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feed.json"
        claimreview_feed(path, count, f"bench{int(time.time())}")
        started = time.perf_counter()
        with transaction.atomic():
            call_command("import_claimreview", str(path), verbosity=0)
            transaction.set_rollback(True)
        ours_ms = (time.perf_counter() - started) * 1000
    now = time.strftime("%Y-%m-%d %H:%M:%S+00")

    def copy_floor():
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM claims_claim")
            base = cursor.fetchone()[0] + 1_000_000
            cursor.execute("SELECT id FROM claims_ratinglevel ORDER BY ordinal LIMIT 1")
            rating = cursor.fetchone()[0]
            claims = (
                (
                    base + n,
                    now,
                    now,
                    f"Imported claim {n}",
                    f"imported-{base + n}",
                    None,
                    "published",
                    None,
                    None,
                    None,
                    "en",
                )
                for n in range(count)
            )
            copy_rows(cursor.cursor, "claims_claim", claims)
            verdicts = (
                (base + n, now, now, "Imported", "", "superseded", 1, None, now, None, "", "", False, "False",
                 None, None, base + n, rating, None, "")
                for n in range(count)
            )  # fmt: skip
            copy_rows(cursor.cursor, "claims_verdict", verdicts)

    floor = measure(_rolled_back(copy_floor), runs=3, warmup=1, memory=False)
    ours = Timing(ours_ms, ours_ms, 1)
    return [
        Result(
            f"ClaimReview import, {count:,} reviews (`manage.py import_claimreview`)",
            ours,
            floor,
            "COPY of the same claims and verdicts",
            note=f"{count / ours_ms * 1000:,.0f} reviews/s vs {count / floor.median_ms * 1000:,.0f} rows/s by COPY",
        )
    ]
