"""Every state change of Factcheck, each in a transaction with its validation.

Views, admin actions, the API and management commands all call these functions; none of them
changes workflow fields directly. Arguments are keyword-only. Failures raise Django's
ValidationError (field-level where possible), `NotAllowed` for role violations, and
`StaleVersion` when the caller's copy is out of date.

- `base` — errors, role checks, slugs, optimistic-lock helpers
- `workflow` — claims and verdicts through their states (two-person rule, corrections)
- `editing` — articles, appearances, figures and evidence
- `caches` — conflict state and credibility kept current after changes
- `imports` — ClaimReview batches from other fact-checkers
- `grouping` — splitting an imported review off the claim it was wrongly grouped onto
- `matching` — claims' sentence embeddings, on write and in bulk
- `webhooks` — webhook subscriptions (deliveries are claims/intake/webhooks.py's)
- `merging` — duplicate claims merged into one, and a mistaken merge split again
"""

from claims.services import webhooks  # noqa: F401  (services.webhooks.subscribe ...)
from claims.services.base import (
    NotAllowed,
    StaleVersion,
    _require_editor,
    _require_reviewer,
    is_editor,
    is_reviewer,
    row_version,
    unique_slug,
)
from claims.services.caches import (
    attribution_changed,
    attribution_may_change,
    attribution_snapshot,
    pages_changed,
    refresh_measures,
)
from claims.services.editing import (
    FIXED_PARENT_FIELDS,
    add_appearance,
    create_article,
    create_measure,
    delete_appearance,
    delete_evidence,
    delete_figure,
    record_figure,
    refuse_move,
    update_appearance,
    update_article,
    update_claim,
    update_evidence,
    update_figure,
)
from claims.services.grouping import split_review
from claims.services.imports import import_reviews
from claims.services.matching import (
    DuplicateClaim,
    embed_claims,
    embedding_for,
    embeddings_for,
    likely_duplicates,
    similar_claims,
)
from claims.services.merging import merge_claims, split_merge
from claims.services.workflow import (
    EDITABLE_VERDICT_FIELDS,
    add_evidence,
    assign_claim,
    content_authors,
    create_claim,
    create_tip_claim,
    create_verdict,
    draft_correction,
    publish_verdict,
    start_review,
    submit_verdict,
    update_verdict,
    withdraw_verdict,
)

__all__ = [
    "EDITABLE_VERDICT_FIELDS",
    "FIXED_PARENT_FIELDS",
    "NotAllowed",
    "StaleVersion",
    "_require_editor",
    "_require_reviewer",
    "is_editor",
    "is_reviewer",
    "row_version",
    "unique_slug",
    "refresh_measures",
    "attribution_changed",
    "attribution_may_change",
    "attribution_snapshot",
    "pages_changed",
    "update_article",
    "add_appearance",
    "create_article",
    "create_measure",
    "delete_figure",
    "delete_appearance",
    "delete_evidence",
    "record_figure",
    "refuse_move",
    "update_appearance",
    "update_evidence",
    "update_figure",
    "import_reviews",
    "merge_claims",
    "split_merge",
    "DuplicateClaim",
    "likely_duplicates",
    "similar_claims",
    "embed_claims",
    "embedding_for",
    "embeddings_for",
    "add_evidence",
    "assign_claim",
    "content_authors",
    "create_claim",
    "create_tip_claim",
    "create_verdict",
    "draft_correction",
    "publish_verdict",
    "start_review",
    "submit_verdict",
    "update_claim",
    "update_verdict",
    "split_review",
    "withdraw_verdict",
]
