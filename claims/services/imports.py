"""Importing reviews published by other fact-checkers (ClaimReview)."""

from __future__ import annotations

from django.db import transaction

from claims.services.base import (
    _require_editor,
)
from claims.services.caches import pages_changed

# --- Ingestion: ClaimReview import ----------------------------------------------------------


@transaction.atomic
def import_reviews(*, items, by, session=None, label=str):
    """Import one batch of ClaimReview items (``claimreview.ReviewItem``) as published claims with
    verdicts attributed to the fact-checking organisation, keyed on the review URL: a known URL
    updates its verdict in place. The whole batch is written or nothing (one transaction).

    **Importing publishes without a second person, by design.** The verdicts are another
    organisation's, already published by it: they carry its name, label and URL, have no author
    or approver here, and our two-person rule is not claimed for them (readers see them as that
    organisation's). This is the one place that decides it, so only editors may import: ``by``
    must hold the editor role (claims/roles.py), or be None for a management command run by an
    operator. An import links nothing to an article known here only from unpublished claims (see
    claims/ingest/reviews.py `_articles`), so it never makes our unpublished records public.
    """
    from claims.ingest.reviews import ImportSession, apply_batch

    if by is not None:
        _require_editor(by)
    session = session or ImportSession(by=by)
    result = apply_batch(items, session=session, label=label)
    pages_changed()
    return result
