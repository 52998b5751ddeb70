"""/api/v1/webhooks/: the signed-in user's (or token's) webhook subscriptions, and their deliveries."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from claims import services
from claims.api.pagination import StandardPageNumberPagination
from claims.api.serializers.write import CharField, Serializer
from claims.intake.models import WebhookDelivery, WebhookEvent, WebhookSubscription


class WebhookSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "url",
            "events",
            "is_active",
            "consecutive_failures",
            "disabled_at",
            "disabled_reason",
            "created_at",
        ]
        read_only_fields = fields


class WebhookWriteSerializer(Serializer):
    url = CharField(max_length=1000)
    secret = CharField(max_length=200, write_only=True, trim_whitespace=False)
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.choices), allow_empty=False)
    is_active = serializers.BooleanField(required=False)


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "status",
            "attempts",
            "last_status_code",
            "last_error",
            "created_at",
            "last_attempt_at",
            "delivered_at",
        ]
        read_only_fields = fields


class WebhookViewSet(viewsets.GenericViewSet):
    """Subscribe a URL and a secret to events. Each delivery is a JSON POST signed with
    HMAC-SHA256 over `<X-Factcheck-Timestamp>.<body>` (`X-Factcheck-Signature: sha256=<hex>`)."""

    permission_classes = [IsAuthenticated]
    serializer_class = WebhookSerializer
    pagination_class = StandardPageNumberPagination
    filter_backends: list = []

    queryset = WebhookSubscription.objects.none()  # the model, for the schema

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return WebhookSubscription.objects.none()
        return WebhookSubscription.objects.filter(owner=self.request.user).order_by("id")

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(WebhookSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(WebhookSerializer(self.get_object()).data)

    @extend_schema(request=WebhookWriteSerializer, responses={201: WebhookSerializer})
    def create(self, request):
        data = WebhookWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("is_active", None)
        subscription = services.webhooks.subscribe(owner=request.user, **values)
        return Response(WebhookSerializer(subscription).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WebhookWriteSerializer, responses={200: WebhookSerializer})
    def partial_update(self, request, pk=None):
        data = WebhookWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        subscription = services.webhooks.update_subscription(
            subscription=self.get_object(), by=request.user, **data.validated_data
        )
        return Response(WebhookSerializer(subscription).data)

    def destroy(self, request, pk=None):
        services.webhooks.delete_subscription(subscription=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: WebhookDeliverySerializer(many=True)})
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        subscription = self.get_object()
        page = self.paginate_queryset(subscription.deliveries.order_by("-id"))
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)
