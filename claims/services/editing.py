"""Recording and editing what claims are made of: articles, appearances, figures, evidence."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from claims.choices import VerdictStatus
from claims.models import Claim, Evidence, Source
from claims.services.base import (
    _check_row_version,
    _full_clean,
    _lock,
    _refuse_unknown,
    _require_reviewer,
)
from claims.services.caches import attribution_may_change, pages_changed, refresh_measures

# --- Appearances and figures ----------------------------------------------------------------


@transaction.atomic
def add_appearance(
    *, claim: Claim, article, by, quote: str = "", voice: str = "asserts", attributed_to: Source | None = None
):
    from claims.models import Appearance

    _require_reviewer(by)
    appearance = Appearance(
        claim=claim, article=article, quote=(quote or "").strip(), voice=voice, attributed_to=attributed_to
    )
    _full_clean(appearance)
    if Appearance.objects.filter(claim=claim, article=article).exists():
        raise ValidationError({"article": "This claim is already recorded in that article."})
    appearance._history_user = by
    with attribution_may_change(claim_ids=[claim.pk]):  # the article's outlet and authors may now answer for it
        appearance.save()
    return appearance


@transaction.atomic
def record_figure(
    *,
    appearance,
    measure,
    by,
    quoted_text: str,
    low=None,
    high=None,
    qualifier: str = "exact",
    unit: str | None = None,
    point_in_time: date | None = None,
    rank: str = "normal",
    rank_reason: str = "",
):
    """Attach what one appearance says about a measure."""
    from claims.models import Figure

    _require_reviewer(by)
    figure = Figure(
        appearance=appearance,
        measure=measure,
        quoted_text=(quoted_text or "").strip(),
        low=low,
        high=high,
        qualifier=qualifier,
        unit=unit or measure.unit,
        point_in_time=point_in_time,
        rank=rank,
        rank_reason=rank_reason,
    )
    _full_clean(figure)
    if low is None and high is None:
        raise ValidationError({"low": "A figure needs at least one bound."})
    if low is not None and high is not None and low > high:
        raise ValidationError({"high": "The upper bound must not be below the lower bound."})
    _validate_figure(figure)
    figure._history_user = by
    figure.save()
    refresh_measures(measure_ids=[figure.measure_id])
    return figure


def _validate_figure(figure) -> None:
    """Bounds, rank reason, and a unit that converts to the measure's (checked before saving)."""
    from claims.choices import Rank
    from claims.figures import UnitConversionError, convert, is_known_unit

    errors = {}
    if figure.low is None and figure.high is None:
        errors["low"] = "A figure needs at least one bound."
    elif figure.low is not None and figure.high is not None and figure.low > figure.high:
        errors["high"] = "The upper bound must not be below the lower bound."
    if figure.rank == Rank.DEPRECATED and not (figure.rank_reason or "").strip():
        errors["rank_reason"] = "Say why this figure is deprecated."
    if not is_known_unit(figure.unit):
        errors["unit"] = f"Unknown unit {figure.unit!r}."
    else:
        try:
            convert(Decimal(1), figure.unit, figure.measure.unit)
        except UnitConversionError as error:
            errors["unit"] = f"This measure is in {figure.measure.unit}: {error}."
    if errors:
        raise ValidationError(errors)


# --- Editable fields ------------------------------------------------------------------------
#
# Claims, appearances, figures and evidence have no version column; their optimistic lock is the
# `updated_at` stamp in microseconds (`row_version`), which changes on every save.

CLAIM_EDITABLE_FIELDS = ("text", "claimant", "first_seen", "topics", "language")
APPEARANCE_EDITABLE_FIELDS = ("quote", "voice", "attributed_to")
FIGURE_EDITABLE_FIELDS = (  # in the order the admin's figure rows show them
    "measure",
    "quoted_text",
    "low",
    "high",
    "qualifier",
    "unit",
    "point_in_time",
    "rank",
    "rank_reason",
)
EVIDENCE_EDITABLE_FIELDS = ("url", "title", "publisher", "accessed_on", "archived_url", "note")


