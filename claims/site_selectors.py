"""Read helpers for the reader site: each returns what one page shows, with a fixed number of queries.

Every helper takes the requesting user and starts from `Model.objects.visible_to(user)`; nothing
here decides on its own what is public.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from claims.choices import VerdictStatus
from claims.models import (
    Appearance,
    Claim,
    Evidence,
    Figure,
    Measure,
    MergeRecord,
    RatingLevel,
    Source,
    Topic,
    Verdict,
)
from claims.querysets import claim_ids_of

# --- Claims list ----------------------------------------------------------------------------


def claim_rows(user):
    """Claims as list rows: the current verdict's rating and summary, the claimant, the topics."""
    return (
        Claim.objects.visible_to(user)
        .select_related("claimant", "published_verdict__rating", "published_verdict__organisation")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.only("id", "name", "slug")))
        .order_by("-first_seen", "-id")
    )


def claims_involving(source: Source | int, user):
    """Claims a source made or carried (`ClaimQuerySet.involving`) that `user` may see."""
    return Claim.objects.visible_to(user).involving(source)


def page_of(queryset, *, page: int, size: int) -> tuple[list, bool]:
    """One page and whether another follows, without COUNT(*): fetch one row more than shown."""
    start = (page - 1) * size
    rows = list(queryset[start : start + size + 1])
    return rows[:size], len(rows) > size


# --- Claim page -----------------------------------------------------------------------------


def claim_for_page(slug: str, user):
    """The claim with its claimant, topics and current verdict (or None: the caller answers 404)."""
    return (
        Claim.objects.visible_to(user).select_related("claimant").prefetch_related("topics").filter(slug=slug).first()
    )


def verdict_history(claim: Claim, user) -> list[Verdict]:
    """The claim's verdicts readers may see, newest first, each with its rating and evidence, and a
    correction with `dropped_evidence`: what the verdict it superseded cited and it no longer does."""
    history = list(
        Verdict.objects.visible_to(user)
        .filter(claim=claim)
        .select_related("rating", "organisation")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
        .order_by(Coalesce("published_at", "created_at").desc(), "-id")
    )
    by_pk = {verdict.pk: verdict for verdict in history}
    for verdict in history:
        verdict.dropped_evidence = dropped_evidence(by_pk.get(verdict.supersedes_id), verdict)
    return history


def dropped_evidence(earlier: Verdict | None, later: Verdict) -> list[Evidence]:
    """Evidence of `earlier` whose link `later` no longer cites (the evidence key is its URL)."""
    if earlier is None:
        return []
    kept = {item.url for item in later.evidence.all()}
    return [item for item in earlier.evidence.all() if item.url not in kept]


def appearances_of(claim: Claim) -> list[Appearance]:
    """Where the claim appeared (the claim itself is visible, so all its appearances are)."""
    return list(
        claim.appearances.select_related("article__outlet", "article__parent", "attributed_to")
        .prefetch_related(Prefetch("article__authors", queryset=Source.objects.only("id", "name", "slug")))
        .order_by("article__published_on", "id")
    )


# A measure's figures in reading order: preferred before normal before deprecated (the rank values
# sort that way descending), newest first. `figure_measure_reading_idx` serves it.
FIGURE_READING_ORDER = (F("rank").desc(), F("point_in_time").desc(nulls_last=True), F("id").desc())


def figure_ids_for_panels(
    measures: list[Measure], user, *, claim: Claim, exclude: Iterable[int], limit: int
) -> tuple[list[int], dict[int, list[int]]]:
    """The claim's own visible figures, and up to `limit` other visible figures per measure in
    reading order leaving out `exclude` (figures the caller draws anyway): (own ids, {measure_id:
    [other ids]}).

    One query, a UNION ALL: the claim's figures, then one bounded part per measure that walks the
    reading-order index and stops after `limit` visible figures, so a popular measure costs what
    a small one does. Ranking all 5,451 figures of the most quoted measure read 17,000 pages (140 ms).
    """
    visible = Figure.objects.visible_to(user)
    own = visible.filter(appearance__claim=claim).annotate(own=Value(True)).values_list("measure_id", "id", "own")
    others = visible.exclude(id__in=list(exclude)).exclude(appearance__claim=claim).order_by(*FIGURE_READING_ORDER)
    parts = [
        others.filter(measure=measure).annotate(own=Value(False)).values_list("measure_id", "id", "own")[:limit]
        for measure in measures
    ]
    own_ids, selection = [], {measure.pk: [] for measure in measures}
    for measure_id, figure_id, is_own in own.union(*parts, all=True):
        if is_own:
            own_ids.append(figure_id)
        else:
            selection[measure_id].append(figure_id)
    return own_ids, selection


