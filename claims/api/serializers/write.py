"""Write serializers: they validate the request shape and field formats; the views then call
claims/services.py, which owns every state change and re-validates against the model.

Related objects are named by slug (claims, sources, topics, measures, rating levels) or id
(articles, appearances, verdicts). An optional `version` is the value the client read; a stale one
is refused (409), as is a stale `If-Match` header (412).
"""

from __future__ import annotations

from rest_framework import serializers

from claims.choices import ArticleKind, Qualifier, Rank, Voice
from claims.models import Appearance, Article, Claim, Measure, RatingLevel, Source, Topic, Verdict

VERSION_HELP = "The version you read; a stale value is refused with 409 and nothing changes."


def _version_field():
    return serializers.IntegerField(required=False, min_value=1, write_only=True, help_text=VERSION_HELP)


class ClaimWriteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    claimant = serializers.SlugRelatedField(
        slug_field="slug", queryset=Source.objects.all(), required=False, allow_null=True
    )
    topics = serializers.SlugRelatedField(slug_field="slug", queryset=Topic.objects.all(), many=True, required=False)
    first_seen = serializers.DateField(required=False, allow_null=True)
    slug = serializers.SlugField(max_length=120, required=False, help_text="Generated from the text when omitted")
    language = serializers.CharField(
        max_length=12, required=False, allow_blank=True, help_text="BCP-47 tag (en, fa, pt-BR); detected when omitted"
    )
    allow_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        write_only=True,
        help_text="Create the claim although existing claims likely say the same (refused with 409 otherwise)",
    )

    def validate_slug(self, value):
        from claims.services.workflow import RESERVED_CLAIM_SLUGS

        if value in RESERVED_CLAIM_SLUGS:
            raise serializers.ValidationError(f"{value!r} is reserved for an API route; choose another slug.")
        if Claim.objects.filter(slug=value).exists():
            raise serializers.ValidationError("A claim with this slug already exists.")
        return value


class ClaimUpdateSerializer(ClaimWriteSerializer):
    slug = None
    allow_duplicate = None
    version = _version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class ArticleWriteSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=1000)
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    outlet = serializers.SlugRelatedField(slug_field="slug", queryset=Source.objects.all(), required=False)
    authors = serializers.SlugRelatedField(slug_field="slug", queryset=Source.objects.all(), many=True, required=False)
    published_on = serializers.DateField(required=False, allow_null=True)
    language = serializers.CharField(max_length=12, required=False)
    kind = serializers.ChoiceField(choices=ArticleKind.choices, required=False)
    parent = serializers.PrimaryKeyRelatedField(queryset=Article.objects.all(), required=False, allow_null=True)
    archived_url = serializers.URLField(max_length=1000, required=False, allow_blank=True)


class ArticleUpdateSerializer(ArticleWriteSerializer):
    """Everything but the URL (an article's identity); a new outlet or authors change whom its
    asserting appearances count for, and their credibility is recomputed."""

    url = None
    version = _version_field()


class AppearanceWriteSerializer(serializers.Serializer):
    claim = serializers.SlugRelatedField(slug_field="slug", queryset=Claim.objects.all())
    article = serializers.PrimaryKeyRelatedField(queryset=Article.objects.all())
    quote = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    voice = serializers.ChoiceField(choices=Voice.choices, required=False)
    attributed_to = serializers.SlugRelatedField(
        slug_field="slug", queryset=Source.objects.all(), required=False, allow_null=True
    )


class AppearanceUpdateSerializer(serializers.Serializer):
    quote = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    voice = serializers.ChoiceField(choices=Voice.choices, required=False)
    attributed_to = serializers.SlugRelatedField(
        slug_field="slug", queryset=Source.objects.all(), required=False, allow_null=True
    )
    version = _version_field()


def _bounds_in_order(attrs, instance=None):
    low = attrs.get("low", getattr(instance, "low", None))
    high = attrs.get("high", getattr(instance, "high", None))
    if low is None and high is None:
        raise serializers.ValidationError({"low": ["A figure needs at least one bound (low or high)."]})
    if low is not None and high is not None and low > high:
        raise serializers.ValidationError({"high": ["The upper bound must not be below the lower bound."]})
    rank = attrs.get("rank", getattr(instance, "rank", Rank.NORMAL))
    reason = attrs.get("rank_reason", getattr(instance, "rank_reason", ""))
    if rank == Rank.DEPRECATED and not reason:
        raise serializers.ValidationError({"rank_reason": ["A deprecated figure needs a reason."]})
    return attrs


class FigureFieldsSerializer(serializers.Serializer):
    measure = serializers.SlugRelatedField(slug_field="slug", queryset=Measure.objects.all())
    quoted_text = serializers.CharField(max_length=200)
    low = serializers.DecimalField(max_digits=24, decimal_places=6, required=False, allow_null=True)
    high = serializers.DecimalField(max_digits=24, decimal_places=6, required=False, allow_null=True)
    qualifier = serializers.ChoiceField(choices=Qualifier.choices, required=False)
    unit = serializers.CharField(max_length=16, required=False, help_text="Defaults to the measure's unit")
    point_in_time = serializers.DateField(required=False, allow_null=True)
    rank = serializers.ChoiceField(choices=Rank.choices, required=False)
    rank_reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class FigureWriteSerializer(FigureFieldsSerializer):
    appearance = serializers.PrimaryKeyRelatedField(queryset=Appearance.objects.all())

    def validate(self, attrs):
        return _bounds_in_order(attrs)


class FigureUpdateSerializer(FigureFieldsSerializer):
    version = _version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def validate(self, attrs):
        return _bounds_in_order(attrs, self.instance)


class EvidenceFieldsSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=1000)
    title = serializers.CharField(max_length=500)
    publisher = serializers.CharField(max_length=200, required=False, allow_blank=True)
    accessed_on = serializers.DateField(required=False, allow_null=True)
    archived_url = serializers.URLField(max_length=1000, required=False, allow_blank=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class EvidenceWriteSerializer(EvidenceFieldsSerializer):
    verdict = serializers.PrimaryKeyRelatedField(queryset=Verdict.objects.all())


class EvidenceUpdateSerializer(EvidenceFieldsSerializer):
    version = _version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class VerdictCreateSerializer(serializers.Serializer):
    claim = serializers.SlugRelatedField(slug_field="slug", queryset=Claim.objects.all())
    rating = serializers.SlugRelatedField(slug_field="slug", queryset=RatingLevel.objects.all())
    summary = serializers.CharField(max_length=280)
    rationale = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    evidence = EvidenceFieldsSerializer(many=True, required=False)


class VerdictUpdateSerializer(serializers.Serializer):
    rating = serializers.SlugRelatedField(slug_field="slug", queryset=RatingLevel.objects.all(), required=False)
    summary = serializers.CharField(max_length=280, required=False)
    rationale = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    version = _version_field()


class VersionOnlySerializer(serializers.Serializer):
    version = _version_field()


class PublishSerializer(VersionOnlySerializer):
    correction_note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, help_text="Required when it replaces a published verdict"
    )


class WithdrawSerializer(VersionOnlySerializer):
    reason = serializers.CharField(max_length=2000, help_text="Public reason, shown with the verdict")


class CorrectSerializer(serializers.Serializer):
    correction_note = serializers.CharField(max_length=2000, help_text="Public note: what changed and why")
    rating = serializers.SlugRelatedField(slug_field="slug", queryset=RatingLevel.objects.all(), required=False)
    summary = serializers.CharField(max_length=280, required=False)
    rationale = serializers.CharField(max_length=20000, required=False, allow_blank=True)
