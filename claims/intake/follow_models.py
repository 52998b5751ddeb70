"""Followed fact-checkers: sources polled in the background (models of the `claims` app, imported
by claims/models.py). Polling lives in claims/intake/follow.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowKind(models.TextChoices):
    DATAFEED = "datafeed", _("ClaimReview DataFeed")
    PAGES = "pages", _("Sitemap or page with ClaimReview JSON-LD")
    RSS = "rss", _("RSS/Atom feed of articles")


class FollowedSource(models.Model):
    url = models.URLField(max_length=1000, unique=True)
    kind = models.CharField(max_length=20, choices=FollowKind.choices, default=FollowKind.DATAFEED)
    poll_interval_seconds = models.PositiveIntegerField(default=3600)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    failures = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=1000, blank=True)
    items_found = models.PositiveIntegerField(default=0)
    items_new = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)
    # An RSS source's articles become claims for review, which only a reviewer may create: they are
    # recorded as the work of the editor or reviewer who followed the feed.
    followed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url"]

    def __str__(self) -> str:
        return self.url


class FollowedEntry(models.Model):
    """An entry of a followed RSS/Atom feed already taken in (by its guid, else its link), so a
    changed feed that still lists it does not fetch and ingest its article again."""

    source = models.ForeignKey(FollowedSource, on_delete=models.CASCADE, related_name="entries")
    key = models.CharField(max_length=1000)
    seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="followed_entry_once_per_source"),
        ]

    def __str__(self) -> str:
        return self.key
