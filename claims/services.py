"""Every state change of Factcheck, each in a transaction with its validation.

Views, admin actions, the API and management commands all call these functions; none of them
changes workflow fields directly. Arguments are keyword-only. Failures raise Django's
ValidationError (field-level where possible), `NotAllowed` for role violations, and
`StaleVersion` when the caller's copy is out of date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from claims.choices import ClaimStatus, VerdictStatus
from claims.models import Claim, Evidence, RatingLevel, Source, Topic, Verdict
from claims.querysets import can_see_unpublished


class NotAllowed(PermissionDenied):
    """The user's role does not allow this action."""


class StaleVersion(Exception):
    """The object changed since the caller read it; nothing was written."""

    def __init__(self, *, expected: int, current: int):
        super().__init__(f"Stale update: you edited version {expected}, the current version is {current}.")
        self.expected = expected
        self.current = current


# --- Roles ----------------------------------------------------------------------------------


def is_reviewer(user) -> bool:
    return can_see_unpublished(user)


def is_editor(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("claims.publish_verdict"))


def _require_reviewer(user) -> None:
    if not is_reviewer(user):
        raise NotAllowed("Only reviewers and editors may do this.")


def _require_editor(user, permission: str = "claims.publish_verdict") -> None:
    if not (user and user.is_authenticated and user.has_perm(permission)):
        raise NotAllowed("Only editors may do this.")


# --- Helpers --------------------------------------------------------------------------------


def unique_slug(model, text: str, *, max_length: int = 100, exclude_pk=None) -> str:
    """A slug from `text`, suffixed -2, -3 … until unused in `model`."""
    base = slugify(text)[:max_length].strip("-") or "item"
    candidate, n = base, 1
    queryset = model.objects.all()
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    taken = set(queryset.filter(slug__startswith=base).values_list("slug", flat=True))
    while candidate in taken:
        n += 1
        suffix = f"-{n}"
        candidate = base[: max_length - len(suffix)] + suffix
    return candidate


