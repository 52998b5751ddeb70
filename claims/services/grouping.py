"""Undoing a wrong grouping: an imported review that the import attached to a claim it does not
review is split off into a claim of its own (claims/ingest/grouping.py groups them)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from claims.choices import ClaimStatus, VerdictStatus
from claims.models import Appearance, Claim, Figure, Verdict
from claims.services.base import _check_version, _full_clean, _lock, _require_reviewer

SPLIT_REASON = "Split off into its own claim"
_CHANGE_REASON_MAX = Claim.history.model._meta.get_field("history_change_reason").max_length


def _review_of(verdict: Verdict):
    """The stored ClaimReview as the importer read it (None when it no longer reads)."""
    from claims.claimreview.normalise import InvalidReview, normalise_review

    if not verdict.original_data:
        return None
    try:
        return normalise_review(verdict.original_data)
    except (InvalidReview, TypeError, ValueError):
        return None


def _appearance_urls(review) -> set[str]:
    from claims.ingest.links import normalise_url

    return {normalise_url(ref.url) for ref in (review.appearances if review else ()) if ref.url}


def split_plan(verdict: Verdict) -> dict:
    """What splitting `verdict` off its claim would do, for the confirmation page and the service:
    the new claim's text and language, and the appearances that move (only this review names
    their article) or are copied (another current review of the claim names it too)."""
    from claims.matching.language import detect_language, normalise_language

    review = _review_of(verdict)
    text = (review.claim_text if review else "") or verdict.claim.text
    others = list(
        Verdict.objects.filter(claim_id=verdict.claim_id, status=VerdictStatus.PUBLISHED)
        .exclude(pk=verdict.pk)
        .only("id", "original_data", "claim_id")
    )
    mine = _appearance_urls(review)
    theirs = set().union(*(_appearance_urls(_review_of(other)) for other in others)) if others else set()
    appearances = list(
        Appearance.objects.filter(claim_id=verdict.claim_id, article__url__in=mine).select_related("article")
    )
    return {
        "review": review,
        "text": text,
        "language": (normalise_language(review.language, field=None) if review else "") or detect_language(text),
        "others": others,
        "move": [a for a in appearances if a.article.url not in theirs],
        "copy": [a for a in appearances if a.article.url in theirs],
    }


@transaction.atomic
def split_review(*, verdict: Verdict, by, expected_version: int | None = None) -> Claim:
    """Detach an imported review (and the appearances it brought) from the claim it was grouped
    onto, into a new published claim worded as the review words it. Its figures go with the
    appearances; the old claim keeps its other reviews (its headline verdict is re-chosen when it
    was this one). Credibility of the sources either claim counts for, and the conflict state of
    the measures of the moved figures, are recomputed; history records each change with `by`."""
    from claims.ingest.sources import SourceRef, SourceResolver
    from claims.services.base import unique_slug
    from claims.services.caches import AttributionSnapshot, attribution_changed, attribution_snapshot, refresh_measures
    from claims.services.matching import embedding_for
    from claims.services.workflow import headline_verdict

    _require_reviewer(by)
    claim = _lock(Claim, Verdict.objects.values_list("claim_id", flat=True).get(pk=verdict.pk))
    verdict = _lock(Verdict, verdict.pk)
    _check_version(verdict, expected_version)
    if verdict.review_url is None:
        raise ValidationError({"verdict": "Only a review imported from another fact-checker can be split off."})
    if verdict.status != VerdictStatus.PUBLISHED:
        raise ValidationError({"verdict": "Only a current (published) review can be split off its claim."})
    plan = split_plan(verdict)
    if not plan["others"]:
        raise ValidationError(
            {"verdict": "This is the claim's only current review: there is no other review to split it from."}
        )
    snapshot = attribution_snapshot(claim_ids=[claim.pk])
    review = plan["review"]
    claimant = claim.claimant
    if review is not None and (review.claimant_name or review.claimant_url):
        ref = SourceRef.party(review.claimant_name, review.claimant_url, review.claimant_kind)
        claimant = SourceResolver(by=by, change_reason=SPLIT_REASON).resolve([ref])[ref]
    reason = f"{SPLIT_REASON} (from claim '{claim.slug}')"[:_CHANGE_REASON_MAX]
    was_headline = claim.published_verdict_id == verdict.pk
    if was_headline:  # free the one-to-one for the new claim; the history row comes with the new headline
        Claim.objects.filter(pk=claim.pk).update(published_verdict=None)
    new = Claim(
        text=plan["text"],
        slug=unique_slug(Claim, plan["text"], max_length=100),
        language=plan["language"],
        claimant=claimant,
        first_seen=(review.claim_date if review else None) or claim.first_seen,
        status=ClaimStatus.PUBLISHED,
        embedding=embedding_for(plan["text"]),
    )
    _full_clean(new, exclude=["search_vector", "embedding", "published_verdict"])
    new._history_user, new._change_reason = by, reason
    new.save()
    verdict.claim, verdict.grouping_reason = new, ""
    verdict.version += 1
    verdict._history_user, verdict._change_reason = by, reason
    verdict.save()
    new.published_verdict = verdict
    new._history_user, new._change_reason = by, reason
    new.save(update_fields=["published_verdict", "updated_at"])
    for appearance in plan["move"]:
        appearance.claim = new
        appearance._history_user, appearance._change_reason = by, reason
        appearance.save()
    for appearance in plan["copy"]:
        copy = Appearance(
            claim=new,
            article=appearance.article,
            quote=appearance.quote,
            voice=appearance.voice,
            attributed_to=appearance.attributed_to,
        )
        copy._history_user, copy._change_reason = by, reason
        copy.save()
    if was_headline:
        claim.published_verdict = headline_verdict(claim)
        claim._history_user, claim._change_reason = (
            by,
            f"Its headline review split off to '{new.slug}'"[:_CHANGE_REASON_MAX],
        )
        claim.save(update_fields=["published_verdict", "updated_at"])
    attribution_changed(AttributionSnapshot((claim.pk, new.pk), (), snapshot.sources_before))
    refresh_measures(
        measure_ids=Figure.objects.filter(appearance__in=plan["move"]).values_list("measure_id", flat=True)
    )
    return new
