"""Read paths shared by the reader site and the API: visibility first, then a fixed set of queries.

Every function starts from `Model.objects.visible_to(user)`, so a reader can never reach
unpublished rows through them. List querysets annotate counts with subqueries and prefetch
related rows, so the number of queries does not grow with the page size.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from claims.choices import PUBLIC_CLAIM_STATUSES, ClaimStatus, VerdictStatus
from claims.claimreview import AppearanceRef, ExportableReview, build_claimreview, stream_datafeed_json
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
        .select_related("claimant", "published_verdict__rating", "published_verdict__organisation")
        .annotate(
            appearances_count=_count_subquery(Appearance.objects.all(), "claim"),
            figures_count=_count_subquery(Figure.objects.counted(), "appearance__claim"),
        )
        .prefetch_related("topics")
    )


def verdict_history(user) -> QuerySet[Verdict]:
    """A claim's verdicts the user may see (readers: published, superseded, withdrawn)."""
    return (
        Verdict.objects.visible_to(user)
        .select_related("rating", "claim", "author", "approver", "organisation")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
        .order_by("-published_at", "-id")
    )


def claim_detail(user) -> QuerySet[Claim]:
    """Claims with everything the detail page and the API detail show, in a fixed number of queries."""
    appearances = Appearance.objects.select_related("article__outlet", "attributed_to").prefetch_related(
        "article__authors",
        Prefetch("figures", queryset=Figure.objects.counted().select_related("measure").order_by("measure_id", "id")),
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


def figure_list(user, *, proposals: bool = False) -> QuerySet[Figure]:
    return Figure.objects.visible_to(user, proposals=proposals).select_related(
        "measure", "appearance__claim__claimant", "appearance__article__outlet", "appearance__attributed_to"
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


def corrected_verdict(verdict: Verdict) -> Verdict | None:
    """The verdict a correction replaces: the one it superseded, or (still a draft or submitted)
    the claim's published verdict it will supersede."""
    if verdict.supersedes_id is not None:
        return verdict.supersedes
    if verdict.status in (VerdictStatus.DRAFT, VerdictStatus.SUBMITTED) and verdict.correction_note:
        headline = Claim.objects.filter(pk=verdict.claim_id).values("published_verdict_id")
        return Verdict.objects.filter(pk__in=headline, status=VerdictStatus.PUBLISHED).first()
    return None


def evidence_removed_by_correction(verdict: Verdict) -> list[dict]:
    """What the corrected verdict cited that this correction no longer does, and who took it out:
    the user of the history record in which this verdict's copy was deleted or its link changed."""
    earlier = corrected_verdict(verdict)
    if earlier is None:
        return []
    kept = set(verdict.evidence.values_list("url", flat=True))
    gone = [item for item in earlier.evidence.order_by("id") if item.url not in kept]
    if not gone:
        return []
    records = list(
        Evidence.history.filter(verdict_id=verdict.pk).select_related("history_user").order_by("history_date", "pk")
    )
    removed = []
    for item in gone:
        by = when = None
        last = next((r for r in reversed(records) if r.url == item.url), None)
        if last is not None:
            # The record that ended this URL: the deletion itself, or the next change of that row.
            ending = (
                last
                if last.history_type == "-"
                else next((r for r in records if r.id == last.id and r.history_date > last.history_date), None)
            )
            if ending is not None:
                by, when = ending.history_user, ending.history_date
        removed.append({"evidence": item, "by": by, "at": when})
    return removed


# --- ClaimReview ----------------------------------------------------------------------------
#
# Database glue for claims/claimreview (plain functions): which verdicts are exported (the current
# published verdict of a public claim, nothing else) and how a row becomes an ExportableReview.

DATAFEED_CHUNK_ROWS = 500


def _absolute(request, path: str) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    base = getattr(settings, "FACTCHECK_SITE_URL", "").rstrip("/")
    return f"{base}{path}"


def _exportable(
    verdict: Verdict, claim: Claim, *, request=None, appearances=None, language: str | None = None
) -> ExportableReview:
    """`language` names the rating (`alternateName`) for readers of that language (None: the
    active one); the review's `inLanguage` stays the claim's own."""
    claimant = claim.claimant
    organisation = verdict.organisation
    claim_url = _absolute(request, claim.get_absolute_url())
    return ExportableReview(
        claim_text=claim.text,
        review_url=verdict.review_url or claim_url,
        rating_slug=verdict.rating.slug,
        rating_label=verdict.label_in(language),
        rating_ordinal=verdict.rating.ordinal,
        organisation_name=organisation.name if organisation else settings.FACTCHECK_ORGANISATION_NAME,
        # An imported fact-checker without a homepage has no URL (not ours: importers match by it).
        organisation_url=organisation.homepage if organisation else _absolute(request, "/"),
        claim_slug=claim.slug,
        claim_url=claim_url,
        claimant_name=claimant.name if claimant else None,
        claimant_kind=claimant.kind if claimant else None,
        claimant_url=(claimant.homepage or _absolute(request, claimant.get_absolute_url())) if claimant else None,
        appearances=[
            AppearanceRef(a.article.url, a.article.title or None, a.article.published_on)
            for a in (claim.appearances.all() if appearances is None else appearances)
        ],
        first_seen=claim.first_seen,
        published=verdict.published_at,
        summary=verdict.summary,
        language=claim.language or settings.FACTCHECK_CLAIMREVIEW_LANGUAGE,
    )


def claimreview_for_claim(
    claim: Claim, *, request=None, verdict: Verdict | None = None, appearances=None, language: str | None = None
) -> dict | None:
    """The schema.org ClaimReview of a claim's current published verdict; None when it has none
    (a claim in review, or one whose verdict was withdrawn). The API and the claim page both use
    it, so the JSON-LD a page embeds is the one the API serves. Pass `verdict`/`appearances` when
    the caller already loaded them; otherwise expects `claim_detail` prefetching."""
    verdict = verdict if verdict is not None else claim.published_verdict
    if verdict is None or claim.status not in PUBLIC_CLAIM_STATUSES or verdict.status != VerdictStatus.PUBLISHED:
        return None
    if verdict.is_example and not settings.FACTCHECK_EXPORT_EXAMPLE_REVIEWS:
        return None
    return build_claimreview(_exportable(verdict, claim, request=request, appearances=appearances, language=language))


def claimreview_of_verdict(verdict: Verdict, claim: Claim) -> dict:
    """The ClaimReview of `verdict` as it was published, whatever its status now (a withdrawal or
    a correction notice carries the review it is about). Outside a request: absolute URLs from
    FACTCHECK_SITE_URL."""
    return build_claimreview(_exportable(verdict, claim))


def published_reviews():
    """The current published verdicts of public claims, ready for export, in a fixed number of
    queries per chunk of rows. Demo verdicts (`is_example`) are left out unless the setting says so:
    they must never reach fact-check aggregators as real reviews. Imported reviews are left out
    too: a publisher's feed may list only the reviews it wrote."""
    return (
        Verdict.objects.exported()
        .own()
        .select_related("rating", "organisation", "claim__claimant")
        .prefetch_related(
            Prefetch("claim__appearances", queryset=Appearance.objects.select_related("article").order_by("id"))
        )
        .order_by("id")
    )


def stream_datafeed(*, request=None, date_modified=None, language: str | None = None) -> Iterator[str]:
    """The schema.org DataFeed of every published review as JSON text chunks, in constant memory.
    `date_modified` defaults to `datafeed_last_modified()`. Pass `language` (the ratings' names):
    the body is written after the view has returned, when the request's language may be gone."""
    reviews = (
        _exportable(verdict, verdict.claim, request=request, language=language)
        for verdict in published_reviews().iterator(chunk_size=DATAFEED_CHUNK_ROWS)
    )
    return stream_datafeed_json(
        reviews,
        name=f"{settings.FACTCHECK_ORGANISATION_NAME} fact-checks",
        url=_absolute(request, reverse("api:claimreview-feed")),
        date_modified=date_modified or datafeed_last_modified() or timezone.now(),
    )


def datafeed_last_modified():
    """When the DataFeed last changed: the newest edit of a public claim or verdict (publication,
    correction and withdrawal included). Not the time of the request, which would tell aggregators
    that the feed changes on every fetch."""
    latest = [
        queryset.aggregate(latest=Max("updated_at"))["latest"]
        for queryset in (Claim.objects.public(), Verdict.objects.public())
    ]
    return max((stamp for stamp in latest if stamp is not None), default=None)


# --- The reviewers' workspace (admin home) --------------------------------------------------

WORKSPACE_ROWS = 8


def reviewer_workspace(user, *, limit: int = WORKSPACE_ROWS) -> dict[str, list]:
    """What a reviewer or editor opens the admin for, each list bounded and served by an index
    (`claim_assignee_idx`, `claim_status_id_idx`, `verdict_status_pub_idx`): one query per list.

    - `assigned`: claims assigned to `user` still waiting for a verdict, oldest first;
    - `waiting`: submitted verdicts waiting for an editor, oldest submission first;
    - `new`: new claims nobody has picked up, oldest first;
    - `published`: the latest published verdicts.
    """
    waiting_statuses = (ClaimStatus.NEW, ClaimStatus.IN_REVIEW)
    claims = (
        Claim.objects.visible_to(user)
        .select_related("claimant")
        .only("id", "text", "slug", "status", "first_seen", "created_at", "claimant__name")
    )
    verdicts = Verdict.objects.visible_to(user).select_related("claim", "rating", "author")
    return {
        "assigned": list(claims.filter(assigned_to=user, status__in=waiting_statuses).order_by("id")[:limit]),
        "waiting": list(verdicts.filter(status=VerdictStatus.SUBMITTED).order_by("submitted_at", "id")[:limit]),
        "new": list(claims.filter(status=ClaimStatus.NEW, assigned_to__isnull=True).order_by("id")[:limit]),
        "published": list(verdicts.published().order_by("-published_at", "-id")[:limit]),
    }


# --- Google Fact Check Tools-compatible search ----------------------------------------------


def _reviews_by_site(reviews: QuerySet[Verdict], site: str, *, own_site: str) -> QuerySet[Verdict]:
    """Reviews published by `site` (a host such as politifact.com): ours when it is our own host,
    else an imported review's organisation by its domain (or, when it has none, its homepage)."""
    if site == own_site:
        return reviews.own()
    homepage = rf"^https?://(www\.)?{re.escape(site)}([/:?#]|$)"
    return reviews.filter(
        Q(organisation__domain__iexact=site) | Q(organisation__domain="", organisation__homepage__iregex=homepage)
    )


def fact_checked_claims(
    *,
    query: str = "",
    language: str = "",
    site: str = "",
    own_site: str = "",
    max_age_days: int | None = None,
) -> QuerySet[Claim]:
    """Published claims with at least one exported review (ours or imported), as Google's
    `claims:search` finds them: by `query` (full text in `language`, annotated with `rank`), by claim `language`
    (its primary subtag: "pt-BR" finds "pt" and "pt-PT"), by the review publisher's `site`, and by
    age (claim date or review date, whichever is newer). Each claim carries `search_reviews`, its
    matching reviews newest first, so a page costs two queries whatever its size."""
    reviews = Verdict.objects.exported()
    if site:
        reviews = _reviews_by_site(reviews, site, own_site=own_site)
    claims = Claim.objects.public()
    if query:
        claims = claims.search(query, language=language)  # the query is in that language too
    if language:
        primary = language.split("-")[0]
        claims = claims.filter(Q(language__iexact=primary) | Q(language__istartswith=f"{primary}-"))
    reviewed = Exists(reviews.filter(claim=OuterRef("pk")))
    if max_age_days is not None:
        since = timezone.now() - timedelta(days=max_age_days)
        recent_review = Exists(reviews.filter(claim=OuterRef("pk"), published_at__gte=since))
        claims = claims.filter(reviewed).filter(Q(first_seen__gte=since.date()) | recent_review)
    else:
        claims = claims.filter(reviewed)
    shown = (
        reviews.select_related("rating", "organisation")
        .defer("original_data")
        .annotate(
            original_headline=KT("original_data__headline"),
            original_language=KT("original_data__inLanguage"),
        )
        .order_by("-published_at", "-id")
    )
    return (
        claims.select_related("claimant")
        .defer("embedding")
        .prefetch_related(Prefetch("verdicts", queryset=shown, to_attr="search_reviews"))
    )