def _check_version(obj, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != obj.version:
        raise StaleVersion(expected=expected_version, current=obj.version)


def _lock(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def _full_clean(obj, *, exclude: Iterable[str] = ()) -> None:
    obj.full_clean(exclude=list(exclude), validate_constraints=False)


# --- Claims ---------------------------------------------------------------------------------


@transaction.atomic
def create_claim(
    *,
    text: str,
    by,
    claimant: Source | None = None,
    topics: Iterable[Topic] = (),
    first_seen: date | None = None,
    slug: str | None = None,
) -> Claim:
    _require_reviewer(by)
    text = (text or "").strip()
    claim = Claim(
        text=text,
        claimant=claimant,
        first_seen=first_seen or timezone.localdate(),
        slug=slug or unique_slug(Claim, text, max_length=100),
    )
    _full_clean(claim, exclude=["search_vector"])
    claim._history_user = by
    claim.save()
    if topics:
        claim.topics.set(topics)
    return claim


@transaction.atomic
def assign_claim(*, claim: Claim, reviewer, by) -> Claim:
    """Assign a claim to a reviewer (themselves, or anyone when `by` is an editor)."""
    _require_reviewer(by)
    if reviewer is not None and not is_reviewer(reviewer):
        raise ValidationError({"assigned_to": "Claims can only be assigned to reviewers or editors."})
    if reviewer is not None and reviewer != by and not is_editor(by):
        raise NotAllowed("Only editors may assign claims to someone else.")
    claim = _lock(Claim, claim.pk)
    claim.assigned_to = reviewer
    claim._history_user = by
    claim.save(update_fields=["assigned_to", "updated_at"])
    return claim


@transaction.atomic
def start_review(*, claim: Claim, by) -> Claim:
    """Move a new claim into review, assigning it to `by` when nobody has it."""
    _require_reviewer(by)
    claim = _lock(Claim, claim.pk)
    if claim.status != ClaimStatus.NEW:
        raise ValidationError(
            {"status": f"Only new claims can enter review; this one is {claim.get_status_display()}."}
        )
    claim.status = ClaimStatus.IN_REVIEW
    if claim.assigned_to_id is None:
        claim.assigned_to = by
    claim._history_user = by
    claim.save(update_fields=["status", "assigned_to", "updated_at"])
    return claim


# --- Verdicts -------------------------------------------------------------------------------

EDITABLE_VERDICT_FIELDS = ("rating", "summary", "rationale")


@transaction.atomic
def create_verdict(
    *,
    claim: Claim,
    rating: RatingLevel,
    summary: str,
    by,
    rationale: str = "",
    evidence: Iterable[dict] = (),
    is_example: bool = False,
) -> Verdict:
    """A reviewer's draft verdict. Moves a new claim into review."""
    _require_reviewer(by)
    claim = _lock(Claim, claim.pk)
    if claim.status == ClaimStatus.WITHDRAWN:
        raise ValidationError({"claim": "This claim was withdrawn; reopen it before drafting a verdict."})
    verdict = Verdict(
        claim=claim,
        rating=rating,
        summary=(summary or "").strip(),
        rationale=rationale,
        author=by,
        is_example=is_example,
    )
    _full_clean(verdict)
    verdict._history_user = by
    verdict.save()
    for item in evidence:
        add_evidence(verdict=verdict, by=by, **item)
    if claim.status == ClaimStatus.NEW:
        claim.status = ClaimStatus.IN_REVIEW
        claim._history_user = by
        claim.save(update_fields=["status", "updated_at"])
    return verdict


@transaction.atomic
def update_verdict(*, verdict: Verdict, by, expected_version: int | None, **changes) -> Verdict:
    """Edit a draft or submitted verdict. A stale `expected_version` is refused."""
    _require_reviewer(by)
    unknown = set(changes) - set(EDITABLE_VERDICT_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be changed here." for name in sorted(unknown)})
    verdict = _lock(Verdict, verdict.pk)
    _check_version(verdict, expected_version)
    if verdict.status not in (VerdictStatus.DRAFT, VerdictStatus.SUBMITTED):
        raise ValidationError(
            {"status": "Published verdicts are not edited; publish a correction or withdraw instead."}
        )
    for name, value in changes.items():
        setattr(verdict, name, value)
    _full_clean(verdict)
    verdict.version += 1
    verdict._history_user = by
    verdict.save()
    return verdict


@transaction.atomic
def add_evidence(
    *,
    verdict: Verdict,
    by,
    url: str,
    title: str,
    publisher: str = "",
    accessed_on: date | None = None,
    archived_url: str = "",
    note: str = "",
) -> Evidence:
    _require_reviewer(by)
    if verdict.status not in (VerdictStatus.DRAFT, VerdictStatus.SUBMITTED):
        raise ValidationError({"verdict": "Evidence can only be added to a draft or submitted verdict."})
    evidence = Evidence(
        verdict=verdict,
        url=url,
        title=title,
        publisher=publisher,
        accessed_on=accessed_on,
        archived_url=archived_url,
        note=note,
    )
    _full_clean(evidence)
    evidence._history_user = by
    evidence.save()
    return evidence


@transaction.atomic
def submit_verdict(*, verdict: Verdict, by, expected_version: int | None = None) -> Verdict:
    _require_reviewer(by)
    verdict = _lock(Verdict, verdict.pk)
    _check_version(verdict, expected_version)
    if verdict.status != VerdictStatus.DRAFT:
        raise ValidationError(
            {"status": f"Only drafts can be submitted; this verdict is {verdict.get_status_display()}."}
        )
    verdict.status = VerdictStatus.SUBMITTED
    verdict.submitted_at = timezone.now()
    verdict.version += 1
    verdict._history_user = by
    verdict.save()
    return verdict


@transaction.atomic
def publish_verdict(*, verdict: Verdict, by, expected_version: int | None = None, correction_note: str = "") -> Verdict:
    """Publish a submitted verdict (two-person rule). The previous published verdict is superseded
    and a public correction note is then required."""
    _require_editor(by)
    claim = _lock(Claim, verdict.claim_id)  # serialises concurrent publications of one claim
    verdict = _lock(Verdict, verdict.pk)
    _check_version(verdict, expected_version)
    if verdict.status != VerdictStatus.SUBMITTED:
        raise ValidationError(
            {"status": f"Only submitted verdicts can be published; this one is {verdict.get_status_display()}."}
        )
    if verdict.author_id is not None and verdict.author_id == by.pk:
        raise NotAllowed("Two-person rule: an editor cannot publish a verdict they wrote.")
    previous = Verdict.objects.select_for_update().filter(claim=claim, status=VerdictStatus.PUBLISHED).first()
    correction_note = (correction_note or verdict.correction_note or "").strip()
    if previous is not None:
        if not correction_note:
            raise ValidationError(
                {"correction_note": "This claim already has a published verdict: say publicly what changed and why."}
            )
        previous.status = VerdictStatus.SUPERSEDED
        previous.version += 1
        previous._history_user = by
        previous.save()
        verdict.supersedes = previous
    now = timezone.now()
    verdict.status = VerdictStatus.PUBLISHED
    verdict.approver = by
    verdict.published_at = now
    verdict.correction_note = correction_note
    verdict.version += 1
    verdict._history_user = by
    verdict.save()
    claim.status = ClaimStatus.PUBLISHED
    claim.published_verdict = verdict
    claim._history_user = by
    claim.save(update_fields=["status", "published_verdict", "updated_at"])
    _refresh_after_publication_change(claim)
    return verdict


@transaction.atomic
def withdraw_verdict(*, verdict: Verdict, by, reason: str, expected_version: int | None = None) -> Verdict:
    """Withdraw a published verdict with a public reason. It stays in the public history."""
    _require_editor(by, "claims.withdraw_verdict")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"withdrawal_reason": "A public reason is required to withdraw a verdict."})
    claim = _lock(Claim, verdict.claim_id)
    verdict = _lock(Verdict, verdict.pk)
    _check_version(verdict, expected_version)
    if verdict.status != VerdictStatus.PUBLISHED:
        raise ValidationError({"status": "Only the published verdict can be withdrawn."})
    verdict.status = VerdictStatus.WITHDRAWN
    verdict.withdrawal_reason = reason
    verdict.withdrawn_at = timezone.now()
    verdict.version += 1
    verdict._history_user = by
    verdict.save()
    claim.status = ClaimStatus.WITHDRAWN
    claim.published_verdict = None
    claim._history_user = by
    claim.save(update_fields=["status", "published_verdict", "updated_at"])
    _refresh_after_publication_change(claim)
    return verdict


@transaction.atomic
def draft_correction(
    *,
    verdict: Verdict,
    by,
    rating: RatingLevel | None = None,
    summary: str | None = None,
    rationale: str | None = None,
    correction_note: str,
) -> Verdict:
    """Start a correction of a published verdict: a new draft carrying the public note.
    It replaces the published verdict only when another editor publishes it."""
    _require_reviewer(by)
    if verdict.status != VerdictStatus.PUBLISHED:
        raise ValidationError({"status": "Only the published verdict can be corrected."})
    if not (correction_note or "").strip():
        raise ValidationError({"correction_note": "A correction needs a public note saying what changed."})
    draft = create_verdict(
        claim=verdict.claim,
        rating=rating or verdict.rating,
        summary=summary if summary is not None else verdict.summary,
        rationale=rationale if rationale is not None else verdict.rationale,
        by=by,
        is_example=verdict.is_example,
    )
    draft.correction_note = correction_note.strip()
    draft.save(update_fields=["correction_note"])
    return draft


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
    appearance.save()
    if voice == "asserts" and Claim.objects.filter(pk=claim.pk, published_verdict__isnull=False).exists():
        _refresh_after_publication_change(claim)  # the article's outlet and authors now answer for it
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


# --- Credibility and conflicts: keeping the caches current (issue 6) --------------------------


def _refresh_after_publication_change(claim: Claim) -> None:
    """A claim's published verdict changed (published, superseded or withdrawn): recompute the
    credibility of the sources it counts for, and the public conflict state of the measures its
    figures are about. Constant number of queries."""
    from claims.credibility_sql import recompute_claim_sources

    recompute_claim_sources([claim.pk])
    _refresh_measures_of_claim(claim)


def refresh_measures(*, measure_ids: Iterable[int]) -> None:
    """Recompute the cached *public* conflict state of these measures (3 queries: lock the measures,
    load their public figures, one bulk update). The cache bypasses history on purpose: it is
    derived data, not an editorial change."""
    from claims import conflicts
    from claims.models import Measure

    ids = sorted({int(pk) for pk in measure_ids if pk is not None})
    if not ids:
        return
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


# --- REST API: updates of claims, appearances, figures, evidence; articles (api branch) --------
#
# Claims, appearances, figures and evidence have no version column; their optimistic lock is the
# `updated_at` stamp in microseconds (`row_version`), which changes on every save.

CLAIM_EDITABLE_FIELDS = ("text", "claimant", "first_seen", "topics")
APPEARANCE_EDITABLE_FIELDS = ("quote", "voice", "attributed_to")
FIGURE_EDITABLE_FIELDS = (
    "quoted_text",
    "low",
    "high",
    "qualifier",
    "unit",
    "point_in_time",
    "rank",
    "rank_reason",
    "measure",
)
EVIDENCE_EDITABLE_FIELDS = ("url", "title", "publisher", "accessed_on", "archived_url", "note")


def row_version(obj) -> int:
    """The optimistic-lock token of a row without a version column: `updated_at` in microseconds."""
    return int(obj.updated_at.timestamp() * 1_000_000)


def _check_row_version(obj, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != row_version(obj):
        raise StaleVersion(expected=expected_version, current=row_version(obj))


def _refuse_unknown(changes: dict, allowed: Iterable[str]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError({name: "This field cannot be changed here." for name in sorted(unknown)})


@transaction.atomic
def update_claim(*, claim: Claim, by, expected_version: int | None = None, **changes) -> Claim:
    """Edit a claim's text, claimant, first-seen date or topics (its status moves only by workflow)."""
    _require_reviewer(by)
    _refuse_unknown(changes, CLAIM_EDITABLE_FIELDS)
    claim = _lock(Claim, claim.pk)
    _check_row_version(claim, expected_version)
    topics = changes.pop("topics", None)
    if "text" in changes:
        changes["text"] = (changes["text"] or "").strip()
    for name, value in changes.items():
        setattr(claim, name, value)
    _full_clean(claim, exclude=["search_vector"])
    claim._history_user = by
    claim.save()
    if topics is not None:
        claim.topics.set(topics)
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
    language: str = "en",
    kind: str = "news",
    parent=None,
    archived_url: str = "",
):
    from claims.models import Article

    _require_reviewer(by)
    article = Article(
        url=(url or "").strip(),
        title=(title or "").strip(),
        outlet=outlet,
        published_on=published_on,
        language=language,
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
    appearance.save()
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
def delete_figure(*, figure, by) -> None:
    """Remove a figure and refresh its measure's conflict state."""
    _require_reviewer(by)
    measure_id = figure.measure_id
    figure._history_user = by
    figure.delete()
    refresh_measures(measure_ids=[measure_id])


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
