"""Merging duplicate claims into one, and splitting a mistaken merge again.

An editor folds one claim (the *merged* claim) into another (the *survivor*): its appearances
(with their figures), verdicts, topics, tips and tip subscriptions move to the survivor; the merged
claim keeps its row and slug with status `merged`, so its page and API URLs redirect permanently to
the survivor (claims/matching/merges.py finds where). Everything that moved is kept, by id, on a
`MergeRecord`, so `split_merge` can put it back. Whom the claims count for and which figures are
public may change, so credibility and conflict states are recomputed in the same transaction.

Refused (nothing written): non-editors; a claim into itself (also through a chain of earlier
merges); a claim already merged; a merged claim with a verdict under review (what the approving
editor reads would change under them); two published verdicts (one claim has one current
verdict: withdraw or correct one first); the two-person rule: an editor who wrote a published
verdict may not make it the survivor's current verdict; both claims in one article in different
voices (the figures would change who said them).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from claims.choices import PUBLIC_CLAIM_STATUSES, ClaimStatus, VerdictStatus
from claims.intake import webhooks
from claims.models import Appearance, Claim, Figure, MergeRecord, Tip, TipSubscription, Verdict
from claims.services.base import NotAllowed, _require_editor
from claims.services.caches import attribution_may_change, pages_changed, refresh_measures

# Statuses of a claim that is not public, in workflow order (a merge never moves one back).
_WORKFLOW_ORDER = (ClaimStatus.NEW, ClaimStatus.IN_REVIEW)


def _locked_claims(*pks: int) -> dict[int, Claim]:
    """Both claims, locked in id order (two merges of the same pair never deadlock)."""
    return {claim.pk: claim for claim in Claim.objects.select_for_update().filter(pk__in=pks).order_by("pk")}


def _survivor_after(survivor: Claim, merged: Claim, merged_published: Verdict | None) -> tuple[str, int | None]:
    """The survivor's status and published verdict once the merged claim's verdicts joined it:
    readers must keep seeing what they saw on either page."""
    if merged_published is not None:
        return ClaimStatus.PUBLISHED, merged_published.pk
    if survivor.status in PUBLIC_CLAIM_STATUSES:
        return survivor.status, survivor.published_verdict_id
    if merged.status == ClaimStatus.WITHDRAWN:
        return ClaimStatus.WITHDRAWN, None
    later = max(_WORKFLOW_ORDER.index(survivor.status), _WORKFLOW_ORDER.index(merged.status))
    return _WORKFLOW_ORDER[later], None


def _check_mergeable(*, merged: Claim, survivor: Claim, verdicts: list[Verdict], by) -> Verdict | None:
    """Refuse what the module docstring lists; the merged claim's published verdict, if any."""
    from claims.services.workflow import content_authors

    if merged.status == ClaimStatus.MERGED:
        raise ValidationError({"claim": "This claim is already merged into another one."})
    mine = [verdict for verdict in verdicts if verdict.claim_id == merged.pk]
    if any(verdict.status == VerdictStatus.SUBMITTED for verdict in mine):
        raise ValidationError(
            {
                "claim": "This claim has a verdict under review (submitted for approval): publish it or send it "
                "back to draft before merging, so the approving editor does not review a moved verdict."
            }
        )
    merged_published = next((v for v in mine if v.status == VerdictStatus.PUBLISHED), None)
    survivor_published = next(
        (v for v in verdicts if v.claim_id == survivor.pk and v.status == VerdictStatus.PUBLISHED), None
    )
    if merged_published is not None and survivor_published is not None:
        raise ValidationError(
            {
                "into": "Both claims have a published verdict and a claim shows one: withdraw one of them, or publish "
                "a correction on the survivor, before merging."
            }
        )
    if merged_published is not None and by.pk in content_authors(merged_published):
        raise NotAllowed(
            "Two-person rule: you wrote the published verdict this merge would make the survivor's current verdict, "
            "so another editor must merge these claims."
        )
    return merged_published


def _appearance_moves(merged: Claim, survivor: Claim) -> tuple[list[Appearance], list[tuple[Appearance, Appearance]]]:
    """The merged claim's appearances that move, and those folded into the survivor's appearance in
    the same article (one appearance per claim and article): their figures move instead."""
    appearances = list(
        Appearance.objects.select_for_update()
        .filter(claim_id__in=[merged.pk, survivor.pk])
        .select_related("article")
        .order_by("pk")
    )
    survivors_by_article = {a.article_id: a for a in appearances if a.claim_id == survivor.pk}
    moving, folding = [], []
    for appearance in (a for a in appearances if a.claim_id == merged.pk):
        other = survivors_by_article.get(appearance.article_id)
        if other is None:
            moving.append(appearance)
        elif (other.voice, other.attributed_to_id) != (appearance.voice, appearance.attributed_to_id):
            raise ValidationError(
                {
                    "into": f"Both claims appear in “{appearance.article}” but in different voices or attributions; "
                    "make the two appearances agree first (a figure's sayer would otherwise change)."
                }
            )
        else:
            folding.append((appearance, other))
    return moving, folding


