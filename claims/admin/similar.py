"""Similar existing claims for a new claim's text, so reviewers catch duplicates before saving.

The candidates and their classes come from the matcher (claims/matching/ranking.py, through
`services.similar_claims`): lexical and semantic evidence fused, across languages where claims
carry embeddings; "likely duplicate" is its "likely the same claim", and a close claim with other
figures or places is shown as such, never as a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass

from claims import services
from claims.choices import ClaimStatus
from claims.matching.ranking import DIFFERENT_FIGURE, SAME


@dataclass(frozen=True)
class SimilarClaim:
    pk: int
    text: str
    slug: str
    status: str
    score: float  # the embeddings' cosine similarity, or the words' overlap without a vector
    match_class: str
    reason: str

    @property
    def likely_duplicate(self) -> bool:
        return self.match_class == SAME

    @property
    def same_words_other_numbers(self) -> bool:
        return self.match_class == DIFFERENT_FIGURE

    @property
    def status_label(self) -> str:
        return ClaimStatus(self.status).label


def similar_claims(text: str, *, limit: int = 5, exclude_pk: int | None = None) -> list[SimilarClaim]:
    """Up to `limit` claims most like `text`, likely duplicates first."""
    text = (text or "").strip()
    if not text:
        return []
    return [
        SimilarClaim(
            pk=match.claim_id,
            text=match.text,
            slug=match.slug,
            status=match.status,
            score=round(match.similarity if match.similarity is not None else match.overlap, 2),
            match_class=match.match_class,
            reason=match.reason,
        )
        for match in services.similar_claims(text, exclude_pk=exclude_pk, limit=limit)
    ]
