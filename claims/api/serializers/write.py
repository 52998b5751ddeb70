"""Write serializers: they validate the request shape and field formats; the views then call
claims/services.py, which owns every state change and re-validates against the model.

Related objects are named by slug (claims, sources, topics, measures, rating levels) or id
(articles, appearances, verdicts). An optional `version` is the value the client read; a stale one
is refused (409), as is a stale `If-Match` header (412).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.fields import empty

from claims.choices import ArticleKind, Qualifier, Rank, Voice
from claims.figures import UNIT_CHOICES, FigureFieldsError, settle_figure_fields
from claims.models import Appearance, Article, Claim, Measure, RatingLevel, Source, Topic, Verdict

UNKNOWN_FIELD = gettext_lazy("Unknown field: this operation does not take it.")


class Serializer(serializers.Serializer):
    """A write serializer that refuses fields it does not take (a misspelt or read-only field
    would otherwise be dropped silently, and the caller believe it was written)."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(name) for name in data if name not in writable)
            if unknown:
                raise serializers.ValidationError({name: [UNKNOWN_FIELD] for name in unknown})
        return super().to_internal_value(data)


class _TextOnly:
    """Text fields take JSON strings only: DRF would turn 123 or 1.5 into "123" or "1.5"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class CharField(_TextOnly, serializers.CharField):
    pass


class SlugField(_TextOnly, serializers.SlugField):
    pass


class URLField(_TextOnly, serializers.URLField):
    pass


class _NoBlankReference:
    """DRF reads "" as null for a related field; here "" is an error and null means none."""

    def run_validation(self, data=empty):
        if data == "":
            self.fail("blank")
        return super().run_validation(data)


class SlugRelatedField(_NoBlankReference, serializers.SlugRelatedField):
    default_error_messages = {"blank": gettext_lazy("Give a slug, or null for none; an empty string is neither.")}


class PrimaryKeyRelatedField(_NoBlankReference, serializers.PrimaryKeyRelatedField):
    default_error_messages = {"blank": gettext_lazy("Give an id, or null for none; an empty string is neither.")}


VERSION_HELP = "The version you read; a stale value is refused with 409 and nothing changes."


def _version_field():
    return serializers.IntegerField(required=False, min_value=1, write_only=True, help_text=VERSION_HELP)


class ClaimWriteSerializer(Serializer):
    text = CharField(max_length=2000)
    claimant = SlugRelatedField(slug_field="slug", queryset=Source.objects.all(), required=False, allow_null=True)
    topics = SlugRelatedField(slug_field="slug", queryset=Topic.objects.all(), many=True, required=False)
    first_seen = serializers.DateField(required=False, allow_null=True)
    slug = SlugField(max_length=120, required=False, help_text="Generated from the text when omitted")
    language = CharField(
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
            raise serializers.ValidationError(
                _("%(slug)r is reserved for an API route; choose another slug.") % {"slug": value}
            )
        if Claim.objects.filter(slug=value).exists():
            raise serializers.ValidationError(_("A claim with this slug already exists."))
        return value


class ClaimUpdateSerializer(ClaimWriteSerializer):
    slug = None
    allow_duplicate = None
    version = _version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class MeasureWriteSerializer(Serializer):
    name = CharField(max_length=200)
    unit = serializers.ChoiceField(choices=UNIT_CHOICES, help_text="Canonical unit code")
    slug = SlugField(max_length=200, required=False, help_text="Generated from the name when omitted")
    description = CharField(max_length=5000, required=False, allow_blank=True)
    comparison_window_days = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=36500)


class ArticleWriteSerializer(Serializer):
    url = URLField(max_length=1000)
    title = CharField(max_length=500, required=False, allow_blank=True)
    outlet = SlugRelatedField(slug_field="slug", queryset=Source.objects.all(), required=False)
    authors = SlugRelatedField(slug_field="slug", queryset=Source.objects.all(), many=True, required=False)
    published_on = serializers.DateField(required=False, allow_null=True)
    language = CharField(max_length=12, required=False)
    kind = serializers.ChoiceField(choices=ArticleKind.choices, required=False)
    parent = PrimaryKeyRelatedField(queryset=Article.objects.all(), required=False, allow_null=True)
    archived_url = URLField(max_length=1000, required=False, allow_blank=True)


class ArticleUpdateSerializer(ArticleWriteSerializer):
    """Everything but the URL (an article's identity); a new outlet or authors change whom its
    asserting appearances count for, and their credibility is recomputed."""

    url = None
    version = _version_field()


class AppearanceWriteSerializer(Serializer):
    claim = SlugRelatedField(slug_field="slug", queryset=Claim.objects.current())
    article = PrimaryKeyRelatedField(queryset=Article.objects.all())
    quote = CharField(max_length=1000, required=False, allow_blank=True)
    voice = serializers.ChoiceField(choices=Voice.choices, required=False)
    attributed_to = SlugRelatedField(slug_field="slug", queryset=Source.objects.all(), required=False, allow_null=True)


class AppearanceUpdateSerializer(Serializer):
    quote = CharField(max_length=1000, required=False, allow_blank=True)
    voice = serializers.ChoiceField(choices=Voice.choices, required=False)
    attributed_to = SlugRelatedField(slug_field="slug", queryset=Source.objects.all(), required=False, allow_null=True)
    version = _version_field()


def _bounds_in_order(attrs, instance=None):
    """Bounds read from the quoted text when none are sent ("about 10.4 million"), and a qualifier
    that agrees with them: the services' rule (`figures.settle_figure_fields`), answered as a 400."""
    measure = attrs.get("measure") or getattr(instance, "measure", None)
    current = {name: attrs.get(name, getattr(instance, name, None)) for name in ("low", "high", "qualifier", "unit")}
    try:
        fields = settle_figure_fields(
            quoted_text=attrs.get("quoted_text", getattr(instance, "quoted_text", "")),
            measure_unit=measure.unit if measure is not None else "count",
            **current,
        )
    except FigureFieldsError as error:
        raise serializers.ValidationError({name: [message] for name, message in error.errors.items()}) from None
    for name in current:
        if getattr(fields, name) != current[name]:
            attrs[name] = getattr(fields, name)
    rank = attrs.get("rank", getattr(instance, "rank", Rank.NORMAL))
    reason = attrs.get("rank_reason", getattr(instance, "rank_reason", ""))
    if rank == Rank.DEPRECATED and not reason:
        raise serializers.ValidationError({"rank_reason": [_("A deprecated figure needs a reason.")]})
    return attrs


class FigureFieldsSerializer(Serializer):
    measure = SlugRelatedField(slug_field="slug", queryset=Measure.objects.all())
    quoted_text = CharField(max_length=200)
    low = serializers.DecimalField(max_digits=24, decimal_places=6, required=False, allow_null=True)
    high = serializers.DecimalField(max_digits=24, decimal_places=6, required=False, allow_null=True)
    qualifier = serializers.ChoiceField(choices=Qualifier.choices, required=False)
    unit = CharField(max_length=16, required=False, help_text="Defaults to the measure's unit")
    point_in_time = serializers.DateField(required=False, allow_null=True)
    rank = serializers.ChoiceField(choices=Rank.choices, required=False)
    rank_reason = CharField(max_length=300, required=False, allow_blank=True)


class FigureWriteSerializer(FigureFieldsSerializer):
    appearance = PrimaryKeyRelatedField(queryset=Appearance.objects.all())

    def validate(self, attrs):
        return _bounds_in_order(attrs)


class FigureUpdateSerializer(FigureFieldsSerializer):
    proposed = serializers.BooleanField(
        required=False, help_text="false confirms a measure that ingestion proposed (so does a new `measure`)"
    )
    version = _version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def validate(self, attrs):
        return _bounds_in_order(attrs, self.instance)


class EvidenceFieldsSerializer(Serializer):
    url = URLField(max_length=1000)
    title = CharField(max_length=500)
    publisher = CharField(max_length=200, required=False, allow_blank=True)
    accessed_on = serializers.DateField(required=False, allow_null=True)
    archived_url = URLField(max_length=1000, required=False, allow_blank=True)
    note = CharField(max_length=2000, required=False, allow_blank=True)


class EvidenceWriteSerializer(EvidenceFieldsSerializer):
    verdict = PrimaryKeyRelatedField(queryset=Verdict.objects.all())


class EvidenceUpdateSerializer(EvidenceFieldsSerializer):
    version = _version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class VerdictCreateSerializer(Serializer):
    claim = SlugRelatedField(slug_field="slug", queryset=Claim.objects.current())
    rating = SlugRelatedField(slug_field="slug", queryset=RatingLevel.objects.all())
    summary = CharField(max_length=280)
    rationale = CharField(max_length=20000, required=False, allow_blank=True)
    evidence = EvidenceFieldsSerializer(many=True, required=False)


class VerdictUpdateSerializer(Serializer):
    rating = SlugRelatedField(slug_field="slug", queryset=RatingLevel.objects.all(), required=False)
    summary = CharField(max_length=280, required=False)
    rationale = CharField(max_length=20000, required=False, allow_blank=True)
    version = _version_field()


class VersionOnlySerializer(Serializer):
    version = _version_field()


class PublishSerializer(VersionOnlySerializer):
    correction_note = CharField(
        max_length=2000, required=False, allow_blank=True, help_text="Required when it replaces a published verdict"
    )


class WithdrawSerializer(VersionOnlySerializer):
    reason = CharField(max_length=2000, help_text="Public reason, shown with the verdict")


class CorrectSerializer(Serializer):
    correction_note = CharField(max_length=2000, help_text="Public note: what changed and why")
    rating = SlugRelatedField(slug_field="slug", queryset=RatingLevel.objects.all(), required=False)
    summary = CharField(max_length=280, required=False)
    rationale = CharField(max_length=20000, required=False, allow_blank=True)
