"""Verdicts: the public history for everyone, drafts for staff, and the workflow as POST actions.

Every change goes through claims/services.py. Updates and actions take the version the client
read (`version` in the body → 409 when stale, or `If-Match` → 412) and the response carries the
new ETag.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action

from claims import selectors, services
from claims.api import rows
from claims.api.filtersets import VerdictFilterSet
from claims.api.permissions import IsEditor
from claims.api.serializers.read import VerdictSerializer
from claims.api.serializers.write import (
    CorrectSerializer,
    PublishSerializer,
    VerdictCreateSerializer,
    VerdictUpdateSerializer,
    VersionOnlySerializer,
    WithdrawSerializer,
)
from claims.api.views.base import IF_MATCH_PARAMETER, KeysetViewSet, RowShapedMixin, expected_version

ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Field-level validation errors"),
    403: OpenApiResponse(OpenApiTypes.OBJECT, description="Your role does not allow this"),
    409: OpenApiResponse(OpenApiTypes.OBJECT, description="Stale `version`: nothing changed"),
    412: OpenApiResponse(OpenApiTypes.OBJECT, description="Stale `If-Match`: nothing changed"),
}


def _action_schema(summary: str, request, code: int = 200):
    return extend_schema(
        summary=summary, request=request, parameters=[IF_MATCH_PARAMETER], responses={code: VerdictSerializer, **ERRORS}
    )


@extend_schema_view(
    list=extend_schema(summary="List verdicts (readers: published, superseded, withdrawn)"),
    retrieve=extend_schema(summary="A verdict with its evidence"),
)
class VerdictViewSet(RowShapedMixin, KeysetViewSet):
    filterset_class = VerdictFilterSet
    serializer_class = VerdictSerializer  # documents `rows.verdict_item`
    row_values = staticmethod(rows.verdict_values)
    row_item = staticmethod(rows.verdict_item)
    ordering_fields = ["published_at", "id", "created_at"]
    default_keyset_ordering = ("id", True)

    def selector(self, user):
        return selectors.verdict_history(user)

    def get_permissions(self):
        permissions = super().get_permissions()
        if self.action in ("publish", "withdraw", "correct"):
            permissions.append(IsEditor())
        return permissions

    @staticmethod
    def row_etag(row) -> int:
        return row["version"]

    def _validated(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        return data, expected_version(self.request, data.pop("version", None))

    @extend_schema(
        summary="Draft a verdict (reviewers)",
        request=VerdictCreateSerializer,
        responses={201: VerdictSerializer, **ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data, _ = self._validated(VerdictCreateSerializer)
        verdict = services.create_verdict(by=request.user, **data)
        return self._respond(verdict, status.HTTP_201_CREATED)

    @_action_schema("Edit a draft or submitted verdict (reviewers)", VerdictUpdateSerializer)
    def partial_update(self, request, *args, **kwargs):
        verdict = self.get_object()
        changes, version = self._validated(VerdictUpdateSerializer)
        verdict = services.update_verdict(verdict=verdict, by=request.user, expected_version=version, **changes)
        return self._respond(verdict)

    @_action_schema("Submit a draft for publication (reviewers)", VersionOnlySerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        verdict = self.get_object()
        _, version = self._validated(VersionOnlySerializer)
        return self._respond(services.submit_verdict(verdict=verdict, by=request.user, expected_version=version))

    @_action_schema("Publish a submitted verdict (editors; never their own)", PublishSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        verdict = self.get_object()
        data, version = self._validated(PublishSerializer)
        verdict = services.publish_verdict(
            verdict=verdict, by=request.user, expected_version=version, correction_note=data.get("correction_note", "")
        )
        return self._respond(verdict)

    @_action_schema("Withdraw the published verdict with a public reason (editors)", WithdrawSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        verdict = self.get_object()
        data, version = self._validated(WithdrawSerializer)
        verdict = services.withdraw_verdict(
            verdict=verdict, by=request.user, reason=data["reason"], expected_version=version
        )
        return self._respond(verdict)

    @_action_schema(
        "Start a correction: a draft with the public note and a copy of the evidence (editors)", CorrectSerializer, 201
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, *args, **kwargs):
        verdict = self.get_object()
        data, _ = self._validated(CorrectSerializer)
        draft = services.draft_correction(verdict=verdict, by=request.user, **data)
        return self._respond(draft, status.HTTP_201_CREATED)
