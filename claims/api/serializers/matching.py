"""The match endpoint's query and answer shapes (GET /api/v1/claims/match/)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from claims.matching.language import normalise_language
from claims.matching.ranking import CLASS_LABELS, CLASSES


class MatchQuerySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000, help_text="The claim to look for, in any language")
    language = serializers.CharField(
        max_length=12, required=False, allow_blank=True, help_text="BCP-47 tag of `text`; detected when omitted"
    )
    limit = serializers.IntegerField(min_value=1, max_value=50, required=False, default=10)

    def validate_language(self, value):
        try:
            return normalise_language(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict["language"]) from error


class MatchedClaimSerializer(serializers.Serializer):
    url = serializers.URLField()
    slug = serializers.SlugField()
    text = serializers.CharField()
    language = serializers.CharField()
    status = serializers.CharField()


class MatchSerializer(serializers.Serializer):
    claim = MatchedClaimSerializer()
    score = serializers.FloatField(help_text="Reciprocal-rank fusion of the lexical and semantic ranks, 0..1")
    similarity = serializers.FloatField(allow_null=True, help_text="Cosine similarity of the sentence embeddings")
    match_class = serializers.ChoiceField(
        choices=[(name, CLASS_LABELS[name]) for name in CLASSES], help_text="See `label`"
    )
    label = serializers.CharField()
    reason = serializers.CharField()
    lexical_rank = serializers.IntegerField(allow_null=True)
    semantic_rank = serializers.IntegerField(allow_null=True)


class MatchResponseSerializer(serializers.Serializer):
    text = serializers.CharField()
    language = serializers.CharField(help_text="The language of `text`: as given, or detected")
    results = MatchSerializer(many=True)
