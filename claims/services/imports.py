"""Importing reviews published by other fact-checkers (ClaimReview)."""

from __future__ import annotations

from django.db import transaction

from claims.services.base import (
    _require_editor,
)
from claims.services.caches import pages_changed

# --- Ingestion: ClaimReview import (issue 7) ------------------------------------------------


@transaction.atomic
def import_reviews(*, items, by, session=None, label=str):
    """Import one batch of ClaimReview items (``claimreview.ReviewItem``) as published claims with
    verdicts attributed to the fact-checking organisation, keyed on the review URL: a known URL
    updates its verdict in place. The whole batch is written or nothing (one transaction).

    ``by`` is the importing user recorded in history; it must be an editor (importing publishes),
    or None for a management command run by an operator. See claims/ingest/reviews.py.
    """
    from claims.ingest.reviews import ImportSession, apply_batch

    if by is not None:
        _require_editor(by)
    session = session or ImportSession(by=by)
    result = apply_batch(items, session=session, label=label)
    pages_changed()
    return result
