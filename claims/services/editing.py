"""Recording and editing what claims are made of: articles, appearances, figures, evidence."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from claims.choices import VerdictStatus
from claims.models import Claim, Evidence, Source
from claims.services.base import (
    _check_row_version,
    _full_clean,
    _lock,
    _refuse_unknown,
    _require_reviewer,
    unique_slug,
)
from claims.services.caches import attribution_may_change, pages_changed, refresh_measures
from claims.services.workflow import EVIDENCE_EDITABLE_FIELDS, evidence_changed

# --- Measures -------------------------------------------------------------------------------


@transaction.atomic
def create_measure(
    *,
    name: str,
    unit: str,
    by,
    slug: str = "",
    description: str = "",
    comparison_window_days: int | None = None,
):
    """A new quantity for figures to be filed under (reviewers and editors). It has no figures,
    so no conflict state to compute; readers see it once a public figure is about it."""
    from claims.figures import UNITS, is_known_unit
    from claims.models import Measure

    _require_reviewer(by)
    name = (name or "").strip()
    if not is_known_unit(unit):
        raise ValidationError(
            {
                "unit": _("Unknown unit %(unit)r; choose one of %(units)s.")
                % {"unit": unit, "units": ", ".join(sorted(UNITS))}
            }
        )
    if slug and Measure.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("A measure with this slug already exists.")})
    measure = Measure(
        name=name,
        slug=slug or unique_slug(Measure, name, max_length=200),
        unit=unit,
        description=(description or "").strip(),
        comparison_window_days=comparison_window_days,
    )
    _full_clean(measure)
    measure._history_user = by
    measure.save()
    return measure


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
        raise ValidationError({"article": _("This claim is already recorded in that article.")})
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
    proposal: tuple | None = None,
):
    """Attach what one appearance says about a measure. Software that only guesses the measure
    (article ingestion) passes `proposal=(confidence, reason)`: the figure is then a proposal,
    counted nowhere until a reviewer confirms its measure (`update_figure`)."""
    from claims.models import Figure

    _require_reviewer(by)
    figure = Figure(
        appearance=appearance,
        measure=measure,
        quoted_text=(quoted_text or "").strip(),
        low=low,
        high=high,
        qualifier=qualifier,
        unit=unit or "",
        point_in_time=point_in_time,
        rank=rank,
        rank_reason=rank_reason,
    )
    if proposal is not None:
        confidence, reason = proposal
        figure.proposed, figure.proposal_confidence, figure.proposal_reason = True, confidence, reason[:300]
    _settle_bounds(figure)  # before full_clean: bounds may come from the quoted text
    _full_clean(figure)
    _validate_figure(figure)
    figure._history_user = by
    figure.save()
    if not figure.proposed:  # a proposal counts nowhere: no measure's state can change
        refresh_measures(measure_ids=[figure.measure_id])
    return figure


def settle_proposal(figure, *, was_proposed: bool, old_measure_id, proposed_given: bool) -> None:
    """A reviewer's edit of a proposal: unticking `proposed` confirms its measure, and picking
    another measure (a new one included) is a decision too, so it confirms that one. Only
    software proposes: a recorded figure never becomes a proposal again. Admin and API both."""
    if figure.proposed and not was_proposed:
        raise ValidationError({"proposed": _("Only ingestion proposes a measure; a recorded figure stays recorded.")})
    if figure.proposed and not proposed_given and figure.measure_id != old_measure_id:
        figure.proposed = False


def _settle_bounds(figure) -> None:
    """Bounds read from the quoted text when none are given, and a qualifier that agrees with them
    (`figures.settle_figure_fields`, the rule the admin and the API apply too)."""
    from claims.figures import FigureFieldsError, settle_figure_fields

    measure = figure.measure if figure.measure_id is not None else None
    try:
        fields = settle_figure_fields(
            quoted_text=figure.quoted_text,
            low=figure.low,
            high=figure.high,
            qualifier=figure.qualifier,
            unit=figure.unit,
            measure_unit=measure.unit if measure else "count",
        )
    except FigureFieldsError as error:
        raise ValidationError(error.errors) from None
    figure.low, figure.high, figure.qualifier, figure.unit = fields.low, fields.high, fields.qualifier, fields.unit


def _validate_figure(figure) -> None:
    """Bounds, rank reason, and a unit that converts to the measure's (checked before saving)."""
    from claims.choices import Rank
    from claims.figures import UnitConversionError, convert, is_known_unit

    _settle_bounds(figure)
    errors = {}
    if figure.rank == Rank.DEPRECATED and not (figure.rank_reason or "").strip():
        errors["rank_reason"] = _("Say why this figure is deprecated.")
    if not is_known_unit(figure.unit):
        errors["unit"] = _("Unknown unit %(unit)r.") % {"unit": figure.unit}
    else:
        try:
            convert(Decimal(1), figure.unit, figure.measure.unit)
        except UnitConversionError as error:
            errors["unit"] = _("This measure is in %(unit)s: %(error)s.") % {
                "unit": figure.measure.unit,
                "error": error,
            }
    if errors:
        raise ValidationError(errors)