@transaction.atomic
def update_claim(*, claim: Claim, by, expected_version: int | None = None, **changes) -> Claim:
    """Edit a claim's text, claimant, first-seen date, topics or language (its status moves only
    by workflow). New text is detected again unless a reviewer had corrected the language."""
    from claims.matching.language import detect_language, language_or_detected
    from claims.services.matching import embedding_for

    _require_reviewer(by)
    _refuse_unknown(changes, CLAIM_EDITABLE_FIELDS)
    claim = _lock(Claim, claim.pk)
    _check_row_version(claim, expected_version)
    topics = changes.pop("topics", None)
    if "text" in changes:
        changes["text"] = (changes["text"] or "").strip()
    if "language" in changes:
        changes["language"] = language_or_detected(changes["language"], changes.get("text", claim.text))
    elif "text" in changes and changes["text"] != claim.text and claim.language in ("", detect_language(claim.text)):
        changes["language"] = detect_language(changes["text"])
    if "text" in changes and changes["text"] != claim.text:
        changes["embedding"] = embedding_for(changes["text"])
    for name, value in changes.items():
        setattr(claim, name, value)
    _full_clean(claim, exclude=["search_vector", "embedding"])
    claim._history_user = by
    with attribution_may_change(claim_ids=[claim.pk] if "claimant" in changes else []):
        claim.save()
    if topics is not None:
        claim.topics.set(topics)
    pages_changed()
    return claim


@transaction.atomic
def create_article(
    *,
    url: str,
    by,
    title: str = "",
    outlet: Source | None = None,
    authors: Iterable[Source] = (),
    published_on: date | None = None,
    language: str | None = None,
    kind: str = "news",
    parent=None,
    archived_url: str = "",
):
    """Record an article; its language is detected from the title unless given (English when
    there is no title to tell it by)."""
    from claims.matching.language import language_or_detected
    from claims.models import Article

    _require_reviewer(by)
    title = (title or "").strip()
    article = Article(
        url=(url or "").strip(),
        title=title,
        outlet=outlet,
        published_on=published_on,
        language=language_or_detected(language, title) or "en",
        kind=kind,
        parent=parent,
        archived_url=archived_url,
    )
    _full_clean(article)
    if Article.objects.filter(url=article.url).exists():
        raise ValidationError({"url": "An article with this URL is already recorded."})
    article._history_user = by
    article.save()
    if authors:
        article.authors.set(authors)
    return article


ARTICLE_EDITABLE_FIELDS = (
    "title",
    "outlet",
    "authors",
    "published_on",
    "language",
    "kind",
    "parent",
    "archived_url",
)


@transaction.atomic
def update_article(*, article, by, expected_version: int | None = None, **changes):
    """Edit an article; a new outlet or authors change whom its asserting appearances count for."""
    from claims.matching.language import language_or_detected
    from claims.models import Article

    _require_reviewer(by)
    _refuse_unknown(changes, ARTICLE_EDITABLE_FIELDS)
    article = _lock(Article, article.pk)
    _check_row_version(article, expected_version)
    authors = changes.pop("authors", None)
    if "language" in changes:
        changes["language"] = language_or_detected(changes["language"], changes.get("title", article.title)) or "en"
    for name, value in changes.items():
        setattr(article, name, value.strip() if isinstance(value, str) else value)
    _full_clean(article)
    article._history_user = by
    changes_attribution = "outlet" in changes or authors is not None
    with attribution_may_change(article_ids=[article.pk] if changes_attribution else []):
        article.save()
        if authors is not None:
            article.authors.set(authors)
    pages_changed()
    return article


