"""Similar existing claims for a new claim's text, so reviewers catch duplicates before saving.

Full-text similarity over `Claim.search_vector` (GIN-indexed): candidates are claims sharing any
stemmed word with the new text (an OR tsquery), ranked by `ts_rank`; the score shown is the Dice
overlap of the two texts' stemmed words (1.0 = the same words).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from claims.choices import ClaimStatus
from claims.querysets import SEARCH_SEAMS

CANDIDATES = 20
# A new claim whose words are at least this much contained in an existing claim is a likely duplicate.
DUPLICATE_THRESHOLD = 0.6


@dataclass(frozen=True)
class SimilarClaim:
    pk: int
    text: str
    slug: str
    status: str
    score: float
    same_numbers: bool = True

    @property
    def likely_duplicate(self) -> bool:
        """Mostly the same words *and* the same numbers ("30 million" vs "15-18 million" are two
        claims about one measure, not duplicates)."""
        return self.score >= DUPLICATE_THRESHOLD and self.same_numbers

    @property
    def same_words_other_numbers(self) -> bool:
        return self.score >= DUPLICATE_THRESHOLD and not self.same_numbers

    @property
    def status_label(self) -> str:
        return ClaimStatus(self.status).label


def _numbers(words: set[str]) -> set[str]:
    return {word for word in words if any(ch.isdigit() for ch in word)}


def similar_claims(text: str, *, limit: int = 5, exclude_pk: int | None = None) -> list[SimilarClaim]:
    """Up to `limit` claims most similar to `text`, best first (one query)."""
    text = (text or "").strip()
    if not text:
        return []
    sql = """
        WITH q AS (
            SELECT NULLIF(replace(plainto_tsquery('english', t.text)::text, ' & ', ' | '), '')::tsquery AS query,
                   tsvector_to_array(to_tsvector('english', t.text)) AS words
            FROM (SELECT regexp_replace(%(text)s, %(seams)s, ' ', 'g') AS text) AS t
        )
        SELECT c.id, c.text, c.slug, c.status, tsvector_to_array(c.search_vector), q.words
        FROM claims_claim c, q
        WHERE q.query IS NOT NULL AND c.search_vector @@ q.query AND c.id <> %(exclude)s
        ORDER BY ts_rank(c.search_vector, q.query) DESC, c.id DESC
        LIMIT %(candidates)s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"text": text, "seams": SEARCH_SEAMS, "exclude": exclude_pk or 0, "candidates": CANDIDATES})
        rows = cursor.fetchall()
    results = []
    for pk, claim_text, slug, status, words, new_words in rows:
        new_words, words = set(new_words or ()), set(words or ())
        if not new_words or not words:
            continue
        score = 2 * len(new_words & words) / (len(new_words) + len(words))
        same_numbers = _numbers(new_words) == _numbers(words)
        results.append(
            SimilarClaim(
                pk=pk, text=claim_text, slug=slug, status=status, score=round(score, 2), same_numbers=same_numbers
            )
        )
    results.sort(key=lambda item: (-item.score, -item.pk))
    return results[:limit]
