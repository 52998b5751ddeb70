"""Followed fact-checkers, for editors: what each poll found. Sources are added with
`manage.py follow`; an editor may pause one (active) or change its interval."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext

from claims import services
from claims.admin.webhooks import _EditorsReadOnly
from claims.intake.follow import MIN_POLL_INTERVAL_SECONDS
from claims.intake.follow_models import FollowedSource


class FollowedSourceForm(forms.ModelForm):
    class Meta:
        model = FollowedSource
        fields = ["active", "poll_interval_seconds"]

    def clean_poll_interval_seconds(self):
        value = self.cleaned_data["poll_interval_seconds"]
        if value < MIN_POLL_INTERVAL_SECONDS:
            raise forms.ValidationError(
                gettext("At least %(seconds)d seconds.") % {"seconds": MIN_POLL_INTERVAL_SECONDS}
            )
        return value


@admin.register(FollowedSource)
class FollowedSourceAdmin(_EditorsReadOnly):
    form = FollowedSourceForm
    list_display = ["url", "kind", "active", "last_polled_at", "items_found", "items_new", "failures", "last_error"]
    list_filter = ["kind", "active"]
    search_fields = ["url"]
    fields = [
        "url",
        "kind",
        "active",
        "poll_interval_seconds",
        "followed_by",
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
