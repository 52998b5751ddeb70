"""Sources, articles, measures, figures, appearances, evidence, rating levels and topics."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from claims import selectors, services
from claims.api import filtersets, rows
from claims.api.serializers import read, write
from claims.api.views.base import (
    IF_MATCH_PARAMETER,
    ApiViewSet,
    KeysetViewSet,
    RowShapedMixin,
    etag,
    expected_version,
)
from claims.models import RatingLevel, Topic

WRITE_ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Field-level validation errors"),
    403: OpenApiResponse(OpenApiTypes.OBJECT, description="Only reviewers and editors may write"),
}
UPDATE_ERRORS = {
    **WRITE_ERRORS,
    409: OpenApiResponse(OpenApiTypes.OBJECT, description="Stale `version`: nothing changed"),
    412: OpenApiResponse(OpenApiTypes.OBJECT, description="Stale `If-Match`: nothing changed"),
}


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """A list with page numbers (cheap to count) and a detail."""


class KeysetReadViewSet(mixins.ListModelMixin, KeysetViewSet):
    """A long list with cursors and a detail whose answer carries an ETag."""

    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object())

    def _respond(self, instance, code=status.HTTP_200_OK):
        instance = self.get_queryset().get(pk=instance.pk)
        data = self.get_serializer(instance).data
        return Response(data, status=code, headers={"ETag": etag(services.row_version(instance))})


class CreateThroughService:
    """POST: validate with `create_serializer_class`, then `create_object` calls the service."""

    create_serializer_class = None

    def create(self, request, *args, **kwargs):
        serializer = self.create_serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._respond(self.create_object(dict(serializer.validated_data)), status.HTTP_201_CREATED)


class UpdateThroughService:
    """PATCH: validate with `update_serializer_class`, check the version, `update_object` saves."""

    update_serializer_class = None

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.update_serializer_class(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = expected_version(request, changes.pop("version", None))
        return self._respond(self.update_object(instance, version, changes))


class DeleteThroughService:
    """DELETE: `delete_object` calls the service (reviewers; `If-Match` checked when sent). What
    readers can already see is refused with 409 (claims/guards.py): deprecate or correct it."""

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        self.delete_object(instance, expected_version(request, None))
        return Response(status=status.HTTP_204_NO_CONTENT)


DELETE_ERRORS = {
    403: OpenApiResponse(OpenApiTypes.OBJECT, description="Only reviewers and editors may delete"),
    409: OpenApiResponse(OpenApiTypes.OBJECT, description="Part of the public record (or stale `version`)"),
    412: OpenApiResponse(OpenApiTypes.OBJECT, description="Stale `If-Match`: nothing deleted"),
}


def delete_schema(summary: str):
    return extend_schema(summary=summary, parameters=[IF_MATCH_PARAMETER], responses={204: None, **DELETE_ERRORS})


@extend_schema_view(
    list=extend_schema(summary="List sources with their credibility scorecards"),
    retrieve=extend_schema(summary="A source's scorecard (null score: not enough published record)"),
)
class SourceViewSet(ReadOnlyViewSet):
    lookup_field = "slug"
    serializer_class = read.SourceSerializer
    filterset_class = filtersets.SourceFilterSet
    ordering_fields = ["name", "credibility_score", "rated_claims_count", "id"]
    ordering = ["name", "id"]

    def selector(self, user):
        return selectors.source_list(user)


@extend_schema_view(
    list=extend_schema(summary="List articles"),
    retrieve=extend_schema(summary="An article"),
    create=extend_schema(
        summary="Record an article (reviewers)",
        request=write.ArticleWriteSerializer,
        responses={201: read.ArticleSerializer, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Update an article (reviewers)",
        request=write.ArticleUpdateSerializer,
        parameters=[IF_MATCH_PARAMETER],
        responses={200: read.ArticleSerializer, **UPDATE_ERRORS},
    ),
)
class ArticleViewSet(CreateThroughService, UpdateThroughService, KeysetReadViewSet):
    serializer_class = read.ArticleSerializer
    filterset_class = filtersets.ArticleFilterSet
    ordering_fields = ["published_on", "id"]
    default_keyset_ordering = ("published_on", True)
    create_serializer_class = write.ArticleWriteSerializer
    update_serializer_class = write.ArticleUpdateSerializer

    def selector(self, user):
        return selectors.article_list(user)

    def create_object(self, data):
        return services.create_article(by=self.request.user, **data)

    def update_object(self, instance, version, changes):
        return services.update_article(article=instance, by=self.request.user, expected_version=version, **changes)


@extend_schema_view(
    list=extend_schema(summary="List measures with their conflict state (over public figures)"),
    retrieve=extend_schema(summary="A measure with every figure about it, side by side"),
    create=extend_schema(
        summary="Create a measure (reviewers)",
        request=write.MeasureWriteSerializer,
        responses={201: read.MeasureDetailSerializer, **WRITE_ERRORS},
    ),
)
class MeasureViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    lookup_field = "slug"
    filterset_class = filtersets.MeasureFilterSet
    ordering_fields = ["name", "id", "spread"]
    ordering = ["name", "id"]

    def selector(self, user):
        return selectors.measure_detail(user) if self.action == "retrieve" else selectors.measure_list(user)

    def get_serializer_class(self):
        return read.MeasureDetailSerializer if self.action == "retrieve" else read.MeasureSerializer

    def create(self, request, *args, **kwargs):
        serializer = write.MeasureWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        measure = services.create_measure(by=request.user, **serializer.validated_data)
        measure = selectors.measure_detail(request.user).get(pk=measure.pk)
        data = read.MeasureDetailSerializer(measure, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"ETag": etag(services.row_version(measure))})


@extend_schema_view(
    list=extend_schema(summary="List figures with their source"),
    retrieve=extend_schema(summary="A figure"),
    create=extend_schema(
        summary="Record a figure (reviewers)",
        request=write.FigureWriteSerializer,
        responses={201: read.FigureSerializer, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Update a figure (reviewers)",
        request=write.FigureUpdateSerializer,
        parameters=[IF_MATCH_PARAMETER],
        responses={200: read.FigureSerializer, **UPDATE_ERRORS},
    ),
    destroy=delete_schema("Delete a figure of a claim readers cannot see yet (reviewers)"),
)
class FigureViewSet(CreateThroughService, UpdateThroughService, DeleteThroughService, KeysetReadViewSet):
    serializer_class = read.FigureSerializer
    filterset_class = filtersets.FigureFilterSet
    ordering_fields = ["id", "point_in_time"]
    create_serializer_class = write.FigureWriteSerializer
    update_serializer_class = write.FigureUpdateSerializer

    def selector(self, user):
        # Reviewers see proposals here (flagged `proposed`) to confirm them; readers never do.
        return selectors.figure_list(user, proposals=True)

    def create_object(self, data):
        return services.record_figure(by=self.request.user, **data)

    def update_object(self, instance, version, changes):
        return services.update_figure(figure=instance, by=self.request.user, expected_version=version, **changes)

    def delete_object(self, instance, version):
        services.delete_figure(figure=instance, by=self.request.user, expected_version=version)


@extend_schema_view(
    list=extend_schema(summary="List appearances (a claim in an article)"),
    retrieve=extend_schema(summary="An appearance"),
    create=extend_schema(
        summary="Record that a claim appears in an article (reviewers)",
        request=write.AppearanceWriteSerializer,
        responses={201: read.AppearanceSerializer, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Update an appearance (reviewers)",
        request=write.AppearanceUpdateSerializer,
        parameters=[IF_MATCH_PARAMETER],
        responses={200: read.AppearanceSerializer, **UPDATE_ERRORS},
    ),
    destroy=delete_schema("Delete an appearance, with its figures, of a claim readers cannot see yet (reviewers)"),
)
class AppearanceViewSet(
    RowShapedMixin, CreateThroughService, UpdateThroughService, DeleteThroughService, KeysetReadViewSet
):
    serializer_class = read.AppearanceSerializer  # documents `rows.appearance_item`
    row_values = staticmethod(rows.appearance_values)
    row_item = staticmethod(rows.appearance_item)
    filterset_class = filtersets.AppearanceFilterSet
    ordering_fields = ["id"]
    create_serializer_class = write.AppearanceWriteSerializer
    update_serializer_class = write.AppearanceUpdateSerializer

    def selector(self, user):
        return selectors.appearance_list(user)

    def create_object(self, data):
        return services.add_appearance(by=self.request.user, **data)

    def update_object(self, instance, version, changes):
        return services.update_appearance(
            appearance=instance, by=self.request.user, expected_version=version, **changes
        )

    def delete_object(self, instance, version):
        services.delete_appearance(appearance=instance, by=self.request.user, expected_version=version)


@extend_schema_view(
    list=extend_schema(summary="List evidence (of the verdicts you may see)"),
    retrieve=extend_schema(summary="One piece of evidence"),
    create=extend_schema(
        summary="Add evidence to a draft or submitted verdict (reviewers)",
        request=write.EvidenceWriteSerializer,
        responses={201: read.EvidenceSerializer, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Update evidence of a draft or submitted verdict (reviewers)",
        request=write.EvidenceUpdateSerializer,
        parameters=[IF_MATCH_PARAMETER],
        responses={200: read.EvidenceSerializer, **UPDATE_ERRORS},
    ),
    destroy=delete_schema("Delete evidence of a draft or submitted verdict (reviewers)"),
)
class EvidenceViewSet(
    RowShapedMixin, CreateThroughService, UpdateThroughService, DeleteThroughService, KeysetReadViewSet
):
    serializer_class = read.EvidenceSerializer  # documents `rows.evidence_item`
    row_values = staticmethod(rows.evidence_values)
    row_item = staticmethod(rows.evidence_item)
    filterset_class = filtersets.EvidenceFilterSet
    ordering_fields = ["id"]
    create_serializer_class = write.EvidenceWriteSerializer
    update_serializer_class = write.EvidenceUpdateSerializer

    def selector(self, user):
        return selectors.evidence_list(user)

    def create_object(self, data):
        return services.add_evidence(by=self.request.user, **data)

    def update_object(self, instance, version, changes):
        return services.update_evidence(evidence=instance, by=self.request.user, expected_version=version, **changes)

    def delete_object(self, instance, version):
        services.delete_evidence(evidence=instance, by=self.request.user, expected_version=version)


@extend_schema_view(list=extend_schema(summary="The verdict scale"), retrieve=extend_schema(summary="A rating level"))
class RatingLevelViewSet(ReadOnlyViewSet):
    lookup_field = "slug"
    serializer_class = read.RatingLevelSerializer
    pagination_class = None
    filter_backends = []

    def selector(self, user):
        return RatingLevel.objects.all()


@extend_schema_view(list=extend_schema(summary="List topics"), retrieve=extend_schema(summary="A topic"))
class TopicViewSet(ReadOnlyViewSet):
    lookup_field = "slug"
    serializer_class = read.TopicSerializer
    filterset_class = filtersets.TopicFilterSet
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]

    def selector(self, user):
        return Topic.objects.all()