def _move(objects, model, fields, *, by, reason: str, now) -> None:
    """Save a field change on each object with a history row (user, reason) and a new `updated_at`
    (the optimistic-lock token of these rows), in one statement per table."""
    if not objects:
        return
    for obj in objects:
        obj.updated_at = now
    bulk_update_with_history(
        objects, model, [*fields, "updated_at"], default_user=by, default_change_reason=reason[:100], default_date=now
    )


def _save_claim(claim: Claim, *, by, reason: str, fields: list[str]) -> None:
    claim._history_user = by
    claim._change_reason = reason[:100]
    claim.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def merge_claims(*, merged: Claim, into: Claim, by, note: str = "") -> MergeRecord:
    """Fold `merged` into `into` (or into the claim `into` was itself merged into, following the
    chain to its end) and return the record of what moved."""
    from claims.matching.merges import final_survivor_id

    _require_editor(by)
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": "Ensure this value has at most 500 characters."})
    target = final_survivor_id(into.pk)
    if target == merged.pk:
        raise ValidationError({"into": "A claim cannot be merged into itself."})
    claims = _locked_claims(merged.pk, target)
    merged, survivor = claims[merged.pk], claims[target]
    if survivor.status == ClaimStatus.MERGED:  # merged meanwhile, after the chain was read
        raise ValidationError({"into": "That claim was merged into another one meanwhile; try again."})
    verdicts = list(Verdict.objects.select_for_update().filter(claim_id__in=[merged.pk, survivor.pk]).order_by("pk"))
    merged_published = _check_mergeable(merged=merged, survivor=survivor, verdicts=verdicts, by=by)
    moving, folding = _appearance_moves(merged, survivor)
    now = timezone.now()
    reason = f"Merged claim {merged.pk} into claim {survivor.pk}"
    was_public = merged.status in PUBLIC_CLAIM_STATUSES

    with attribution_may_change(claim_ids=[merged.pk, survivor.pk]):
        measure_ids = set(
            Figure.objects.filter(appearance__claim_id__in=[merged.pk, survivor.pk]).values_list(
                "measure_id", flat=True
            )
        )
        for appearance in moving:
            appearance.claim_id = survivor.pk
        _move(moving, Appearance, ["claim"], by=by, reason=reason, now=now)
        folded_figures = list(Figure.objects.filter(appearance__in=[a for a, _ in folding]).order_by("pk"))
        target_of = {a.pk: other.pk for a, other in folding}
        folded = [[figure.pk, figure.appearance_id] for figure in folded_figures]
        for figure in folded_figures:
            figure.appearance_id = target_of[figure.appearance_id]
        _move(folded_figures, Figure, ["appearance"], by=by, reason=reason, now=now)
        moved_verdicts = [v for v in verdicts if v.claim_id == merged.pk]
        for verdict in moved_verdicts:
            verdict.claim_id = survivor.pk
            verdict.version += 1  # a form holding the old version is refused as stale
        _move(moved_verdicts, Verdict, ["claim", "version"], by=by, reason=reason, now=now)

        topic_ids = set(merged.topics.values_list("pk", flat=True)) - set(survivor.topics.values_list("pk", flat=True))
        survivor.topics.add(*topic_ids)
        tip_ids = list(Tip.objects.filter(claim=merged).values_list("pk", flat=True))
        Tip.objects.filter(pk__in=tip_ids).update(claim=survivor)
        # A tipster subscribed to both claims keeps the survivor's subscription (one per address).
        subscription_ids = list(
            TipSubscription.objects.filter(claim=merged)
            .exclude(email__in=TipSubscription.objects.filter(claim=survivor).values("email"))
            .values_list("pk", flat=True)
        )
        TipSubscription.objects.filter(pk__in=subscription_ids).update(claim=survivor)

        record = MergeRecord(
            merged=merged,
            survivor=survivor,
            merged_by=by,
            merged_at=now,
            note=note,
            was_public=was_public,
            merged_status=merged.status,
            merged_published_verdict_id=merged.published_verdict_id,
            survivor_status=survivor.status,
            survivor_published_verdict_id=survivor.published_verdict_id,
        )
        status, published_id = _survivor_after(survivor, merged, merged_published)
        record.moved = {
            "appearances": [a.pk for a in moving],
            "folded_figures": folded,
            "verdicts": [[v.pk, v.status] for v in moved_verdicts],
            "topics": sorted(topic_ids),
            "tips": tip_ids,
            "tip_subscriptions": subscription_ids,
            "demand": merged.demand,
            "survivor_status_after": status,
        }
        record._history_user = by
        record._change_reason = "Merged"
        record.full_clean(exclude=["merged", "survivor", "merged_by"], validate_constraints=False)
        record.save()

        merged.status, merged.published_verdict_id = ClaimStatus.MERGED, None
        _save_claim(
            merged,
            by=by,
            reason=f"Merged into claim {survivor.pk} ({survivor.slug})",
            fields=["status", "published_verdict"],
        )
        survivor.status, survivor.published_verdict_id = status, published_id
        _save_claim(
            survivor,
            by=by,
            reason=f"Claim {merged.pk} ({merged.slug}) merged into this one",
            fields=["status", "published_verdict"],
        )
        if merged.demand:
            Claim.objects.filter(pk=survivor.pk).update(demand=F("demand") + merged.demand)
        refresh_measures(measure_ids=measure_ids)
    if was_public:
        webhooks.claim_merged(merged=merged, survivor=survivor, merge_id=record.pk, merged_at=now)
    pages_changed()
    return record


