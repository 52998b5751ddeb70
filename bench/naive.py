"""What most projects ship: a DRF ModelSerializer with nested serializers, no prefetching, page
numbers with COUNT(*). Used only as a comparison in the benchmarks; never mounted by the app."""

from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny

from claims.models import Claim, Figure, RatingLevel, Source, Topic, Verdict


class NaiveSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "slug", "name", "kind"]


class NaiveRatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = RatingLevel
        fields = ["slug", "label", "ordinal", "colour"]


class NaiveTopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name"]


class NaiveVerdictSerializer(serializers.ModelSerializer):
    rating = NaiveRatingSerializer()

    class Meta:
        model = Verdict
        fields = ["summary", "published_at", "rating"]


class NaiveClaimSerializer(serializers.ModelSerializer):
    claimant = NaiveSourceSerializer()
    published_verdict = NaiveVerdictSerializer()
    topics = NaiveTopicSerializer(many=True)
    appearances_count = serializers.SerializerMethodField()
    figures_count = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = ["id", "slug", "text", "status", "first_seen", "claimant", "published_verdict", "topics"]
        fields += ["appearances_count", "figures_count"]

    def get_appearances_count(self, claim) -> int:
        return claim.appearances.count()

    def get_figures_count(self, claim) -> int:
        return Figure.objects.filter(appearance__claim=claim).count()


class NaivePagination(PageNumberPagination):
    page_size = 50


class NaiveClaimList(generics.ListAPIView):
    serializer_class = NaiveClaimSerializer
    pagination_class = NaivePagination
    permission_classes = [AllowAny]
    throttle_classes = []

    def get_queryset(self):
        return Claim.objects.visible_to(self.request.user).order_by("-first_seen", "-id")
