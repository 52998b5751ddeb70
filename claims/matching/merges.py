"""Reads about merged claims: where a merged claim lives now (the redirects of its page and API
URL), what a merge would move (the admin's confirmation page), and the merges readers may learn
of. The merge itself is claims/services/merging.py's."""

from __future__ import annotations

from dataclasses import dataclass, field

from claims.choices import ClaimStatus, VerdictStatus
from claims.models import Appearance, Claim, Figure, MergeRecord, Tip, Verdict

# A chain longer than this is a loop nobody could have made through merge_claims; stop there.
MAX_CHAIN = 32


def final_survivor_id(claim_id: int, *, records=None) -> int:
    """The claim a claim now lives in: itself, or the end of the chain of active merges it was
    folded into (A into B, then B into C: C). One query per link."""
    records = MergeRecord.objects.active() if records is None else records
    seen = {claim_id}
    for _ in range(MAX_CHAIN):
        survivor = records.filter(merged_id=claim_id).values_list("survivor_id", flat=True).first()
        if survivor is None or survivor in seen:
            return claim_id
        seen.add(survivor)
        claim_id = survivor
    return claim_id


def redirect_target(key: str, user, *, by_id: bool = False) -> Claim | None:
    """The claim whose URL a request for `key` (a slug, or with `by_id` also a numeric id) should
    be permanently redirected to, or None (the caller answers 404): a merged claim's survivor at
    the end of its chain, through the merges `user` may see, when `user` may see that claim; with
    `by_id`, a claim asked for by id under its slug URL."""
    claims = Claim.objects.only("pk", "slug", "status")
    found = claims.filter(slug=key).first()  # a slug wins over an id that happens to be spelt alike
    if found is None and by_id and key.isdigit() and int(key) < 2**63:
        found = claims.filter(pk=int(key)).first()
    if found is None:
        return None
    target = found.pk
    if found.status == ClaimStatus.MERGED:
        target = final_survivor_id(found.pk, records=MergeRecord.objects.visible_to(user))
        if target == found.pk:
            return None
    elif found.slug == key:
        return None  # a current claim under its own slug: nothing to redirect (hidden, or a real 404)
    return Claim.objects.visible_to(user).filter(pk=target).only("pk", "slug").first()


def claim_for_key(user, key: str, *, follow_merges: bool = False) -> Claim | None:
    """The current claim `user` may see with this slug, or else this id; with `follow_merges`, a
    merged claim's key stands for its survivor (merging into it means merging there)."""
    key = (key or "").strip()
    if not key:
        return None
    claims = Claim.objects.visible_to(user)
    found = claims.filter(slug=key).first()
    if found is None and key.isdigit() and int(key) < 2**63:
        found = claims.filter(pk=int(key)).first()
    if found is None and follow_merges:
        target = redirect_target(key, user, by_id=True)
        found = claims.filter(pk=target.pk).first() if target is not None else None
    return found


@dataclass
class MergePlan:
    """What `merge_claims` would move, for the editor to confirm."""

    merged: Claim
    survivor: Claim
    appearances: list[Appearance] = field(default_factory=list)
    folded: list[Appearance] = field(default_factory=list)  # same article as one of the survivor's
    figures: int = 0
    verdicts: list[Verdict] = field(default_factory=list)
    topics: list = field(default_factory=list)
    tips: int = 0
    problems: list[str] = field(default_factory=list)


def merge_plan(merged: Claim, into: Claim) -> MergePlan:
    """The rows a merge of `merged` into `into` (followed to its final survivor) would move, and
    the refusals the service would answer, read without locking anything."""
    survivor = Claim.objects.select_related("claimant").get(pk=final_survivor_id(into.pk))
    plan = MergePlan(merged=merged, survivor=survivor)
    survivor_articles = set(Appearance.objects.filter(claim=survivor).values_list("article_id", flat=True))
    for appearance in Appearance.objects.filter(claim=merged).select_related("article").order_by("pk"):
        (plan.folded if appearance.article_id in survivor_articles else plan.appearances).append(appearance)
    plan.figures = Figure.objects.filter(appearance__claim=merged).count()
    plan.verdicts = list(Verdict.objects.filter(claim=merged).select_related("rating", "author").order_by("pk"))
    plan.topics = list(merged.topics.exclude(pk__in=survivor.topics.values("pk")))
    plan.tips = Tip.objects.filter(claim=merged).count()
    if survivor.pk == merged.pk:
        plan.problems.append("A claim cannot be merged into itself.")
    if merged.status == ClaimStatus.MERGED:
        plan.problems.append("This claim is already merged into another one.")
    if any(v.status == VerdictStatus.SUBMITTED for v in plan.verdicts):
        plan.problems.append("It has a verdict under review: publish it or send it back to draft first.")
    if merged.published_verdict_id and survivor.published_verdict_id:
        plan.problems.append("Both claims have a published verdict: withdraw or correct one first.")
    return plan


def merges_of(claim: Claim) -> list[MergeRecord]:
    """The merges into `claim` and out of it, newest first (the admin's claim page)."""
    from django.db.models import Q

    return list(
        MergeRecord.objects.filter(Q(survivor=claim) | Q(merged=claim))
        .select_related("merged", "survivor", "merged_by", "split_by")
        .order_by("-merged_at", "-id")[:50]
    )