@transaction.atomic
def split_merge(*, merge: MergeRecord, by) -> MergeRecord:
    """Undo a merge: the merged claim gets back what it brought (what still exists of it) and its
    status, and the survivor its own state. Refused when the survivor was itself merged since
    (split that merge first) or a moved verdict changed on the survivor (a correction now rests on
    it: withdraw or split by hand)."""
    _require_editor(by)
    record = MergeRecord.objects.select_for_update().get(pk=merge.pk)
    if record.split_at is not None:
        raise ValidationError({"merge": "This merge was split already."})
    claims = _locked_claims(record.merged_id, record.survivor_id)
    merged, survivor = claims[record.merged_id], claims[record.survivor_id]
    if survivor.status == ClaimStatus.MERGED:
        raise ValidationError(
            {"merge": "The surviving claim was since merged into another one: split that merge first."}
        )
    moved = record.moved
    statuses = dict(moved.get("verdicts", []))
    verdicts = list(Verdict.objects.select_for_update().filter(pk__in=statuses).order_by("pk"))
    changed = [v for v in verdicts if v.claim_id != survivor.pk or v.status != statuses[v.pk]]
    superseding = Verdict.objects.filter(supersedes__in=verdicts).exclude(pk__in=statuses)
    if changed or superseding.exists():
        raise ValidationError(
            {
                "merge": "A verdict this merge moved changed on the surviving claim since (published, corrected or "
                "withdrawn there): the merge can no longer be split automatically."
            }
        )
    now = timezone.now()
    reason = f"Split claim {merged.pk} from claim {survivor.pk}"

    with attribution_may_change(claim_ids=[merged.pk, survivor.pk]):
        appearances = list(
            Appearance.objects.select_for_update().filter(pk__in=moved.get("appearances", []), claim=survivor)
        )
        folded = dict(moved.get("folded_figures", []))
        figures = list(Figure.objects.select_for_update().filter(pk__in=folded, appearance__claim=survivor))
        back_to = set(Appearance.objects.filter(pk__in=folded.values(), claim=merged).values_list("pk", flat=True))
        figures = [figure for figure in figures if folded[figure.pk] in back_to]
        measure_ids = set(
            Figure.objects.filter(appearance__claim_id__in=[merged.pk, survivor.pk]).values_list(
                "measure_id", flat=True
            )
        )
        for appearance in appearances:
            appearance.claim_id = merged.pk
        _move(appearances, Appearance, ["claim"], by=by, reason=reason, now=now)
        for figure in figures:
            figure.appearance_id = folded[figure.pk]
        _move(figures, Figure, ["appearance"], by=by, reason=reason, now=now)
        for verdict in verdicts:
            verdict.claim_id = merged.pk
            verdict.version += 1
        _move(verdicts, Verdict, ["claim", "version"], by=by, reason=reason, now=now)
        survivor.topics.remove(*moved.get("topics", []))
        Tip.objects.filter(pk__in=moved.get("tips", []), claim=survivor).update(claim=merged)
        TipSubscription.objects.filter(pk__in=moved.get("tip_subscriptions", []), claim=survivor).update(claim=merged)
        if moved.get("demand"):
            Claim.objects.filter(pk=survivor.pk).update(demand=Greatest(F("demand") - moved["demand"], 0))

        moved_back = {verdict.pk for verdict in verdicts}
        if survivor.published_verdict_id in moved_back:
            survivor.status, survivor.published_verdict_id = (
                record.survivor_status,
                record.survivor_published_verdict_id,
            )
        elif survivor.status == moved.get("survivor_status_after") != record.survivor_status:
            survivor.status = record.survivor_status  # only the merge had moved it on
        _save_claim(
            survivor,
            by=by,
            reason=f"Claim {merged.pk} ({merged.slug}) split off again",
            fields=["status", "published_verdict"],
        )
        merged.status = record.merged_status
        merged.published_verdict_id = (
            record.merged_published_verdict_id if record.merged_published_verdict_id in moved_back else None
        )
        _save_claim(
            merged,
            by=by,
            reason=f"Split from claim {survivor.pk} ({survivor.slug})",
            fields=["status", "published_verdict"],
        )
        record.split_at, record.split_by = now, by
        record._history_user = by
        record._change_reason = "Split"
        record.save(update_fields=["split_at", "split_by"])
        refresh_measures(measure_ids=measure_ids)
    pages_changed()
    return record
