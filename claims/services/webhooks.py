"""Webhook subscriptions: a user (usually a program with a token) subscribes a URL and a secret to
events. Deliveries themselves are claims/intake/webhooks.py's."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from claims.intake.models import STAFF_EVENTS, WebhookEvent, WebhookSubscription
from claims.services.base import NotAllowed, _full_clean

SECRET_MIN_LENGTH = 16


def _clean_url(url: str) -> str:
    from claims.intake.fetch import UnsafeURL, check_url

    url = (url or "").strip()
    if not url:
        raise ValidationError({"url": _("A URL is required.")})
    try:
        check_url(url)
    except UnsafeURL as error:
        raise ValidationError({"url": str(error)}) from None
    return url


def _clean_events(events: Iterable[str], owner) -> list[str]:
    events = list(dict.fromkeys(events or ()))
    if not events:
        raise ValidationError({"events": _("Subscribe to at least one event.")})
    unknown = [event for event in events if event not in WebhookEvent.values]
    if unknown:
        raise ValidationError(
            {
                "events": _("Unknown events: %(unknown)s. Known: %(known)s.")
                % {"unknown": ", ".join(unknown), "known": ", ".join(WebhookEvent.values)}
            }
        )
    staff_only = [event for event in events if event in STAFF_EVENTS]
    if staff_only and not owner.is_staff:
        raise ValidationError(
            {"events": _("Only staff may subscribe to %(events)s.") % {"events": ", ".join(staff_only)}}
        )
    return events


def _clean_secret(secret: str) -> str:
    if not isinstance(secret, str) or len(secret) < SECRET_MIN_LENGTH:
        raise ValidationError(
            {"secret": _("The secret must have at least %(count)d characters.") % {"count": SECRET_MIN_LENGTH}}
        )
    return secret


@transaction.atomic
def subscribe(*, owner, url: str, secret: str, events: Iterable[str]) -> WebhookSubscription:
    if owner is None or not owner.is_authenticated:
        raise NotAllowed(_("Sign in (or use an API token) to subscribe a webhook."))
    subscription = WebhookSubscription(
        owner=owner, url=_clean_url(url), secret=_clean_secret(secret), events=_clean_events(events, owner)
    )
    _full_clean(subscription)
    subscription.save()
    return subscription


@transaction.atomic
def update_subscription(*, subscription: WebhookSubscription, by, **changes) -> WebhookSubscription:
    """Change the URL, secret, events or `is_active`; re-activating a disabled subscription
    starts its failure count again."""
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.owner_id != by.pk:
        raise NotAllowed(_("This webhook belongs to someone else."))
    unknown = set(changes) - {"url", "secret", "events", "is_active"}
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in sorted(unknown)})
    if "url" in changes:
        subscription.url = _clean_url(changes["url"])
    if "secret" in changes:
        subscription.secret = _clean_secret(changes["secret"])
    if "events" in changes:
        subscription.events = _clean_events(changes["events"], subscription.owner)
    if "is_active" in changes:
        active = bool(changes["is_active"])
        if active and not subscription.is_active:
            subscription.consecutive_failures = 0
            subscription.disabled_at = None
            subscription.disabled_reason = ""
        subscription.is_active = active
    _full_clean(subscription)
    subscription.save()
    return subscription


@transaction.atomic
def delete_subscription(*, subscription: WebhookSubscription, by) -> None:
    if subscription.owner_id != by.pk:
        raise NotAllowed(_("This webhook belongs to someone else."))
    subscription.delete()
