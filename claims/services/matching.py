"""Keeping claims' matching data (language, embedding) current: on write, in bulk, as a backfill."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import ngettext

BATCH = 256  # texts encoded per call: large enough to amortise the model's weight streaming


def embeddings_on_write() -> bool:
    return bool(getattr(settings, "FACTCHECK_MATCHING_EMBED_ON_WRITE", True))


def embedding_for(text: str):
    """The vector to store with a claim written now, or None when embedding on write is off (the
    backfill, `manage.py embed_claims`, fills it in later)."""
    if not embeddings_on_write():
        return None
    from claims.matching.embeddings import embed_text

    return embed_text(text)


def embeddings_for(texts: list[str]) -> list | None:
    """Vectors for a batch of texts in one encoder call each `BATCH` texts, or None when off."""
    if not embeddings_on_write():
        return None
    from claims.matching.embeddings import embed_texts

    vectors = []
    for start in range(0, len(texts), BATCH):
        vectors += embed_texts(texts[start : start + BATCH])
    return vectors


def vector_literal(vector) -> str | None:
    """pgvector's text form, for COPY and for array parameters."""
    return None if vector is None else "[" + ",".join(f"{value:.7g}" for value in vector) + "]"


def embed_claims(*, claim_ids=None, only_missing: bool = False, batch: int = BATCH, progress=None) -> int:
    """Compute and store the embeddings of the given claims (all claims when None), `batch` texts
    per encoder call and one UPDATE … FROM per batch. `updated_at` is left alone: it is the claims'
    optimistic-lock version and nothing a reader sees changed. Returns the number written."""
    from claims.matching.embeddings import embed_texts
    from claims.models import Claim

    queryset = Claim.objects.order_by("id")
    if claim_ids is not None:
        queryset = queryset.filter(pk__in=list(claim_ids))
    if only_missing:
        queryset = queryset.filter(embedding__isnull=True)
    written, last = 0, 0
    while True:
        rows = list(queryset.filter(pk__gt=last).values_list("id", "text")[:batch])
        if not rows:
            return written
        vectors = embed_texts([text for _, text in rows])
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE claims_claim AS c SET embedding = v.embedding::vector "
                "FROM unnest(%s::bigint[], %s::text[]) AS v(id, embedding) WHERE c.id = v.id",
                [[pk for pk, _ in rows], [vector_literal(vector) for vector in vectors]],
            )
        written += len(rows)
        last = rows[-1][0]
        if progress:
            progress(len(rows))


# --- Duplicates ----------------------------------------------------------------------------------


class DuplicateClaim(ValidationError):
    """The claim being created is likely one we have (`matches`: the "same" ones, best first)."""

    def __init__(self, matches):
        slugs = ", ".join(match.slug for match in matches[:3])
        super().__init__(
            {
                "text": ngettext(
                    "%(count)d existing claim likely says the same (%(slugs)s). "
                    "Add an appearance to it instead, or send allow_duplicate: true to create it anyway.",
                    "%(count)d existing claims likely say the same (%(slugs)s). "
                    "Add an appearance to one of them instead, or send allow_duplicate: true to create it anyway.",
                    len(matches),
                )
                % {"count": len(matches), "slugs": slugs}
            }
        )
        self.matches = matches


def similar_claims(
    text: str, *, language: str | None = None, exclude_pk: int | None = None, limit: int = 5, vector=None
):
    """Existing claims like `text` (all current claims: only reviewers create them; a merged one
    is only a redirect), best first, classed
    by claims/matching/ranking.py. The model runs only where writes embed (the same switch);
    `vector` is the text's embedding when the caller computed it already."""
    from claims.matching.ranking import match_claims
    from claims.models import Claim

    return match_claims(
        text,
        queryset=Claim.objects.current(),
        language=language,
        limit=limit,
        exclude_pk=exclude_pk,
        semantic=embeddings_on_write(),
        vector=vector,
    )[1]


def likely_duplicates(text: str, *, language: str | None = None, exclude_pk: int | None = None, vector=None):
    """The claims `similar_claims` calls likely the same as `text`."""
    from claims.matching.ranking import SAME

    found = similar_claims(text, language=language, exclude_pk=exclude_pk, vector=vector)
    return [match for match in found if match.match_class == SAME]
