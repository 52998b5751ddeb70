"""ClaimReview (schema.org) in and out, as plain functions over plain data (no database).

* reading: :func:`iter_claimreview_items` streams items from a file in any common shape,
  :func:`validate_stream` checks a file structurally before an import writes anything;
* :func:`normalise_review` flattens one ClaimReview, :func:`normalise_rating` maps a verdict
  label (or number) onto our rating slugs;
* writing: :func:`build_claimreview`, :func:`build_datafeed`, :func:`stream_datafeed_json`.

Split by concern into ``reader``, ``normalise``, ``ratings`` and ``export``; import from here.
"""

from .export import (
    SCHEMA_TYPE_BY_KIND,
    ExportableReview,
    build_claimreview,
    build_datafeed,
    stream_datafeed_json,
)
from .normalise import AppearanceRef, InvalidReview, NormalisedReview, normalise_review, parse_date
from .ratings import LABEL_RATINGS, RATING_ORDINALS, RATING_SLUGS, fold_label, normalise_rating, rate
from .reader import (
    ClaimReviewFileError,
    ItemError,
    ItemOrError,
    ItemPosition,
    ReviewItem,
    StreamSummary,
    claimreview_from_fact_check_tools,
    iter_claimreview_items,
    validate_stream,
)

__all__ = [
    "LABEL_RATINGS",
    "RATING_ORDINALS",
    "RATING_SLUGS",
    "SCHEMA_TYPE_BY_KIND",
    "AppearanceRef",
    "ClaimReviewFileError",
    "ExportableReview",
    "InvalidReview",
    "ItemError",
    "ItemOrError",
    "ItemPosition",
    "NormalisedReview",
    "ReviewItem",
    "StreamSummary",
    "build_claimreview",
    "build_datafeed",
    "claimreview_from_fact_check_tools",
    "fold_label",
    "iter_claimreview_items",
    "normalise_rating",
    "rate",
    "normalise_review",
    "parse_date",
    "stream_datafeed_json",
    "validate_stream",
]
