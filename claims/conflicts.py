"""Measures' conflict state from the database: the ORM side of figures.assess_measure.

Two readings of one measure exist, and they must not be confused:

* the **public** assessment, over the figures of public claims only (`Figure.objects.public()`),
  cached on Measure (conflict_state, spread, conflicts) by `services.refresh_measures` whenever
  figures or a claim's publication change, so readers cannot infer unpublished figures from it;
* the **staff** assessment, over every figure, computed on read by `assess_measures(...,
  public_only=False)` in one query, for reviewers who see unpublished work.

A figure's *source*, for telling single-source measures from consistent ones, is who said it
(`Appearance.sayer_id`), or else the appearance itself (an unattributed figure counts as its own
source).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings

from claims.figures import FigureForComparison, MeasureAssessment, assess_measure
from claims.models import Figure, Measure
from claims.querysets import can_see_unpublished

# Measure.spread is DECIMAL(20, 6): keep within it.
_SPREAD_PLACES = Decimal("0.000001")
_SPREAD_MAX = Decimal("99999999999999.999999")


def tolerance() -> Decimal:
    """FACTCHECK_APPROXIMATE_TOLERANCE as a fraction (0.05 = ±5%), checked at start-up by settings."""
    return settings.FACTCHECK_APPROXIMATE_TOLERANCE


def source_label(figure: Figure) -> str:
    """Who says it (`Appearance.sayer_id`), else the appearance itself."""
    appearance = figure.appearance
    sayer_id = appearance.sayer_id
    return f"source:{sayer_id}" if sayer_id is not None else f"appearance:{appearance.pk}"


def for_comparison(figure: Figure) -> FigureForComparison:
    return FigureForComparison(
        id=figure.pk,
        source_label=source_label(figure),
        low=figure.low,
        high=figure.high,
        qualifier=figure.qualifier,
        unit=figure.unit,
        point_in_time=figure.point_in_time,
        rank=figure.rank,
    )


def _figures_by_measure(measure_ids: Iterable[int], *, public_only: bool) -> dict[int, list[FigureForComparison]]:
    """All figures of the measures, in one query (outlet and claimant ids come with the join)."""
    figures = Figure.objects.public() if public_only else Figure.objects.counted()
    figures = (
        figures.filter(measure_id__in=list(measure_ids))
        .select_related("appearance__article", "appearance__claim")
        .only(
            "id",
            "measure_id",
            "low",
            "high",
            "qualifier",
            "unit",
            "point_in_time",
            "rank",
            "appearance__id",
            "appearance__voice",
            "appearance__attributed_to_id",
            "appearance__article__outlet_id",
            "appearance__claim__claimant_id",
        )
        .order_by("measure_id", "id")
    )
    grouped: dict[int, list[FigureForComparison]] = defaultdict(list)
    for figure in figures:
        grouped[figure.measure_id].append(for_comparison(figure))
    return grouped


def assess_measures(measures: Iterable[Measure], *, public_only: bool) -> dict[int, MeasureAssessment]:
    """Assessment of each measure (by id) in one query, whatever their number."""
    measures = list(measures)
    grouped = _figures_by_measure([m.pk for m in measures], public_only=public_only)
    tol = tolerance()
    return {
        m.pk: assess_measure(
            grouped.get(m.pk, []), measure_unit=m.unit, tolerance=tol, window_days=m.comparison_window_days
        )
        for m in measures
    }


def assess_for(user, measures: Iterable[Measure]) -> dict[int, MeasureAssessment]:
    """What `user` may see: staff get the live assessment over every figure, readers the public one
    (computed here from public figures, equal to the cached columns)."""
    return assess_measures(measures, public_only=not can_see_unpublished(user))


def cache_fields(assessment: MeasureAssessment) -> dict:
    """The Measure columns that cache a public assessment."""
    spread = assessment.spread
    if spread is not None:
        spread = min(spread.quantize(_SPREAD_PLACES), _SPREAD_MAX)
    return {
        "conflict_state": assessment.state,
        "spread": spread,
        "conflicts": [{"a": a, "b": b, "reason": reason} for a, b, reason in assessment.conflicting_pairs],
    }
