"""The claim and verdict workflow: create, assign, review, draft, submit, publish, withdraw, correct."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.choices import ClaimStatus, VerdictStatus
from claims.intake import emails, webhooks
from claims.intake.models import WebhookEvent
from claims.models import Claim, Evidence, RatingLevel, Source, Topic, Verdict
from claims.services.base import (
    NotAllowed,
    _check_version,
    _full_clean,
    _lock,
    _require_editor,
    _require_reviewer,
    is_editor,
    is_reviewer,
    unique_slug,
)
from claims.services.caches import _refresh_after_publication_change

# --- Claims ---------------------------------------------------------------------------------

# /api/v1/claims/<route>/ names taken by list routes (DRF's router matches them before a slug).
RESERVED_CLAIM_SLUGS = frozenset({"match"})


@transaction.atomic
def create_claim(
    *,
    text: str,
    by,
    claimant: Source | None = None,
    topics: Iterable[Topic] = (),
    first_seen: date | None = None,
    slug: str | None = None,
    language: str | None = None,
    check_duplicates: bool = False,
    allow_duplicate: bool = False,
) -> Claim:
    """A new claim; its language is detected from the text unless given. With `check_duplicates`
    the claims likely the same are looked up first (kept on the result as `likely_duplicates`):
    any refuses the claim (`DuplicateClaim`) unless `allow_duplicate`."""
    from claims.matching.language import language_or_detected
    from claims.services.matching import DuplicateClaim, embedding_for, likely_duplicates

    _require_reviewer(by)
    text = (text or "").strip()
    if slug in RESERVED_CLAIM_SLUGS:
        raise ValidationError(
            {"slug": _("%(slug)r is reserved for an API route; choose another slug.") % {"slug": slug}}
        )
    language = language_or_detected(language, text)
    vector = embedding_for(text)  # once: for the duplicate check and to store
    duplicates = []
    if check_duplicates and text:
        duplicates = likely_duplicates(text, language=language, vector=vector)
        if duplicates and not allow_duplicate:
            raise DuplicateClaim(duplicates)
    claim = _save_new_claim(
        text=text, by=by, claimant=claimant, first_seen=first_seen, slug=slug, language=language, vector=vector
    )
    if topics:
        claim.topics.set(topics)
    claim.likely_duplicates = duplicates
    webhooks.claim_created(claim)
    return claim


def _save_new_claim(*, text: str, by, language: str, vector, slug: str | None = None, **fields) -> Claim:
    """Validate and insert a claim (slug allocated from the text unless given). Callers check
    who may create it and look for duplicates first."""
    if not slug:
        slug = unique_slug(Claim, text, max_length=100)
        if slug in RESERVED_CLAIM_SLUGS:
            slug = unique_slug(Claim, f"{text} claim", max_length=100)
    fields.setdefault("first_seen", None)
    fields["first_seen"] = fields["first_seen"] or timezone.localdate()
    claim = Claim(text=text, slug=slug, language=language, embedding=vector, **fields)
    _full_clean(claim, exclude=["search_vector", "embedding"])
    claim._history_user = by
    claim.save()
    return claim


def create_tip_claim(*, text: str, language: str, vector=None) -> Claim:
    """A claim a reader asked about through the tip line that matches none we have: new, from the
    tip line, with the tip's demand. Nobody signed in wrote it, so no role is checked; the tip line
    (claims/intake/tips.py) validates the text and runs the duplicate check first."""
    claim = _save_new_claim(text=text, by=None, language=language, vector=vector, from_tip_line=True, demand=1)
    webhooks.claim_created(claim)  # staff subscribers hear of a tip-line claim like any other
    return claim


@transaction.atomic
def assign_claim(*, claim: Claim, reviewer, by) -> Claim:
    """Assign a claim to a reviewer (themselves, or anyone when `by` is an editor)."""
    _require_reviewer(by)
    if reviewer is not None and not is_reviewer(reviewer):
        raise ValidationError({"assigned_to": _("Claims can only be assigned to reviewers or editors.")})
    if reviewer is not None and reviewer != by and not is_editor(by):
        raise NotAllowed(_("Only editors may assign claims to someone else."))
    claim = _lock(Claim, claim.pk)
    claim.assigned_to = reviewer
    claim._history_user = by
    # Not `updated_at`: that stamp is the claim's version, its public ETag and the DataFeed's
    # Last-Modified, and whom the work is assigned to changes nothing readers see.
    claim.save(update_fields=["assigned_to"])
    return claim


@transaction.atomic
def start_review(*, claim: Claim, by) -> Claim:
    """Move a new claim into review, assigning it to `by` when nobody has it."""
    _require_reviewer(by)
    claim = _lock(Claim, claim.pk)
    if claim.status != ClaimStatus.NEW:
        raise ValidationError(
            {
                "status": _("Only new claims can enter review; this one is %(status)s.")
                % {"status": claim.get_status_display()}
            }
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
        raise ValidationError({"claim": _("This claim was withdrawn; reopen it before drafting a verdict.")})
    if claim.status == ClaimStatus.MERGED:
        raise ValidationError({"claim": _("This claim was merged into another one; draft the verdict there.")})
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
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    verdict = _lock(Verdict, verdict.pk)
    _check_version(verdict, expected_version)
    if verdict.status not in (VerdictStatus.DRAFT, VerdictStatus.SUBMITTED):
        # Not under `status`: the caller sent no status; the verdict as a whole is not editable.
        raise ValidationError(
            _("A %(status)s verdict is not edited; publish a correction or withdraw instead.")
            % {"status": str(verdict.get_status_display()).lower()}
        )
    changed = [name for name, value in changes.items() if getattr(verdict, name) != value]
    for name, value in changes.items():
        setattr(verdict, name, value)
    _full_clean(verdict)
    verdict.version += 1
    verdict._history_user = by
    if changed:
        verdict._change_reason = f"Edited {', '.join(changed)}"
        _reopen_if_submitted(verdict)
    verdict.save()
    return verdict


# --- Who wrote a verdict (the two-person rule) ----------------------------------------------
#
# The rule is about content, not about the `author` column: whoever publishes must have written
# none of what readers will see. So every content change is kept in the history with its user
# (simple-history rows of the verdict and of its evidence), and publishing reads them back.

VERDICT_CONTENT_FIELDS = ("rating_id", "summary", "rationale")


def content_authors(verdict: Verdict) -> set[int]:
    """The ids of everyone who wrote part of `verdict`'s content: its author, whoever set or
    changed its rating, summary or rationale, and whoever added, changed or removed its evidence."""
    from claims.models import Evidence

    authors = {verdict.author_id} if verdict.author_id is not None else set()
    previous = None
    rows = Verdict.history.filter(id=verdict.pk).order_by("history_date", "history_id")
    for row in rows.values("history_user_id", *VERDICT_CONTENT_FIELDS):
        content = tuple(row[name] for name in VERDICT_CONTENT_FIELDS)
        if content != previous and row["history_user_id"] is not None:
            authors.add(row["history_user_id"])
        previous = content
    evidence_users = Evidence.history.filter(verdict_id=verdict.pk, history_user__isnull=False)
    authors.update(evidence_users.values_list("history_user_id", flat=True).distinct())
    return authors


def _reopen_if_submitted(verdict: Verdict) -> None:
    """A submitted verdict whose content changes goes back to draft: what was submitted for
    approval is no longer what would be published, so it must be submitted again (and whoever
    made the change is now one of its authors, see `content_authors`). The caller saves."""
    if verdict.status == VerdictStatus.SUBMITTED:
        verdict.status = VerdictStatus.DRAFT
        verdict.submitted_at = None
        reason = getattr(verdict, "_change_reason", "") or "Content changed"
        verdict._change_reason = f"{reason} after submission: back to draft"[:100]


# What a reviewer may edit on an evidence row (and what a correction copies from the verdict it corrects).
EVIDENCE_EDITABLE_FIELDS = ("url", "title", "publisher", "accessed_on", "archived_url", "note")


def evidence_changed(*, verdict_id: int, by) -> None:
    """Evidence of a submitted verdict was added, changed or removed: the verdict goes back to draft
    (its version moves, so an editor's publish of the old version is refused as stale)."""
    verdict = _lock(Verdict, verdict_id)
    if verdict.status != VerdictStatus.SUBMITTED:
        return
    verdict._change_reason = "Evidence changed"
    _reopen_if_submitted(verdict)
    verdict.version += 1
    verdict._history_user = by
    verdict.save(update_fields=["status", "submitted_at", "version", "updated_at"])


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
        raise ValidationError({"verdict": _("Evidence can only be added to a draft or submitted verdict.")})
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
    evidence_changed(verdict_id=verdict.pk, by=by)
    return evidence


@transaction.atomic
def submit_verdict(*, verdict: Verdict, by, expected_version: int | None = None) -> Verdict:
    _require_reviewer(by)
    verdict = _lock(Verdict, verdict.pk)
    _check_version(verdict, expected_version)
    if verdict.status != VerdictStatus.DRAFT:
        raise ValidationError(
            {
                "status": _("Only drafts can be submitted; this verdict is %(status)s.")
                % {"status": verdict.get_status_display()}
            }
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
            {
                "status": _("Only submitted verdicts can be published; this one is %(status)s.")
                % {"status": verdict.get_status_display()}
            }
        )
    if verdict.author_id is not None and verdict.author_id == by.pk:
        raise NotAllowed(_("Two-person rule: an editor cannot publish a verdict they wrote."))
    if by.pk in content_authors(verdict):
        raise NotAllowed(
            _("Two-person rule: you changed this verdict or its evidence, so another editor must publish it.")
        )
    # The verdict readers see now (ours, or an imported review): other fact-checkers' reviews of
    # the claim stay current beside it.
    current = Verdict.objects.select_for_update().filter(pk=claim.published_verdict_id)
    previous = current.filter(status=VerdictStatus.PUBLISHED).first()
    correction_note = (correction_note or verdict.correction_note or "").strip()
    if previous is not None:
        if not correction_note:
            raise ValidationError(
                {"correction_note": _("This claim already has a published verdict: say publicly what changed and why.")}
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
    event = WebhookEvent.VERDICT_CORRECTED if previous is not None else WebhookEvent.VERDICT_PUBLISHED
    webhooks.verdict_changed(event, verdict=verdict, claim=claim)
    emails.verdict_changed(claim_id=claim.pk, verdict_id=verdict.pk, event="corrected" if previous else "published")
    return verdict


def headline_verdict(claim: Claim) -> Verdict | None:
    """The current verdict readers see first when several reviews of one claim are current: ours,
    else the earliest published imported review."""
    return (
        Verdict.objects.filter(claim=claim, status=VerdictStatus.PUBLISHED)
        .order_by(F("review_url").asc(nulls_first=True), "published_at", "id")
        .first()
    )


@transaction.atomic
def withdraw_verdict(*, verdict: Verdict, by, reason: str, expected_version: int | None = None) -> Verdict:
    """Withdraw a published verdict with a public reason. It stays in the public history."""
    _require_editor(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"withdrawal_reason": _("A public reason is required to withdraw a verdict.")})
    claim = _lock(Claim, verdict.claim_id)
    verdict = _lock(Verdict, verdict.pk)
    _check_version(verdict, expected_version)
    if verdict.status != VerdictStatus.PUBLISHED:
        raise ValidationError({"status": _("Only the published verdict can be withdrawn.")})
    verdict.status = VerdictStatus.WITHDRAWN
    verdict.withdrawal_reason = reason
    verdict.withdrawn_at = timezone.now()
    verdict.version += 1
    verdict._history_user = by
    verdict.save()
    if claim.published_verdict_id == verdict.pk:
        claim.published_verdict = headline_verdict(claim)
    claim.status = ClaimStatus.PUBLISHED if claim.published_verdict_id else ClaimStatus.WITHDRAWN
    claim._history_user = by
    claim.save(update_fields=["status", "published_verdict", "updated_at"])
    _refresh_after_publication_change(claim)
    webhooks.verdict_changed(WebhookEvent.VERDICT_WITHDRAWN, verdict=verdict, claim=claim)
    emails.verdict_changed(claim_id=claim.pk, verdict_id=verdict.pk, event="withdrawn")
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
    """Start a correction of a published verdict: a new draft carrying the public note and a copy
    of the published verdict's evidence, so nothing readers saw is lost by starting over; the copies
    are edited or removed on the draft like any evidence (each change in history, with its user).
    It replaces the published verdict only when another editor publishes it."""
    _require_reviewer(by)
    verdict = _lock(Verdict, verdict.pk)
    if verdict.status != VerdictStatus.PUBLISHED:
        raise ValidationError({"status": _("Only the published verdict can be corrected.")})
    if not (correction_note or "").strip():
        raise ValidationError({"correction_note": _("A correction needs a public note saying what changed.")})
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
    for item in verdict.evidence.order_by("id"):
        add_evidence(verdict=draft, by=by, **{name: getattr(item, name) for name in EVIDENCE_EDITABLE_FIELDS})
    return draft
