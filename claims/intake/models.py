"""Webhook subscriptions and their deliveries (models of the `claims` app, imported by
claims/models.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookEvent(models.TextChoices):
    VERDICT_PUBLISHED = "verdict.published", _("Verdict published")
    VERDICT_CORRECTED = "verdict.corrected", _("Verdict corrected")
    VERDICT_WITHDRAWN = "verdict.withdrawn", _("Verdict withdrawn")
    CLAIM_CREATED = "claim.created", _("Claim created (staff only)")
    CLAIM_MERGED = "claim.merged", _("Claim merged into another (public claims)")


# Events about unpublished work: only staff owners may subscribe or receive them.
STAFF_EVENTS = frozenset({WebhookEvent.CLAIM_CREATED})


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed (retries exhausted)")
    CANCELLED = "cancelled", _("Cancelled (subscription disabled)")


class WebhookSubscription(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=1000)
    secret = models.CharField(max_length=200, help_text=_("Shared secret for the HMAC-SHA256 signature."))
    events = ArrayField(models.CharField(max_length=40, choices=WebhookEvent.choices))
    is_active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["owner", "id"], name="webhook_owner_idx")]

    def __str__(self):
        return f"{self.url} ({', '.join(self.events)})"


class WebhookDelivery(models.Model):
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["subscription", "-id"], name="webhook_delivery_sub_idx")]

    def __str__(self):
        return f"{self.event} → {self.subscription.url}: {self.status}"