def figures_by_id(ids: Iterable[int], user) -> list[Figure]:
    """The chosen figures with who said them and where, by date (the caller attaches the measure)."""
    return list(
        Figure.objects.visible_to(user)
        .filter(id__in=list(ids))
        .select_related(
            "appearance__article__outlet",
            "appearance__attributed_to",
            "appearance__claim__claimant",
        )
        .only(*FIGURE_ROW_FIELDS)
        .order_by("measure_id", "point_in_time", "id")
    )


# What a figure row shows (the table, the chart, who said it): loading whole rows of the joined
# tables — the claim's text and search vector, the sources' descriptions and cached scores — cost
# more than the rest of the query at 20–60 rows per page.
FIGURE_ROW_FIELDS = (
    *("id", "measure_id", "low", "high", "qualifier", "unit", "point_in_time", "quoted_text", "rank", "rank_reason"),
    *("appearance__voice", "appearance__article__url", "appearance__article__published_on"),
    *("appearance__article__outlet__name", "appearance__article__outlet__slug"),
    *("appearance__attributed_to__name", "appearance__attributed_to__slug"),
    *("appearance__claim__slug", "appearance__claim__language"),
    *("appearance__claim__claimant__name", "appearance__claim__claimant__slug"),
)


def figure_page_ids(measure: Measure, user, *, page: int, size: int) -> tuple[list[int], bool]:
    """One page of a measure's visible figures in reading order (ids only), and whether another follows."""
    figures = Figure.objects.visible_to(user).filter(measure=measure).order_by(*FIGURE_READING_ORDER)
    return page_of(figures.values_list("id", flat=True), page=page, size=size)


def measures_of_claim(claim: Claim, user) -> list[Measure]:
    return list(
        Measure.objects.visible_to(user)
        .filter(Exists(Figure.objects.counted().filter(measure=OuterRef("pk"), appearance__claim=claim)))
        .order_by("name", "id")
    )


# --- Source scorecard -----------------------------------------------------------------------


def source_for_page(slug: str, user):
    return Source.objects.visible_to(user).filter(slug=slug).first()


def source_claim_page(source: Source, user, *, page: int, size: int) -> tuple[list[Claim], bool]:
    """One page of the claims a source made or carried, newest first, and whether another follows.

    The claimant part (the big one for a prolific person) only contributes the rows that can
    reach this page: an ordered scan of `claim_claimant_seen_idx` that stops after page × size + 1
    visible claims.
    """
    rows = claim_rows(user).involving(source, reach=page * size + 1)
    return page_of(rows, page=page, size=size)


def asserted_published_verdicts(source: Source, user):
    """Current verdicts of the claims a source asserted (what its credibility counts)."""
    return Verdict.objects.visible_to(user).published().filter(claim_id__in=claim_ids_of(source, asserting_only=True))


def score_over_time(source: Source, user, *, minimum_points: int = 3) -> list[tuple[date, float, int]]:
    """Cumulative mean truth weight by month of publication: [(month, mean, verdicts so far)].

    A simple, transparent series (not the Bayesian score itself); empty when fewer than
    `minimum_points` months have scored verdicts.
    """
    monthly = (
        asserted_published_verdicts(source, user)
        .filter(rating__truth_weight__isnull=False)
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(total=Sum("rating__truth_weight"), n=Count("id"))
        .order_by("month")
    )
    points, total, n = [], 0.0, 0
    for row in monthly:
        total += row["total"]
        n += row["n"]
        points.append((row["month"].date(), total / n, n))
    return points if len(points) >= minimum_points else []


SAME_ELSEWHERE_LIMIT = 5


def same_claim_elsewhere(claim: Claim, *, limit: int = SAME_ELSEWHERE_LIMIT) -> list[Claim]:
    """Published claims in other languages that matching (claims/matching/ranking.py) calls likely
    the same as `claim`, best first, at most `limit`, each with its current verdict.

    Only published claims, whoever is reading: the link says "we checked this in another language
    too". From the claim's stored embedding, so no model runs while a page renders; a claim not
    embedded yet links to none. Queries: the lexical list, the index's search width and the
    semantic list (in a savepoint), the candidates' rows, then the linked claims with their
    verdicts; none at all when the claim has no embedding.
    """
    from django.contrib.auth.models import AnonymousUser

    from claims.choices import ClaimStatus
    from claims.matching.ranking import SAME, match_claims

    if claim.embedding is None:
        return []
    candidates = (
        Claim.objects.visible_to(AnonymousUser())
        .filter(status=ClaimStatus.PUBLISHED, published_verdict__isnull=False)
        .exclude(language=claim.language)
    )
    _language, matches = match_claims(
        claim.text,
        queryset=candidates,
        language=claim.language,
        limit=limit,
        exclude_pk=claim.pk,
        semantic=False,
        vector=claim.embedding,
    )
    ids = [match.claim_id for match in matches if match.match_class == SAME][:limit]
    if not ids:
        return []
    found = {
        other.pk: other
        for other in candidates.filter(pk__in=ids).select_related("published_verdict__rating").defer("embedding")
    }
    return [found[pk] for pk in ids if pk in found]


