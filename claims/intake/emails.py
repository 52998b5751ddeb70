"""Messages to tipsters: one confirmation (double opt-in), then one per verdict change on their claim.

Sent with Django's email framework (SMTP from EMAIL_HOST/EMAIL_PORT/...) after the writing
transaction commits, so a rolled-back write mails nobody and a slow or failing mail server never
holds a row lock or turns a saved publication into an error. A failed send is logged and dropped.

Links carry signed tokens (django.core.signing, keyed by SECRET_KEY): the subscription's id and
what the link is for. Nothing else identifies the tipster, and no address appears in a URL.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

logger = logging.getLogger(__name__)

CONFIRM_SALT = "claims.intake.confirm"
UNSUBSCRIBE_SALT = "claims.intake.unsubscribe"
CONFIRM_MAX_AGE = 14 * 24 * 3600  # an unconfirmed address is never mailed again, so the link may wait

EVENT_SUBJECTS = {
    "published": "Checked: the claim you sent us",
    "corrected": "Corrected: our verdict on the claim you sent us",
    "withdrawn": "Withdrawn: our verdict on the claim you sent us",
}


# --- Tokens ---------------------------------------------------------------------------------


def confirm_token(subscription_id: int) -> str:
    return signing.dumps(subscription_id, salt=CONFIRM_SALT)


def unsubscribe_token(subscription_id: int) -> str:
    return signing.dumps(subscription_id, salt=UNSUBSCRIBE_SALT)


def subscription_for(token: str, *, purpose: str):
    """The subscription a link's token names, or None (forged, expired, already forgotten)."""
    from claims.models import TipSubscription

    salt, max_age = (CONFIRM_SALT, CONFIRM_MAX_AGE) if purpose == "confirm" else (UNSUBSCRIBE_SALT, None)
    try:
        pk = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    if not isinstance(pk, int):
        return None
    return TipSubscription.objects.select_related("claim").filter(pk=pk).first()


def _absolute(path: str) -> str:
    return settings.FACTCHECK_SITE_URL.rstrip("/") + path


def _unsubscribe_url(subscription_id: int) -> str:
    return _absolute(reverse("claims:tip-unsubscribe", kwargs={"token": unsubscribe_token(subscription_id)}))


def _footer(subscription_id: int) -> str:
    return (
        "\n\n--\nYou get this because you sent a tip to "
        f"{settings.FACTCHECK_SITE_NAME} and asked to hear back. Stop these messages and delete "
        f"your address: {_unsubscribe_url(subscription_id)}\n"
    )


def _message(*, to: str, subject: str, body: str, subscription_id: int) -> EmailMessage:
    return EmailMessage(
        subject=subject,
        body=body + _footer(subscription_id),
        to=[to],
        headers={"List-Unsubscribe": f"<{_unsubscribe_url(subscription_id)}>"},
    )


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    try:
        with get_connection() as connection:
            return connection.send_messages(messages)
    except Exception:  # the write is committed; a mail outage must not turn it into an error
        logger.exception("tip line: sending %d message(s) failed", len(messages))
        return 0


# --- Confirmation (double opt-in) -------------------------------------------------------------


def confirmation_requested(subscription_id: int) -> None:
    """Send the one confirmation message once the subscription is committed."""
    transaction.on_commit(lambda: send_confirmation(subscription_id))


def send_confirmation(subscription_id: int) -> int:
    from claims.models import TipSubscription

    subscription = TipSubscription.objects.filter(pk=subscription_id, confirmation_sent_at__isnull=True).first()
    if subscription is None:
        return 0
    link = _absolute(reverse("claims:tip-confirm", kwargs={"token": confirm_token(subscription.pk)}))
    body = (
        f"Thank you for your tip to {settings.FACTCHECK_SITE_NAME}.\n\n"
        "To be told when we publish, correct or withdraw a verdict on it, confirm your address:\n"
        f"{link}\n\nIf you did not send a tip, ignore this message: we will not write again."
    )
    sent = _send(
        [_message(to=subscription.email, subject="Confirm your address", body=body, subscription_id=subscription.pk)]
    )
    if sent:
        TipSubscription.objects.filter(pk=subscription.pk).update(confirmation_sent_at=timezone.now())
    return sent


# --- Verdict changes ------------------------------------------------------------------------


def verdict_changed(*, claim_id: int, verdict_id: int, event: str) -> None:
    """A verdict on the claim was published, corrected or withdrawn: tell its confirmed tipsters
    once the change is committed (one query when nobody asked)."""
    transaction.on_commit(lambda: send_verdict_messages(claim_id=claim_id, verdict_id=verdict_id, event=event))


def send_verdict_messages(*, claim_id: int, verdict_id: int, event: str) -> int:
    from claims.models import TipSubscription, Verdict

    subscriptions = list(
        TipSubscription.objects.filter(claim_id=claim_id, confirmed_at__isnull=False).values_list("pk", "email")
    )
    if not subscriptions:
        return 0
    verdict = Verdict.objects.select_related("claim", "rating").get(pk=verdict_id)
    claim_url = _absolute(verdict.claim.get_absolute_url())
    if event == "withdrawn":
        body = (
            f"We withdrew our verdict on the claim you sent us:\n\n  {verdict.claim.text}\n\n"
            f"Why: {verdict.withdrawal_reason}\n\n{claim_url}"
        )
    else:
        body = (
            f"The claim you sent us:\n\n  {verdict.claim.text}\n\n"
            f"Our verdict: {verdict.shown_label}. {verdict.summary}\n"
        )
        if event == "corrected" and verdict.correction_note:
            body += f"\nWhat changed: {verdict.correction_note}\n"
        body += f"\nRead it: {claim_url}"
    return _send(
        [
            _message(to=email, subject=EVENT_SUBJECTS[event], body=body, subscription_id=pk)
            for pk, email in subscriptions
        ]
    )
