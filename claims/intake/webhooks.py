"""Webhooks: events enqueued by the services inside their transaction, one delivery per matching
subscription, each POSTed by a job worker through the SSRF-safe fetcher, signed, retried with
exponential backoff, logged, and the subscription disabled after repeated failures.

Signature: ``X-Factcheck-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`` with
the Unix time in ``X-Factcheck-Timestamp``; a receiver recomputes it over the raw body and
rejects old timestamps (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time

import orjson
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims.intake.models import (
    STAFF_EVENTS,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Factcheck-Signature"
TIMESTAMP_HEADER = "X-Factcheck-Timestamp"
EVENT_HEADER = "X-Factcheck-Event"
DELIVERY_HEADER = "X-Factcheck-Delivery"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver does (used by the tests, documented for subscribers)."""
    try:
        expected = sign(secret, int(timestamp), body)
    except ValueError:
        return False
    return hmac.compare_digest(expected, signature)


# --- Enqueueing (called by claims/services inside their transaction) --------------------------


def _subscriptions(event: str):
    subscriptions = WebhookSubscription.objects.filter(is_active=True, events__contains=[event])
    if event in STAFF_EVENTS:
        return subscriptions.filter(owner__is_staff=True, owner__is_active=True)
    return subscriptions.filter(owner__is_active=True)


def enqueue(event: str, payload_builder) -> int | None:
    """Defer the fan-out of `event` on the caller's connection: nothing is sent for a write that
    rolls back. The payload is a snapshot taken now, in the transaction, but only when someone
    subscribes (one query otherwise). One job whatever the number of subscribers: the worker
    writes the deliveries, so a publication with thousands of subscribers costs no more."""
    from claims.intake import jobs

    if not _subscriptions(event).exists():
        return None
    payload = {"event": event, "created": timezone.now().isoformat(), **payload_builder()}
    return jobs.defer(jobs.fan_out_webhook_event, event=event, payload=payload)


def fan_out(event: str, payload: dict) -> list[int]:
    """(Worker) one delivery row and one delivery job per subscription active now."""
    from claims.intake import jobs

    with transaction.atomic():
        deliveries = WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(subscription_id=pk, event=event, payload=payload)
                for pk in _subscriptions(event).values_list("pk", flat=True)
            ]
        )
        jobs.batch_defer(jobs.deliver_webhook, [{"delivery_id": d.pk} for d in deliveries])
    return [d.pk for d in deliveries]


def _claim_part(claim) -> dict:
    return {"id": claim.pk, "slug": claim.slug, "text": claim.text, "status": claim.status, "url": _site(claim)}


def _site(claim) -> str:
    return settings.FACTCHECK_SITE_URL.rstrip("/") + claim.get_absolute_url()


def verdict_changed(event: WebhookEvent, *, verdict, claim) -> list[int]:
    """A verdict was published, corrected (published over a previous one) or withdrawn."""
    from claims.selectors import claimreview_of_verdict

    if verdict.is_example and not settings.FACTCHECK_EXPORT_EXAMPLE_REVIEWS:
        return []  # demo verdicts never leave a production site

    def payload():
        data = {
            "claim": _claim_part(claim),
            "verdict": {
                "id": verdict.pk,
                "status": verdict.status,
                "rating": verdict.rating.slug,
                "summary": verdict.summary,
                "published_at": verdict.published_at.isoformat() if verdict.published_at else None,
                "correction_note": verdict.correction_note,
            },
            "claimreview": claimreview_of_verdict(verdict, claim),
        }
        if event == WebhookEvent.VERDICT_CORRECTED:
            data["verdict"]["supersedes"] = verdict.supersedes_id
        if event == WebhookEvent.VERDICT_WITHDRAWN:
            data["verdict"]["withdrawal_reason"] = verdict.withdrawal_reason
            data["verdict"]["withdrawn_at"] = verdict.withdrawn_at.isoformat() if verdict.withdrawn_at else None
        return data

    return enqueue(event, payload)