def rating_levels() -> list[RatingLevel]:
    return list(RatingLevel.objects.all())


# --- Measures, home, corrections ------------------------------------------------------------


def measure_for_page(slug: str, user):
    return Measure.objects.visible_to(user).filter(slug=slug).first()


def latest_verdicts(user, *, limit: int = 8) -> list[Verdict]:
    return list(
        Verdict.objects.visible_to(user)
        .published()
        .select_related("claim__claimant", "rating", "organisation")
        .order_by("-published_at", "-id")[:limit]
    )


def disputed_measures(user, *, limit: int = 6) -> list[Measure]:
    return list(Measure.objects.visible_to(user).disputed().order_by("-updated_at", "-id")[:limit])


def most_checked_sources(user, *, limit: int = 6) -> list[Source]:
    return list(
        Source.objects.visible_to(user)
        .filter(rated_claims_count__gt=0)
        .order_by("-rated_claims_count", "name", "id")[:limit]
    )


@dataclass
class RecordEvent:
    """One change to the public record: a verdict published (a correction when it superseded one)
    or withdrawn, or a claim merged into another, and when."""

    kind: str  # "published", "corrected", "withdrawn" or "merged"
    at: object  # datetime
    verdict: Verdict | None
    merge: MergeRecord | None = None  # for "merged": the claim folded in and its survivor


def record_events(user, *, limit: int) -> list[RecordEvent]:
    """The newest `limit` changes to the public record, newest first, in three queries: every
    publication (corrections included), every withdrawal and every merge of a public claim is an
    event of its own, so a verdict published and later withdrawn or corrected leaves both events
    in the record, and a reader's old link is explained by its merge."""
    verdicts = Verdict.objects.visible_to(user).select_related("claim", "rating", "supersedes__rating")
    published = verdicts.filter(published_at__isnull=False).order_by("-published_at", "-id")[:limit]
    withdrawn = verdicts.filter(withdrawn_at__isnull=False).order_by("-withdrawn_at", "-id")[:limit]
    merges = (
        MergeRecord.objects.visible_to(user)
        .filter(was_public=True)
        .select_related("merged", "survivor")
        .order_by("-merged_at", "-id")[:limit]
    )
    events = (
        [
            RecordEvent("corrected" if verdict.supersedes_id else "published", verdict.published_at, verdict)
            for verdict in published
        ]
        + [RecordEvent("withdrawn", verdict.withdrawn_at, verdict) for verdict in withdrawn]
        + [RecordEvent("merged", merge.merged_at, None, merge) for merge in merges]
    )
    order = {"merged": 2, "withdrawn": 1}
    events.sort(key=lambda event: (event.at, order.get(event.kind, 0), (event.verdict or event.merge).pk), reverse=True)
    return events[:limit]


def corrections(user):
    """Published verdicts that corrected an earlier one, and withdrawals, newest change first."""
    return (
        Verdict.objects.visible_to(user)
        .filter(published_at__isnull=False)
        .filter(Q(status=VerdictStatus.WITHDRAWN) | ~Q(correction_note=""))
        .select_related("claim", "rating", "supersedes__rating")
        .annotate(changed_at=Coalesce("withdrawn_at", "published_at"))
        .order_by("-changed_at", "-id")
    )


# --- Index pages: sources and measures ------------------------------------------------------

SOURCE_ROW_FIELDS = (
    *("id", "name", "slug", "kind", "country", "rated_claims_count"),
    *("credibility_score", "credibility_low", "credibility_high"),
)


def source_index(user, *, q: str = "", kind: str = "", country: str = "", scored_only: bool = False):
    """Sources for the index page (the caller orders and pages them): name search, kind, country;
    `scored_only` keeps sources with a credibility score (for the orders by score)."""
    sources = Source.objects.visible_to(user).only(*SOURCE_ROW_FIELDS)
    if q:
        sources = sources.filter(name__icontains=q)
    if kind:
        sources = sources.filter(kind=kind)
    if country:
        sources = sources.filter(country=country)
    if scored_only:
        sources = sources.filter(credibility_score__isnull=False)
    return sources


def measure_index(user, *, q: str = "", state: str = ""):
    """Measures for the index page (the caller orders and pages them), each with the number of
    figures this user may see (`figures_count`, one subquery per page)."""
    from claims import selectors

    measures = selectors.measure_list(user).only("id", "name", "slug", "unit", "conflict_state", "updated_at")
    if q:
        measures = measures.filter(name__icontains=q)
    if state:
        measures = measures.filter(conflict_state=state)
    return measures
