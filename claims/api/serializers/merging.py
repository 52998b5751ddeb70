"""The merge endpoint's request and answer shapes (POST /api/v1/claims/<id or slug>/merge/)."""

from __future__ import annotations

from rest_framework import serializers


class ClaimMergeSerializer(serializers.Serializer):
    into = serializers.CharField(
        max_length=120,
        help_text="The surviving claim: its id or slug. A claim that was itself merged is followed to its survivor.",
    )
    note = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why they are the same (kept in history)",
    )


class MergedClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    url = serializers.URLField()


class MovedSerializer(serializers.Serializer):
    appearances = serializers.IntegerField()
    folded_figures = serializers.IntegerField(
        help_text="Figures of appearances in an article the survivor also appears in, moved onto its appearance"
    )
    verdicts = serializers.IntegerField()
    topics = serializers.IntegerField()
    tips = serializers.IntegerField()


class ClaimMergeResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The merge record (an editor can split it again in the admin)")
    merged_at = serializers.DateTimeField()
    merged_by = serializers.CharField()
    claim = MergedClaimSerializer(help_text="The merged claim: its URLs now answer 301 to the survivor")
    into = MergedClaimSerializer(help_text="The surviving claim")
    moved = MovedSerializer()
