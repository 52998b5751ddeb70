"""Read serializers: brief nested forms (NetBox-style) and the full claim, source, measure shapes.

They only render what the selectors fetched (prefetched and annotated), so they add no queries.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from claims import selectors
from claims.models import Appearance, Article, Claim, Evidence, Figure, Measure, RatingLevel, Source, Topic, Verdict
from claims.querysets import can_see_unpublished
from claims.services import row_version


def _staff(context) -> bool:
    request = context.get("request")
    return bool(request is not None and can_see_unpublished(request.user))


class RatingLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = RatingLevel
        fields = ["slug", "label", "ordinal", "truth_weight", "colour", "description"]


class RatingBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = RatingLevel
        fields = ["slug", "label", "ordinal", "colour"]


class TopicSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:topic-detail", lookup_field="slug")

    class Meta:
        model = Topic
        fields = ["url", "slug", "name", "description"]


class TopicBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name"]


class SourceBriefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:source-detail", lookup_field="slug")

    class Meta:
        model = Source
        fields = ["url", "slug", "name", "kind"]


class PublisherSerializer(serializers.ModelSerializer):
    """The organisation that published an imported review: named, with its homepage. Not linked
    to a source page: a publisher is public through its reviews, not as a scored source."""

    class Meta:
        model = Source
        fields = ["name", "homepage"]


class SourceSerializer(serializers.ModelSerializer):
    """A scorecard: the cached credibility estimate with its interval and counts per rating.
    A null score means there is not enough published record to score the source."""

    url = serializers.HyperlinkedIdentityField(view_name="api:source-detail", lookup_field="slug")
    web_url = serializers.SerializerMethodField()
    credibility = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = ["url", "web_url", "id", "slug", "name", "kind", "homepage", "domain", "country", "description"]
        fields += ["credibility"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, source) -> str:
        return self.context["request"].build_absolute_uri(source.get_absolute_url())

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "score": {"type": "number", "nullable": True, "description": "Null: not enough data"},
                "low": {"type": "number", "nullable": True},
                "high": {"type": "number", "nullable": True},
                "rated_claims_count": {"type": "integer"},
                "rating_counts": {"type": "object", "additionalProperties": {"type": "integer"}},
                "computed_at": {"type": "string", "format": "date-time", "nullable": True},
            },
        }
    )
    def get_credibility(self, source) -> dict:
        return {
            "score": source.credibility_score,
            "low": source.credibility_low,
            "high": source.credibility_high,
            "rated_claims_count": source.rated_claims_count,
            "rating_counts": source.rating_counts or {},
            "computed_at": source.credibility_computed_at,
        }


class ArticleBriefSerializer(serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")
    outlet = SourceBriefSerializer(allow_null=True)

    class Meta:
        model = Article
        fields = ["api_url", "id", "url", "title", "outlet", "published_on", "kind"]


class ArticleSerializer(ArticleBriefSerializer):
    authors = SourceBriefSerializer(many=True)
    appearances_count = serializers.IntegerField(read_only=True)
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Article
        fields = ArticleBriefSerializer.Meta.fields + [
            "authors",
            "language",
            "parent",
            "archived_url",
            "appearances_count",
        ]


class AppearanceArticleSerializer(ArticleSerializer):
    """Schema documentation only: the article inside an appearance, which carries no count."""

    class Meta(ArticleSerializer.Meta):
        fields = [name for name in ArticleSerializer.Meta.fields if name != "appearances_count"]


class MeasureBriefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:measure-detail", lookup_field="slug")

    class Meta:
        model = Measure
        fields = ["url", "slug", "name", "unit", "conflict_state", "spread"]


class FigureValuesSerializer(serializers.ModelSerializer):
    """A figure's own values, without where it came from."""

    api_url = serializers.HyperlinkedIdentityField(view_name="api:figure-detail")
    version = serializers.SerializerMethodField()

    class Meta:
        model = Figure
        fields = ["api_url", "id", "quoted_text", "low", "high", "qualifier", "unit", "point_in_time", "rank"]
        fields += ["rank_reason", "version"]

    def get_version(self, figure) -> int:
        return row_version(figure)


class ClaimBriefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:claim-detail", lookup_field="slug")

    class Meta:
        model = Claim
        fields = ["url", "slug", "text"]


class FigureSerializer(FigureValuesSerializer):
    """A figure with its source: the claim, the article and who said it."""

    measure = MeasureBriefSerializer()
    claim = ClaimBriefSerializer(source="appearance.claim")
    appearance = serializers.PrimaryKeyRelatedField(read_only=True)
    article = ArticleBriefSerializer(source="appearance.article")
    said_by = serializers.SerializerMethodField()

    class Meta:
        model = Figure
        fields = FigureValuesSerializer.Meta.fields + ["measure", "claim", "appearance", "article", "said_by"]
        fields += ["proposed", "proposal_confidence", "proposal_reason"]

    @extend_schema_field(SourceBriefSerializer(allow_null=True))
    def get_said_by(self, figure):
        """Who said the figure (`Appearance.sayer`)."""
        source = figure.appearance.sayer
        return SourceBriefSerializer(source, context=self.context).data if source else None


class MeasureSerializer(MeasureBriefSerializer):
    figures_count = serializers.IntegerField(read_only=True)
    disputed = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = MeasureBriefSerializer.Meta.fields + [
            "id",
            "description",
            "comparison_window_days",
            "disputed",
            "conflicts",
            "figures_count",
        ]

    def get_disputed(self, measure) -> bool:
        return measure.conflict_state == "disputed"


class MeasureDetailSerializer(MeasureSerializer):
    figures = FigureSerializer(many=True, source="visible_figures")

    class Meta:
        model = Measure
        fields = MeasureSerializer.Meta.fields + ["figures"]


class EvidenceSerializer(serializers.ModelSerializer):
    """Schema documentation only (drf-spectacular): evidence as `claims/api/rows.py`
    (`evidence_item`) produces it, for the evidence endpoints and inside each verdict."""

    api_url = serializers.HyperlinkedIdentityField(view_name="api:evidence-detail")
    version = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["api_url", "id", "verdict", "url", "title", "publisher", "accessed_on", "archived_url", "note"]
        fields += ["version"]

    def get_version(self, evidence) -> int:
        return row_version(evidence)


class VerdictSerializer(serializers.ModelSerializer):
    """Schema documentation only (drf-spectacular): a verdict as `claims/api/rows.py`
    (`verdict_item`) produces it, for the verdict endpoints and in the claim detail's history.
    Authors' and approvers' user names are shown to staff only.

    ``rating`` is our normalised class; an imported review (``is_imported``) also carries its own
    ``original_rating_label``, its ``publisher`` and its ``review_url``: it is that organisation's
    review, not ours."""

    api_url = serializers.HyperlinkedIdentityField(view_name="api:verdict-detail")
    claim = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    rating = RatingBriefSerializer()
    is_imported = serializers.BooleanField(read_only=True)
    publisher = PublisherSerializer(source="organisation", allow_null=True, read_only=True)
    evidence = EvidenceSerializer(many=True)
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    approver = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Verdict
        fields = [
            "api_url",
            "id",
            "claim",
            "status",
            "rating",
            "is_imported",
            "original_rating_label",
            "publisher",
            "review_url",
            "summary",
            "rationale",
            "version",
            "submitted_at",
            "published_at",
            "withdrawn_at",
            "correction_note",
            "withdrawal_reason",
            "supersedes",
            "is_example",
            "author",
            "approver",
            "evidence",
        ]
        read_only_fields = fields


class AppearanceSerializer(serializers.ModelSerializer):
    """Schema documentation only (drf-spectacular): an appearance as `claims/api/rows.py`
    (`appearance_item`) produces it, for the appearance endpoints and in the claim detail."""

    api_url = serializers.HyperlinkedIdentityField(view_name="api:appearance-detail")
    claim = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    article = AppearanceArticleSerializer()
    attributed_to = SourceBriefSerializer(allow_null=True)
    version = serializers.SerializerMethodField()

    class Meta:
        model = Appearance
        fields = ["api_url", "id", "claim", "article", "quote", "voice", "attributed_to", "version"]

    def get_version(self, appearance) -> int:
        return row_version(appearance)