def claim_created(claim) -> list[int]:
    return enqueue(WebhookEvent.CLAIM_CREATED, lambda: {"claim": _claim_part(claim)})


def claim_merged(*, merged, survivor, merge_id: int, merged_at) -> list[int]:
    """A claim readers could see was merged into another: its URL now redirects to the survivor's
    (the survivor is public too: it took the merged claim's verdict or had its own)."""

    def payload():
        return {
            "merge": {"id": merge_id, "merged_at": merged_at.isoformat()},
            "claim": _claim_part(merged),
            "into": _claim_part(survivor),
        }

    return enqueue(WebhookEvent.CLAIM_MERGED, payload)


# --- Delivering (run by the worker) -----------------------------------------------------------


class DeliveryFailed(Exception):
    """This attempt failed; the engine retries it (exponential backoff) while attempts remain."""


def deliver(delivery_id: int, *, attempt: int) -> str:
    """One attempt (`attempt` counts from 1). Returns the delivery's status; raises DeliveryFailed
    when the attempt failed and another one should follow."""
    from claims.intake.fetch import FetchError, fetch

    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return delivery.status if delivery else "missing"
    subscription = delivery.subscription
    if not subscription.is_active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.CANCELLED)
        return DeliveryStatus.CANCELLED
    body = orjson.dumps(delivery.payload)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(subscription.secret, timestamp, body),
        TIMESTAMP_HEADER: str(timestamp),
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.pk),
    }
    status_code, error = None, ""
    try:
        response = fetch(
            subscription.url,
            method="POST",
            body=body,
            headers=headers,
            max_bytes=64 * 1024,
            timeout=settings.FACTCHECK_WEBHOOK_TIMEOUT_SECONDS,
        )
        status_code = response.status
        if not response.ok:
            error = f"HTTP {response.status}: {response.body[:200].decode('utf-8', 'replace')}"
    except FetchError as failure:
        error = str(failure)
    except Exception as failure:  # network errors of every kind: logged on the delivery, retried
        error = f"{type(failure).__name__}: {failure}"
    now = timezone.now()
    with transaction.atomic():
        subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
        delivery.attempts = attempt
        delivery.last_attempt_at = now
        delivery.last_status_code = status_code
        delivery.last_error = error[:2000]
        if not error:
            delivery.status = DeliveryStatus.SUCCEEDED
            delivery.delivered_at = now
            subscription.consecutive_failures = 0
        else:
            subscription.consecutive_failures += 1
            if subscription.consecutive_failures >= settings.FACTCHECK_WEBHOOK_MAX_FAILURES:
                subscription.is_active = False
                subscription.disabled_at = now
                subscription.disabled_reason = (
                    f"Disabled after {subscription.consecutive_failures} failed deliveries in a row; last: {error}"
                )[:500]
                delivery.status = DeliveryStatus.CANCELLED
                _tell_owner(subscription)
            elif attempt >= settings.FACTCHECK_WEBHOOK_MAX_ATTEMPTS:
                delivery.status = DeliveryStatus.FAILED
        delivery.save()
        subscription.save(update_fields=["consecutive_failures", "is_active", "disabled_at", "disabled_reason"])
    if delivery.status == DeliveryStatus.PENDING:
        raise DeliveryFailed(error)
    return delivery.status


def _tell_owner(subscription: WebhookSubscription) -> None:
    """The owner learns their webhook was disabled (by email when they have an address), through
    the email job, enqueued in the transaction that disables it."""
    from claims.intake import jobs

    owner = subscription.owner
    logger.warning("webhook %s disabled: %s", subscription.pk, subscription.disabled_reason)
    if owner.email:
        jobs.defer(
            jobs.send_tip_email,
            kind="plain",
            to=owner.email,
            subject=subscription_disabled_subject(),
            body=f"Your webhook to {subscription.url} was disabled.\n\n{subscription.disabled_reason}\n\n"
            "Fix the receiver, then set is_active to true through /api/v1/webhooks/ to resume.",
        )


def subscription_disabled_subject() -> str:
    return f"[{settings.FACTCHECK_SITE_NAME}] Webhook disabled"
