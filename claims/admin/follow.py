"""Followed fact-checkers, for editors: what each poll found. Sources are added with
`manage.py follow`; an editor may pause one (active) or change its interval."""

from __future__ import annotations

from django.contrib import admin

from claims import services
from claims.admin.webhooks import _EditorsReadOnly
from claims.intake.follow_models import FollowedSource


@admin.register(FollowedSource)
class FollowedSourceAdmin(_EditorsReadOnly):
    list_display = ["url", "kind", "active", "last_polled_at", "items_found", "items_new", "failures", "last_error"]
    list_filter = ["kind", "active"]
    search_fields = ["url"]
    fields = [
        "url",
        "kind",
        "active",
        "poll_interval_seconds",
        "last_polled_at",
        "next_poll_at",
        "items_found",
        "items_new",
        "failures",
        "last_error",
        "etag",
        "last_modified",
    ]
    readonly_fields = [f for f in fields if f not in ("active", "poll_interval_seconds")]

    def has_change_permission(self, request, obj=None):
        return services.is_editor(request.user)
