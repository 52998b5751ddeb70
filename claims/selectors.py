"""Read paths shared by the reader site and the API: visibility first, then a fixed set of queries.

Every function starts from `Model.objects.visible_to(user)`, so a reader can never reach
unpublished rows through them. List querysets annotate counts with subqueries and prefetch
related rows, so the number of queries does not grow with the page size.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from claims.models import (
    Appearance,
    Article,
    Claim,
    Evidence,
    Figure,
    Measure,
    Source,
    Verdict,
)


def _count_subquery(queryset: QuerySet, outer_field: str = "pk") -> Coalesce:
    """A correlated `COUNT(*)` of `queryset` rows per outer row (one query for the whole page)."""
    counted = (
        queryset.filter(**{outer_field: OuterRef("pk")})
        .order_by()
        .values(outer_field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# --- Claims ---------------------------------------------------------------------------------


def claim_list(user) -> QuerySet[Claim]:
    """Claims the user may see, with claimant, current rating, counts and topics in two queries."""
    return (
        Claim.objects.visible_to(user)
        .select_related("claimant", "published_verdict__rating")
        .annotate(
            appearances_count=_count_subquery(Appearance.objects.all(), "claim"),
            figures_count=_count_subquery(Figure.objects.all(), "appearance__claim"),
        )
        .prefetch_related("topics")
    )


def verdict_history(user) -> QuerySet[Verdict]:
    """A claim's verdicts the user may see (readers: published, superseded, withdrawn)."""
    return (
        Verdict.objects.visible_to(user)
        .select_related("rating", "claim")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
        .order_by("-published_at", "-id")
    )


def claim_detail(user) -> QuerySet[Claim]:
    """Claims with everything the detail page and the API detail show, in a fixed number of queries."""
    appearances = Appearance.objects.select_related("article__outlet", "attributed_to").prefetch_related(
        "article__authors",
        Prefetch("figures", queryset=Figure.objects.select_related("measure").order_by("measure_id", "id")),
    )
    return claim_list(user).prefetch_related(
        Prefetch("appearances", queryset=appearances.order_by("id")),
        Prefetch("verdicts", queryset=verdict_history(user), to_attr="visible_verdicts"),
    )


def figures_by_measure(claim: Claim) -> list[tuple[Measure, list[Figure]]]:
    """The prefetched figures of a claim's appearances, grouped by measure (in first-seen order)."""
    groups: dict[int, tuple[Measure, list[Figure]]] = {}
    for appearance in claim.appearances.all():
        for figure in appearance.figures.all():
            groups.setdefault(figure.measure_id, (figure.measure, []))[1].append(figure)
    return list(groups.values())


# --- Sources, articles, measures, figures -----------------------------------------------------


def source_list(user) -> QuerySet[Source]:
    return Source.objects.visible_to(user)


def article_list(user) -> QuerySet[Article]:
    return (
        Article.objects.visible_to(user)
        .select_related("outlet", "parent")
        .prefetch_related("authors")
        .annotate(
            appearances_count=_count_subquery(
                Appearance.objects.filter(claim__in=Claim.objects.visible_to(user)), "article"
            )
        )
    )


def figure_list(user) -> QuerySet[Figure]:
    return Figure.objects.visible_to(user).select_related(
        "measure", "appearance__claim", "appearance__article__outlet", "appearance__attributed_to"
    )


def measure_list(user) -> QuerySet[Measure]:
    return Measure.objects.visible_to(user).annotate(
        figures_count=_count_subquery(Figure.objects.visible_to(user), "measure")
    )


def measure_detail(user) -> QuerySet[Measure]:
    return measure_list(user).prefetch_related(
        Prefetch("figures", queryset=figure_list(user).order_by("point_in_time", "id"), to_attr="visible_figures")
    )


def appearance_list(user) -> QuerySet[Appearance]:
    return (
        Appearance.objects.filter(claim__in=Claim.objects.visible_to(user))
        .select_related("claim", "article__outlet", "attributed_to")
        .prefetch_related("article__authors")
    )


def evidence_list(user) -> QuerySet[Evidence]:
    return Evidence.objects.filter(verdict__in=Verdict.objects.visible_to(user)).select_related("verdict__claim")


# --- ClaimReview ----------------------------------------------------------------------------


def claimreview_for_claim(claim: Claim, *, request=None) -> dict | None:
    """The schema.org ClaimReview of a claim's published verdict, or None when it has none."""
    raise NotImplementedError("waiting for claims/claimreview.py")


def stream_datafeed(*, request=None):
    raise NotImplementedError("waiting for claims/claimreview.py")
