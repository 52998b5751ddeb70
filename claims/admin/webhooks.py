"""Webhook subscriptions and their delivery log, for editors: read-only (subscriptions are the
API's, through claims/services/webhooks.py); the secret is never shown."""

from __future__ import annotations

from django.contrib import admin

from claims import services
from claims.intake.models import WebhookDelivery, WebhookSubscription
from claims.paginators import EstimatedCountPaginator


class _EditorsReadOnly(admin.ModelAdmin):
    list_per_page = 50
    show_facets = admin.ShowFacets.NEVER

    def has_module_permission(self, request):
        return services.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return services.is_editor(request.user)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(_EditorsReadOnly):
    list_display = ["url", "owner", "events", "is_active", "consecutive_failures", "disabled_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "owner__username"]
    list_select_related = ["owner"]
    fields = [
        "owner",
        "url",
        "events",
        "is_active",
        "consecutive_failures",
        "disabled_at",
        "disabled_reason",
        "created_at",
    ]
    readonly_fields = fields


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(_EditorsReadOnly):
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_display = ["id", "event", "subscription", "status", "attempts", "last_status_code", "last_error", "created_at"]
    list_filter = ["status", "event"]
    list_select_related = ["subscription"]
    fields = [
        "subscription",
        "event",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "created_at",
        "last_attempt_at",
        "delivered_at",
        "payload",
    ]
    readonly_fields = fields
