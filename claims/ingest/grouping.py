"""Grouping imported reviews: a ClaimReview of a claim we already hold joins that claim.

Three fact-checkers checking one statement publish three ClaimReviews, worded their own way and
often in their own language. Google's `claims:search` shows them as one claim with three
`claimReview[]`; so does this site. For each review of a batch that is new here (its URL unknown),
the claim it reviews is looked for among

* the published claims already stored: the nearest by embedding, for the whole batch in one
  query (a LATERAL nearest-neighbour scan of the HNSW index per review), and
* the claims the same batch creates before it (cosine of the vectors already computed),

and each candidate is classed by the one matching rule (`claims.matching.ranking.classify`: close
meaning, and the same figures and places). A review joins the closest "likely the same claim";
"related, different figure" never joins. Two rules keep distinct reviews apart: a fact-checker's
own reviews never join each other (one organisation does not review one claim twice under two
URLs unless something differs), and only published claims are candidates (an import never makes
our unpublished work public).

Without vectors (FACTCHECK_MATCHING_EMBED_ON_WRITE off) nothing is grouped: the vectors are the
candidate search, and a backfill comes later. FACTCHECK_IMPORT_GROUPING off turns grouping off.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from claims.choices import ClaimStatus, VerdictStatus
from claims.matching.ranking import SAME, SAME_SIMILARITY, SAME_SIMILARITY_WITH_WORDS, Match, classify
from claims.models import Claim, Verdict
from claims.services.matching import vector_literal

NEIGHBOURS = 5  # stored claims considered per review
_REASON_MAX = Verdict._meta.get_field("grouping_reason").max_length


@dataclass(frozen=True)
class Target:
    """Where a review goes: an existing claim (`claim_id`) or the new claim of an earlier row of
    the same batch (`leader`, its index), and the match that decided it."""

    claim_id: int | None
    leader: int | None
    match: Match

    def reason(self, slug: str) -> str:
        """What the review's verdict keeps as its `grouping_reason`."""
        match = self.match
        return f"{match.label} as '{slug}' (score {match.score:.2f}): {match.reason}"[:_REASON_MAX]


def _candidates(vectors: list[list[float]]) -> dict[int, list[tuple]]:
    """Per review index: (claim id, text, slug, language, similarity, organisation ids of its
    current reviews) of the nearest published claims, in one query for the batch."""
    if not vectors:
        return {}
    claims, verdicts = Claim._meta.db_table, Verdict._meta.db_table
    # The vectors are cast once, in the unnest (cast beside the distance, each comparison parsed
    # 512 numbers again: 35 s for 250 reviews against 750 claims). The nearest claims whatever
    # their status, filtered after: a plain nearest-neighbour LIMIT that the HNSW index serves.
    sql = f"""
        SELECT q.ord, c.id, c.text, c.slug, c.language, 1 - c.distance,
               ARRAY(SELECT v.organisation_id FROM {verdicts} v
                      WHERE v.claim_id = c.id AND v.status = %s AND v.organisation_id IS NOT NULL)
          FROM unnest(%s::int[], %s::text[]::vector[]) AS q(ord, vector)
          CROSS JOIN LATERAL (
                SELECT id, text, slug, language, status, embedding <=> q.vector AS distance
                  FROM {claims}
                 WHERE embedding IS NOT NULL
                 ORDER BY embedding <=> q.vector
                 LIMIT %s) AS c
         WHERE c.status = %s
         ORDER BY q.ord, c.distance
    """
    found: dict[int, list[tuple]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                VerdictStatus.PUBLISHED.value,
                list(range(len(vectors))),
                [vector_literal(vector) for vector in vectors],
                2 * NEIGHBOURS,
                ClaimStatus.PUBLISHED.value,
            ],
        )
        for ordinal, *row in cursor.fetchall():
            found.setdefault(ordinal, []).append(tuple(row))
    return found


def group_reviews(
    texts: list[str], languages: list[str], checkers: list[int | None], vectors: list | None
) -> list[Target | None]:
    """For each new review (its claim text, language, fact-checker's source id and vector, in
    batch order): the claim it joins, or None when it starts its own."""
    if vectors is None or not texts or not settings.FACTCHECK_IMPORT_GROUPING:
        return [None] * len(texts)
    import numpy

    stored = _candidates(vectors)
    # The batch's cosines at once (unit vectors: dot products); a pair below the lowest "same"
    # similarity is not classed at all.
    matrix = numpy.asarray(vectors, dtype=numpy.float32)
    cosines = matrix @ matrix.T
    floor = min(SAME_SIMILARITY, SAME_SIMILARITY_WITH_WORDS)
    targets: list[Target | None] = []
    leaders: list[int] = []  # indexes of earlier rows that start claims
    group_checkers: dict[int, set] = {}  # leader -> the fact-checkers of its group
    joined: dict[int, set] = {}  # stored claim -> the fact-checkers this batch added to it
    for index, (text, language, checker) in enumerate(zip(texts, languages, checkers, strict=True)):
        best: tuple[float, Target] | None = None
        for claim_id, claim_text, slug, claim_language, similarity, organisations in stored.get(index, ()):
            if checker is not None and (checker in organisations or checker in joined.get(claim_id, ())):
                continue
            match = Match(claim_id, claim_text, slug, ClaimStatus.PUBLISHED, claim_language, round(similarity, 4),
                          None, 1, score=round(similarity, 4))  # fmt: skip
            if classify(text, match, query_language=language) and match.match_class == SAME:
                if best is None or similarity > best[0]:
                    best = (similarity, Target(claim_id, None, match))
        lead = numpy.asarray(leaders, dtype=numpy.int64)
        close = lead[cosines[index, lead] >= floor]
        # The nearest few only, as for stored claims: template-like texts would otherwise class
        # every earlier row.
        close = close[numpy.argsort(-cosines[index, close], kind="stable")[:NEIGHBOURS]]
        for leader in close.tolist():
            if checker is not None and checker in group_checkers[leader]:
                continue
            similarity = float(cosines[index, leader])
            match = Match(0, texts[leader], "", ClaimStatus.PUBLISHED, languages[leader], round(similarity, 4),
                          None, 1, score=round(similarity, 4))  # fmt: skip
            if classify(text, match, query_language=language) and match.match_class == SAME:
                if best is None or similarity > best[0]:
                    best = (similarity, Target(None, leader, match))
        targets.append(best[1] if best else None)
        if best is None:
            leaders.append(index)
            group_checkers[index] = {checker}
        elif best[1].leader is not None:
            group_checkers[best[1].leader].add(checker)
        else:
            joined.setdefault(best[1].claim_id, set()).add(checker)
    return targets
