"""Keeping derived caches current: measures' public conflict state and sources' credibility."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from claims.models import Claim

# --- Credibility and conflicts: keeping the caches current (issue 6) --------------------------


def pages_changed() -> None:
    """Public content may have changed: cached reader pages must not be served any more (the one
    hook services call; see claims/page_cache.py for why it is safe across processes)."""
    from claims.page_cache import bump_generation

    bump_generation()


def _refresh_after_publication_change(claim: Claim) -> None:
    """A claim's published verdict changed (published, superseded or withdrawn): recompute the
    credibility of the sources it counts for, and the public conflict state of the measures its
    figures are about. Constant number of queries."""
    from claims.credibility_sql import recompute_claim_sources

    recompute_claim_sources([claim.pk])
    _refresh_measures_of_claim(claim)
    pages_changed()


def refresh_measures(*, measure_ids: Iterable[int]) -> None:
    """Recompute the cached *public* conflict state of these measures (3 queries: lock the measures,
    load their public figures, one bulk update). The cache bypasses history on purpose: it is
    derived data, not an editorial change."""
    from claims import conflicts
    from claims.models import Measure

    ids = sorted({int(pk) for pk in measure_ids if pk is not None})
    if not ids:
        return
    pages_changed()  # figures, publications and conflict refreshes all pass here
    with transaction.atomic(savepoint=False):
        measures = list(
            Measure.objects.select_for_update()
            .filter(pk__in=ids)
            .only("id", "unit", "comparison_window_days")
            .order_by("pk")
        )
        assessments = conflicts.assess_measures(measures, public_only=True)
        for measure in measures:
            for name, value in conflicts.cache_fields(assessments[measure.pk]).items():
                setattr(measure, name, value)
        Measure.objects.bulk_update(measures, ["conflict_state", "spread", "conflicts"])


def _refresh_measures_of_claim(claim: Claim) -> None:
    """A claim's public status may have changed: so may which of its figures are public."""
    from claims.models import Figure

    refresh_measures(measure_ids=Figure.objects.filter(appearance__claim=claim).values_list("measure_id", flat=True))