# --- What a row belongs to -------------------------------------------------------------------
#
# Evidence belongs to its verdict, an appearance to its claim and article, a figure to its
# appearance. Moving one would change another record, perhaps one readers see (evidence under a
# published verdict, a figure in a public claim's chart, an outlet answering for a public claim),
# without that record's workflow or guards. None of the update services accepts these fields, and
# forms that show them (the admin's) ask `refuse_move` before saving: remove the row and record
# it again where it belongs.

FIXED_PARENT_FIELDS = {"evidence": ("verdict",), "appearance": ("claim", "article"), "figure": ("appearance",)}


def refuse_move(instance, changed_fields: Iterable[str]) -> None:
    """ValidationError naming each parent field of an existing row that an edit would change."""
    if instance.pk is None:
        return
    fixed = FIXED_PARENT_FIELDS.get(instance._meta.model_name, ())
    moved = sorted(set(fixed) & set(changed_fields))
    if moved:
        what = instance._meta.verbose_name
        raise ValidationError(
            {
                name: _(
                    "A recorded %(what)s is not moved to another %(parent)s; remove it and add it where it belongs."
                )
                % {"what": what, "parent": name}
                for name in moved
            }
        )


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
    "proposed",
)


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
        raise ValidationError({"url": _("An article with this URL is already recorded.")})
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
    """Edit a figure (admin, API) and refresh the conflict state of its old and new measure. A
    proposal is confirmed by `proposed=False`, or by picking another measure (a new one included)."""
    from claims.models import Figure

    _require_reviewer(by)
    _refuse_unknown(changes, FIGURE_EDITABLE_FIELDS)
    figure = Figure.objects.select_for_update().select_related("measure").get(pk=figure.pk)
    _check_row_version(figure, expected_version)
    old_measure_id, was_proposed = figure.measure_id, figure.proposed
    for name, value in changes.items():
        setattr(figure, name, value.strip() if isinstance(value, str) else value)
    given = "proposed" in changes
    settle_proposal(figure, was_proposed=was_proposed, old_measure_id=old_measure_id, proposed_given=given)
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
        raise ValidationError(_("Evidence of a published verdict is not removed; draft a correction."))
    evidence._history_user = by
    evidence.delete()
    evidence_changed(verdict_id=evidence.verdict_id, by=by)


@transaction.atomic
def update_evidence(*, evidence: Evidence, by, expected_version: int | None = None, **changes) -> Evidence:
    _require_reviewer(by)
    _refuse_unknown(changes, EVIDENCE_EDITABLE_FIELDS)
    evidence = _lock(Evidence, evidence.pk)
    _check_row_version(evidence, expected_version)
    if evidence.verdict.status not in (VerdictStatus.DRAFT, VerdictStatus.SUBMITTED):
        raise ValidationError(_("Evidence of a published verdict is not edited; draft a correction."))
    if all(getattr(evidence, name) == value for name, value in changes.items()):
        return evidence  # nothing to record: no history row, so no co-authorship either
    for name, value in changes.items():
        setattr(evidence, name, value)
    _full_clean(evidence)
    evidence._history_user = by
    evidence.save()
    evidence_changed(verdict_id=evidence.verdict_id, by=by)
    return evidence