class ClaimSerializer(serializers.ModelSerializer):
    """Schema documentation only (drf-spectacular): a claim in a list — text, claimant, the current
    rating and verdict summary, counts, links. The API's claims are produced by
    `claims/api/rows.py` (`claim_item`); a field added there is described here."""

    url = serializers.HyperlinkedIdentityField(view_name="api:claim-detail", lookup_field="slug")
    claimant = SourceBriefSerializer(allow_null=True)
    rating = RatingBriefSerializer(source="published_verdict.rating", allow_null=True, default=None)
    verdict_summary = serializers.CharField(source="published_verdict.summary", allow_null=True, default=None)
    verdict_published_at = serializers.DateTimeField(
        source="published_verdict.published_at", allow_null=True, default=None
    )
    verdict_label = serializers.CharField(
        source="published_verdict.shown_label",
        allow_null=True,
        default=None,
        help_text="The rating as its publisher wrote it: an imported review's own label, else ours",
    )
    verdict_publisher = serializers.SerializerMethodField(
        help_text="The organisation whose review this is, when imported; null for our own verdicts"
    )
    topics = TopicBriefSerializer(many=True)
    appearances_count = serializers.IntegerField(read_only=True)
    figures_count = serializers.IntegerField(read_only=True)
    version = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "url",
            "id",
            "slug",
            "text",
            "language",
            "claimant",
            "status",
            "rating",
            "verdict_summary",
            "verdict_published_at",
            "verdict_label",
            "verdict_publisher",
            "first_seen",
            "topics",
            "appearances_count",
            "figures_count",
            "version",
            "links",
        ]

    def get_version(self, claim) -> int:
        return row_version(claim)

    def get_verdict_publisher(self, claim) -> str | None:
        verdict = claim.published_verdict
        if verdict is None or not verdict.is_imported or verdict.organisation is None:
            return None
        return verdict.organisation.name

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "web": {"type": "string", "format": "uri"},
                "claimreview": {"type": "string", "format": "uri"},
            },
        }
    )
    def get_links(self, claim) -> dict:
        request = self.context["request"]
        return {
            "web": request.build_absolute_uri(claim.get_absolute_url()),
            "claimreview": reverse("api:claim-claimreview", kwargs={"slug": claim.slug}, request=request),
        }


class MeasureFiguresSerializer(serializers.Serializer):
    """One measure of a claim with the claim's figures about it."""

    measure = MeasureBriefSerializer()
    figures = FigureValuesSerializer(many=True)


class ClaimDetailSerializer(ClaimSerializer):
    """Schema documentation only (drf-spectacular): the claim with its appearances, figures
    grouped by measure, verdict history and evidence, as `rows.claim_detail_item` produces it for
    the detail and for the answers to claim writes."""

    appearances = serializers.SerializerMethodField()
    figures_by_measure = serializers.SerializerMethodField()
    verdicts = VerdictSerializer(many=True, source="visible_verdicts")
    evidence = serializers.SerializerMethodField()
    assigned_to = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Claim
        fields = ClaimSerializer.Meta.fields + [
            "appearances",
            "figures_by_measure",
            "verdicts",
            "evidence",
            "assigned_to",
        ]

    @extend_schema_field(AppearanceSerializer(many=True))
    def get_appearances(self, claim):
        data = []
        for appearance in claim.appearances.all():
            appearance.claim = claim  # avoid a query per appearance for the claim slug
            data.append(appearance)
        return AppearanceSerializer(data, many=True, context=self.context).data

    @extend_schema_field(MeasureFiguresSerializer(many=True))
    def get_figures_by_measure(self, claim):
        groups = [{"measure": m, "figures": figures} for m, figures in selectors.figures_by_measure(claim)]
        return MeasureFiguresSerializer(groups, many=True, context=self.context).data

    @extend_schema_field(EvidenceSerializer(many=True))
    def get_evidence(self, claim):
        """The evidence of the current published verdict (each verdict also lists its own)."""
        current = next((v for v in claim.visible_verdicts if v.pk == claim.published_verdict_id), None)
        return EvidenceSerializer(current.evidence.all() if current else [], many=True, context=self.context).data

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not _staff(self.context):
            data.pop("assigned_to", None)
        return data
