"""Keeping derived caches current: measures' public conflict state and sources' credibility."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

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


# --- Attribution: who a published claim counts for ------------------------------------------


def _published_claims(claim_ids: Iterable[int] = (), article_ids: Iterable[int] = ()) -> list[int]:
    """The claims among these (and those appearing in these articles) that have a published
    verdict: only they count towards any source's credibility."""
    from django.db.models import Q

    claim_ids = {int(pk) for pk in claim_ids if pk is not None}
    article_ids = {int(pk) for pk in article_ids if pk is not None}
    if not claim_ids and not article_ids:
        return []
    scope = Q(pk__in=claim_ids) | Q(appearances__article_id__in=article_ids)
    return sorted(set(Claim.objects.filter(scope, published_verdict__isnull=False).values_list("pk", flat=True)))


@dataclass(frozen=True)
class AttributionSnapshot:
    """Which sources some claims counted for before a change (see `attribution_may_change`)."""

    claim_ids: tuple[int, ...]
    article_ids: tuple[int, ...]
    sources_before: frozenset[int]


def attribution_snapshot(*, claim_ids: Iterable[int] = (), article_ids: Iterable[int] = ()) -> AttributionSnapshot:
    """Take before changing who claims count for; pass to `attribution_changed` afterwards, in the
    same transaction (the sources are locked until it ends)."""
    from claims.credibility_sql import sources_of_claims

    claim_ids, article_ids = tuple(claim_ids), tuple(article_ids)
    before = sources_of_claims(_published_claims(claim_ids, article_ids))
    return AttributionSnapshot(claim_ids, article_ids, frozenset(before))


def attribution_changed(snapshot: AttributionSnapshot) -> None:
    """Recompute every source the snapshot's published claims count for, before or after the
    change (a source that lost a claim must lose its rating too), and drop cached pages."""
    from claims.credibility_sql import recompute_claim_sources, recompute_sources

    after = recompute_claim_sources(_published_claims(snapshot.claim_ids, snapshot.article_ids))
    recompute_sources(snapshot.sources_before - set(after))
    pages_changed()


@contextmanager
def attribution_may_change(*, claim_ids: Iterable[int] = (), article_ids: Iterable[int] = ()) -> Iterator[None]:
    """Wrap a change to who a claim counts for: its claimant, an appearance's voice, an appearance
    added or removed, an article's outlet or authors. Constant number of queries whatever the
    number of claims or sources."""
    with transaction.atomic():
        snapshot = attribution_snapshot(claim_ids=claim_ids, article_ids=article_ids)
        yield
        attribution_changed(snapshot)
