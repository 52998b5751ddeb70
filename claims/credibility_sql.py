"""Set-based recompute of the cached credibility columns of Source (the model is in credibility.py).

Both paths run a fixed number of SQL statements whatever the number of sources or verdicts:

* `recompute_claim_sources(claim_ids)` / `recompute_sources(source_ids)` — called by the publish and
  withdraw services for the few sources a claim touches: lock those rows, one aggregate SELECT, one
  `UPDATE … FROM unnest(…)`.
* `recompute_all()` — the `recompute_credibility` command: the aggregate for every source into a
  temporary table, the (α, β) sums streamed out with `COPY … TO STDOUT` so Python can compute the
  Beta quantiles, the results streamed back with `COPY … FROM STDIN`, then one `UPDATE … FROM` and
  one reset of the sources that no longer have verdicts. Memory stays flat: rows stream through a
  temporary spool file, never a list.

Which claims count for a source: those with a *published* verdict (superseded and withdrawn ones
do not; a correction replaces the rating) where the source is the claimant, or the outlet or an
author of an article that *asserts* the claim. A claim counts once per source however many ways the
source is linked to it.

Concurrency: the cached row must not be overwritten by a transaction that could not see a
concurrent publication. Incremental recomputes lock the source rows first (so a second publisher
waits and then sees the first one's verdict); the full recompute holds an advisory lock that the
incremental path takes in shared mode, so the two never interleave.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from claims.choices import VerdictStatus, Voice
from claims.credibility import PRIOR_ALPHA, PRIOR_BETA, Credibility, estimate
from claims.models import Appearance, Article, Claim, RatingLevel, Source, Verdict

# pg_advisory_xact_lock key: "cred" in ASCII.
ADVISORY_LOCK_KEY = 0x63726564

T_SOURCE = Source._meta.db_table
T_CLAIM = Claim._meta.db_table
T_VERDICT = Verdict._meta.db_table
T_RATING = RatingLevel._meta.db_table
T_APPEARANCE = Appearance._meta.db_table
T_ARTICLE = Article._meta.db_table
T_AUTHORS = Article.authors.through._meta.db_table


def half_life_days() -> float:
    return float(getattr(settings, "FACTCHECK_CREDIBILITY_HALF_LIFE_DAYS", 0) or 0)


def _links_sql(*, filter_column: str | None) -> str:
    """(source_id, claim_id) pairs, deduplicated: claimant, outlet and authors of asserting appearances.
    With `filter_column`, each branch is restricted to `%(ids)s` (the sources being recomputed)."""

    def only(column: str) -> str:
        return f" AND {column} = ANY(%(ids)s)" if filter_column else ""

    asserts = f"'{Voice.ASSERTS.value}'"
    return f"""
        SELECT c.claimant_id AS source_id, c.id AS claim_id
          FROM {T_CLAIM} c WHERE c.claimant_id IS NOT NULL{only("c.claimant_id")}
        UNION
        SELECT ar.outlet_id, ap.claim_id
          FROM {T_APPEARANCE} ap JOIN {T_ARTICLE} ar ON ar.id = ap.article_id
         WHERE ap.voice = {asserts} AND ar.outlet_id IS NOT NULL{only("ar.outlet_id")}
        UNION
        SELECT au.source_id, ap.claim_id
          FROM {T_APPEARANCE} ap JOIN {T_AUTHORS} au ON au.article_id = ap.article_id
         WHERE ap.voice = {asserts}{only("au.source_id")}
    """


def aggregate_sql(*, today: date, half_life: float, filtered: bool) -> str:
    """Per source: rated (scored claims), weighted_count Σr, weighted_truth Σr·w, counts {slug: n}.

    r is the recency weight 0.5^(age / half-life), age in days from the claim's first-seen date (or
    its verdict's publication date) to `today`; r = 1 when the half-life is 0. `today` and
    `half_life` are a date and a float, rendered as literals so the text also works inside COPY."""
    if half_life > 0:
        recency = (
            f"power(0.5, GREATEST(DATE '{today.isoformat()}' - COALESCE(c.first_seen, v.published_at::date), 0)"
            f" / {float(half_life)!r}::float8)"
        )
    else:
        recency = "1.0::float8"
    published = f"'{VerdictStatus.PUBLISHED.value}'"
    return f"""
        WITH links AS ({_links_sql(filter_column="ids" if filtered else None)}),
        per_rating AS (
            SELECT l.source_id, r.slug,
                   count(*) AS n,
                   count(r.truth_weight) AS n_scored,
                   sum({recency}) FILTER (WHERE r.truth_weight IS NOT NULL) AS weighted_count,
                   sum({recency} * r.truth_weight) AS weighted_truth
              FROM links l
              JOIN {T_CLAIM} c ON c.id = l.claim_id
              -- A claim counts once, by its headline verdict, however many fact-checkers reviewed it.
              JOIN {T_VERDICT} v ON v.id = c.published_verdict_id AND v.status = {published}
              JOIN {T_RATING} r ON r.id = v.rating_id
             GROUP BY l.source_id, r.slug
        )
        SELECT source_id,
               sum(n_scored)::int AS rated,
               COALESCE(sum(weighted_count), 0)::float8 AS weighted_count,
               COALESCE(sum(weighted_truth), 0)::float8 AS weighted_truth,
               jsonb_object_agg(slug, n) AS counts
          FROM per_rating
         GROUP BY source_id
    """


def _affected_sources_sql(*, lock: bool = True) -> str:
    """The sources a set of claims (`%(claims)s`) counts for, locked in id order (no deadlocks)
    unless `lock` is False."""
    asserts = f"'{Voice.ASSERTS.value}'"
    return f"""
        SELECT s.id FROM {T_SOURCE} s
         WHERE s.id IN (
                SELECT claimant_id FROM {T_CLAIM} WHERE id = ANY(%(claims)s)
                UNION
                SELECT ar.outlet_id FROM {T_APPEARANCE} ap JOIN {T_ARTICLE} ar ON ar.id = ap.article_id
                 WHERE ap.claim_id = ANY(%(claims)s) AND ap.voice = {asserts}
                UNION
                SELECT au.source_id FROM {T_APPEARANCE} ap JOIN {T_AUTHORS} au ON au.article_id = ap.article_id
                 WHERE ap.claim_id = ANY(%(claims)s) AND ap.voice = {asserts})
         ORDER BY s.id
    """ + ("   FOR UPDATE OF s" if lock else "")


def _card(rated: int, weighted_count: float, weighted_truth: float) -> Credibility:
    return estimate(weighted_truth=weighted_truth, weighted_count=weighted_count, rated_claims=rated)


# --- Incremental: the few sources one publication touches -----------------------------------


@transaction.atomic(savepoint=False)
def recompute_claim_sources(claim_ids: Iterable[int]) -> list[int]:
    """Recompute every source the given claims count for (4 statements). Returns their ids."""
    claim_ids = sorted({int(pk) for pk in claim_ids})
    if not claim_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [ADVISORY_LOCK_KEY])
        cursor.execute(_affected_sources_sql(), {"claims": claim_ids})
        source_ids = [row[0] for row in cursor.fetchall()]
        _recompute_locked(cursor, source_ids)
    return source_ids


def sources_of_claims(claim_ids: Iterable[int]) -> list[int]:
    """The sources the given claims count for (claimant; outlet and authors of asserting
    appearances), without locking them: for a caller that recomputes them later (1 statement),
    e.g. before a change of attribution, so the sources a claim stops counting for are too."""
    claim_ids = sorted({int(pk) for pk in claim_ids})
    if not claim_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_affected_sources_sql(lock=False), {"claims": claim_ids})
        return [row[0] for row in cursor.fetchall()]


@transaction.atomic(savepoint=False)
def recompute_sources(source_ids: Iterable[int]) -> None:
    """Recompute the given sources (4 statements whatever their number)."""
    source_ids = sorted({int(pk) for pk in source_ids})
    if not source_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [ADVISORY_LOCK_KEY])
        cursor.execute(f"SELECT id FROM {T_SOURCE} WHERE id = ANY(%s) ORDER BY id FOR UPDATE", [source_ids])
        _recompute_locked(cursor, [row[0] for row in cursor.fetchall()])


def _recompute_locked(cursor, source_ids: Sequence[int]) -> None:
    if not source_ids:
        return
    aggregate = aggregate_sql(today=timezone.localdate(), half_life=half_life_days(), filtered=True)
    cursor.execute(
        f"SELECT source_id, counts::text, rated, weighted_count, weighted_truth FROM ({aggregate}) agg",
        {"ids": list(source_ids)},
    )
    found = {row[0]: row[1:] for row in cursor.fetchall()}
    ids, scores, lows, highs, counts, rated_counts = [], [], [], [], [], []
    for source_id in source_ids:
        counts_text, rated, weighted_count, weighted_truth = (found.get(source_id) or ("{}", 0, 0.0, 0.0))[:4]
        card = _card(rated, weighted_count, weighted_truth)
        ids.append(source_id)
        scores.append(card.score)
        lows.append(card.low)
        highs.append(card.high)
        rated_counts.append(card.rated_claims)
        counts.append(counts_text)
    cursor.execute(
        f"""
        UPDATE {T_SOURCE} s
           SET credibility_score = u.score, credibility_low = u.low, credibility_high = u.high,
               rated_claims_count = u.rated, rating_counts = u.counts::jsonb, credibility_computed_at = now()
          FROM unnest(%s::bigint[], %s::float8[], %s::float8[], %s::float8[], %s::int[], %s::text[])
               AS u(id, score, low, high, rated, counts)
         WHERE s.id = u.id
        """,
        [ids, scores, lows, highs, rated_counts, counts],
    )


# --- Everything: the recompute_credibility command ------------------------------------------


@dataclass(frozen=True)
class RecomputeStats:
    scored: int  # sources with a score
    updated: int  # source rows written with fresh results (scored or only unverifiable verdicts)
    reset: int  # sources that had cached results and no longer have any verdict
    statements: int  # SQL statements issued (constant)


def recompute_all(*, progress: Callable[[int], None] | None = None) -> RecomputeStats:
    """Recompute every source in a fixed number of statements (see module docstring).
    `progress(n)` is called as batches of scored sources are processed."""
    statements = 0

    def run(cursor, sql: str, params=None) -> None:
        nonlocal statements
        statements += 1
        cursor.execute(sql, params)

    today, half_life = timezone.localdate(), half_life_days()
    with transaction.atomic(), connection.cursor() as cursor, tempfile.TemporaryFile("w+b") as spool:
        run(cursor, "SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        run(
            cursor,
            "CREATE TEMPORARY TABLE credibility_sums ON COMMIT DROP AS "
            + aggregate_sql(today=today, half_life=half_life, filtered=False),
        )
        run(
            cursor,
            "CREATE TEMPORARY TABLE credibility_scores "
            "(source_id bigint, score float8, low float8, high float8) ON COMMIT DROP",
        )
        raw = cursor.cursor  # psycopg cursor: COPY is not part of the DB-API
        statements += 1
        scored = 0
        with raw.copy(
            "COPY (SELECT source_id, rated, weighted_count, weighted_truth FROM credibility_sums WHERE rated > 0) "
            "TO STDOUT"
        ) as copy:
            copy.set_types(["int8", "int4", "float8", "float8"])
            for source_id, rated, weighted_count, weighted_truth in copy.rows():
                card = _card(rated, weighted_count, weighted_truth)
                spool.write(f"{source_id}\t{card.score!r}\t{card.low!r}\t{card.high!r}\n".encode())
                scored += 1
                if progress and scored % 1000 == 0:
                    progress(1000)
        if progress and scored % 1000:
            progress(scored % 1000)
        spool.seek(0)
        statements += 1
        with raw.copy("COPY credibility_scores (source_id, score, low, high) FROM STDIN") as copy:
            while chunk := spool.read(1 << 20):
                copy.write(chunk)
        run(
            cursor,
            f"""
            UPDATE {T_SOURCE} s
               SET credibility_score = r.score, credibility_low = r.low, credibility_high = r.high,
                   rated_claims_count = c.rated, rating_counts = c.counts, credibility_computed_at = now()
              FROM credibility_sums c LEFT JOIN credibility_scores r ON r.source_id = c.source_id
             WHERE s.id = c.source_id
            """,
        )
        updated = cursor.rowcount
        run(
            cursor,
            f"""
            UPDATE {T_SOURCE} s
               SET credibility_score = NULL, credibility_low = NULL, credibility_high = NULL,
                   rated_claims_count = 0, rating_counts = '{{}}'::jsonb, credibility_computed_at = now()
             WHERE (s.credibility_score IS NOT NULL OR s.rated_claims_count <> 0 OR s.rating_counts <> '{{}}'::jsonb)
               AND NOT EXISTS (SELECT 1 FROM credibility_sums c WHERE c.source_id = s.id)
            """,
        )
        reset = cursor.rowcount
        # ON COMMIT DROP does not fire when the caller's transaction goes on (tests, nested atomic).
        run(cursor, "DROP TABLE credibility_sums, credibility_scores")
    return RecomputeStats(scored=scored, updated=updated, reset=reset, statements=statements)


__all__ = [
    "PRIOR_ALPHA",
    "PRIOR_BETA",
    "RecomputeStats",
    "aggregate_sql",
    "recompute_all",
    "recompute_claim_sources",
    "recompute_sources",
    "sources_of_claims",
]
