"""What a merge of duplicate claims moved, kept so that a mistaken merge can be split again.

Imported by claims/models.py so that Django finds the model in the `claims` app. The merge and
the split themselves are claims/services/merging.py's.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from claims.querysets import MergeRecordQuerySet


class MergeRecord(models.Model):
    """One claim folded into another by an editor: who, when, and every row that moved (ids), with
    both claims' workflow state before, so `split_merge` can put each back where it was."""

    merged = models.ForeignKey("claims.Claim", on_delete=models.PROTECT, related_name="merges_out")
    survivor = models.ForeignKey("claims.Claim", on_delete=models.PROTECT, related_name="merges_in")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True, help_text="Why the claims are the same (kept in history)")
    # Whether readers could see the merged claim: its URL then redirects publicly and the record
    # feed announces the merge.
    was_public = models.BooleanField(default=False)
    # Ids of what moved: {"appearances": [...], "folded_figures": [[figure, from_appearance], ...],
    # "verdicts": [...], "topics": [...], "tips": [...], "tip_subscriptions": [...], "demand": n}.
    moved = models.JSONField(default=dict)
    merged_status = models.CharField(max_length=20)
    merged_published_verdict_id = models.IntegerField(null=True, blank=True)
    survivor_status = models.CharField(max_length=20)
    survivor_published_verdict_id = models.IntegerField(null=True, blank=True)
    split_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    split_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = MergeRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at", "-id"]
        indexes = [
            models.Index(fields=["survivor", "-merged_at"], name="merge_survivor_idx"),
            # The record feed's merged entries, newest first.
            models.Index(fields=["-merged_at", "-id"], name="merge_at_idx", condition=Q(was_public=True)),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(merged=F("survivor")), name="merge_not_into_itself"),
            # A claim is folded into one survivor at a time; once split it may be merged again.
            models.UniqueConstraint(fields=["merged"], condition=Q(split_at__isnull=True), name="merge_one_active"),
        ]

    def __str__(self):
        return f"claim {self.merged_id} merged into {self.survivor_id}"

    @property
    def is_active(self) -> bool:
        return self.split_at is None