@transaction.atomic
def update_appearance(*, appearance, by, expected_version: int | None = None, **changes):
    from claims.models import Appearance

    _require_reviewer(by)
    _refuse_unknown(changes, APPEARANCE_EDITABLE_FIELDS)
    appearance = _lock(Appearance, appearance.pk)
    _check_row_version(appearance, expected_version)
    for name, value in changes.items():
        setattr(appearance, name, value.strip() if name == "quote" else value)
    _full_clean(appearance)
    appearance._history_user = by
    with attribution_may_change(claim_ids=[appearance.claim_id] if "voice" in changes else []):
        appearance.save()
    pages_changed()
    return appearance


@transaction.atomic
def update_figure(*, figure, by, expected_version: int | None = None, **changes):
    """Edit a figure (admin, API) and refresh the conflict state of its old and new measure."""
    from claims.models import Figure

    _require_reviewer(by)
    _refuse_unknown(changes, FIGURE_EDITABLE_FIELDS)
    figure = Figure.objects.select_for_update().select_related("measure").get(pk=figure.pk)
    _check_row_version(figure, expected_version)
    old_measure_id = figure.measure_id
    for name, value in changes.items():
        setattr(figure, name, value.strip() if isinstance(value, str) else value)
    _validate_figure(figure)
    _full_clean(figure)
    figure._history_user = by
    figure.save()
    refresh_measures(measure_ids=[old_measure_id, figure.measure_id])
    return figure


@transaction.atomic
def delete_figure(*, figure, by, expected_version: int | None = None) -> None:
    """Remove a figure and refresh its measure's conflict state. A figure of a claim readers can see
    is part of the public record: deprecate it (rank and reason) instead."""
    from claims.guards import refuse_if_public_figure
    from claims.models import Figure

    _require_reviewer(by)
    figure = _lock(Figure, figure.pk)
    _check_row_version(figure, expected_version)
    refuse_if_public_figure(figure)
    measure_id = figure.measure_id
    figure._history_user = by
    figure.delete()
    refresh_measures(measure_ids=[measure_id])


@transaction.atomic
def delete_appearance(*, appearance, by, expected_version: int | None = None) -> None:
    """Remove an appearance recorded by mistake, with its figures, from a claim readers cannot see
    yet (the guard in claims/guards.py refuses it for a public claim)."""
    from claims.models import Appearance, Figure

    _require_reviewer(by)
    appearance = _lock(Appearance, appearance.pk)
    _check_row_version(appearance, expected_version)
    measure_ids = list(Figure.objects.filter(appearance=appearance).values_list("measure_id", flat=True))
    appearance._history_user = by
    for figure in Figure.objects.filter(appearance=appearance):
        figure._history_user = by
        figure.delete()
    appearance.delete()
    refresh_measures(measure_ids=measure_ids)


@transaction.atomic
def delete_evidence(*, evidence: Evidence, by, expected_version: int | None = None) -> None:
    """Remove evidence from a draft or submitted verdict (a public verdict's evidence stays)."""
    _require_reviewer(by)
    evidence = _lock(Evidence, evidence.pk)
    _check_row_version(evidence, expected_version)
    if evidence.verdict.status not in (VerdictStatus.DRAFT, VerdictStatus.SUBMITTED):
        raise ValidationError({"verdict": "Evidence of a published verdict is not removed; draft a correction."})
    evidence._history_user = by
    evidence.delete()


@transaction.atomic
def update_evidence(*, evidence: Evidence, by, expected_version: int | None = None, **changes) -> Evidence:
    _require_reviewer(by)
    _refuse_unknown(changes, EVIDENCE_EDITABLE_FIELDS)
    evidence = _lock(Evidence, evidence.pk)
    _check_row_version(evidence, expected_version)
    if evidence.verdict.status not in (VerdictStatus.DRAFT, VerdictStatus.SUBMITTED):
        raise ValidationError({"verdict": "Evidence of a published verdict is not edited; draft a correction."})
    for name, value in changes.items():
        setattr(evidence, name, value)
    _full_clean(evidence)
    evidence._history_user = by
    evidence.save()
    return evidence
