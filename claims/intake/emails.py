"""Messages to tipsters: one confirmation (double opt-in), then one per verdict change on their claim.

Sent by job workers (claims/intake/jobs.py) with Django's email framework (SMTP from
EMAIL_HOST/EMAIL_PORT/...): the jobs are enqueued in the writing transaction, so a rolled-back
write mails nobody, and a slow or failing mail server never holds a row lock or turns a saved
publication into an error. A failed send is retried with backoff; every send re-reads the
subscription, so an address forgotten in the meantime is never mailed.

Each message is written in the language the tipster used when they subscribed (the page's language,
or the API's Accept-Language, stored with the subscription), and its links open the site in that
language.

Links carry signed tokens (django.core.signing, keyed by SECRET_KEY): the subscription's id and
what the link is for. Nothing else identifies the tipster, and no address appears in a URL.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

logger = logging.getLogger(__name__)

CONFIRM_SALT = "claims.intake.confirm"
UNSUBSCRIBE_SALT = "claims.intake.unsubscribe"
CONFIRM_MAX_AGE = 14 * 24 * 3600  # an unconfirmed address is never mailed again, so the link may wait

EVENT_SUBJECTS = {
    "published": gettext_lazy("Checked: the claim you sent us"),
    "corrected": gettext_lazy("Corrected: our verdict on the claim you sent us"),
    "withdrawn": gettext_lazy("Withdrawn: our verdict on the claim you sent us"),
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


def in_language_of(subscription):
    """Everything worded and every link reversed inside this is in the tipster's language."""
    language = subscription.language if translation.check_for_language(subscription.language) else None
    return translation.override(language or settings.LANGUAGE_CODE)


def _message(*, to: str, subject: str, template: str, context: dict, subscription_id: int) -> EmailMessage:
    """One message; call it inside `in_language_of(subscription)`."""
    unsubscribe_url = _unsubscribe_url(subscription_id)
    body = render_to_string(
        template, {**context, "site_name": settings.FACTCHECK_SITE_NAME, "unsubscribe_url": unsubscribe_url}
    )
    return EmailMessage(
        subject=str(subject),
        body=body,
        to=[to],
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "Content-Language": translation.get_language()},
    )


class SendFailed(Exception):
    """This attempt to hand a message to the mail server failed; the job engine retries it."""


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    try:
        with get_connection() as connection:
            return connection.send_messages(messages)
    except Exception as failure:  # refused, unreachable, timed out: all worth another attempt
        logger.warning("tip line: sending %d message(s) failed: %s", len(messages), failure)
        raise SendFailed(f"{type(failure).__name__}: {failure}") from failure


def send_plain(*, to: str, subject: str, body: str) -> int:
    """(Worker) one message with no subscription behind it, e.g. to a webhook's owner."""
    return _send([EmailMessage(subject=subject, body=body, to=[to])])


# --- Confirmation (double opt-in) -------------------------------------------------------------


def confirmation_requested(subscription_id: int) -> None:
    """Enqueue the one confirmation message in the caller's transaction."""
    from claims.intake import jobs

    jobs.defer(jobs.send_tip_email, kind="confirmation", subscription_id=subscription_id)


def send_confirmation(subscription_id: int) -> int:
    """(Worker) the confirmation, unless it was sent already or the address is forgotten."""
    from claims.models import TipSubscription

    subscription = TipSubscription.objects.filter(pk=subscription_id, confirmation_sent_at__isnull=True).first()
    if subscription is None:
        return 0
    with in_language_of(subscription):
        link = _absolute(reverse("claims:tip-confirm", kwargs={"token": confirm_token(subscription.pk)}))
        message = _message(
            to=subscription.email,
            subject=gettext("Confirm your address"),
            template="claims/emails/confirmation.txt",
            context={"link": link},
            subscription_id=subscription.pk,
        )
    sent = _send([message])
    if sent:
        TipSubscription.objects.filter(pk=subscription.pk).update(confirmation_sent_at=timezone.now())
    return sent


# --- Verdict changes ------------------------------------------------------------------------


def verdict_changed(*, claim_id: int, verdict_id: int, event: str) -> None:
    """A verdict on the claim was published, corrected or withdrawn: enqueue, in the caller's
    transaction, one fan-out job for its confirmed tipsters (one query when nobody asked). One job
    whatever their number: the worker writes one send job per address."""
    from claims.intake import jobs

    if not _confirmed(claim_id).exists():
        return None
    return jobs.defer(jobs.fan_out_tip_emails, claim_id=claim_id, verdict_id=verdict_id, event=event)


def _confirmed(claim_id: int):
    from claims.models import TipSubscription

    return TipSubscription.objects.filter(claim_id=claim_id, confirmed_at__isnull=False)


def fan_out(*, claim_id: int, verdict_id: int, event: str) -> int:
    """(Worker) one send job per address confirmed now."""
    from claims.intake import jobs

    arguments = [
        {"kind": "verdict", "subscription_id": pk, "verdict_id": verdict_id, "event": event}
        for pk in _confirmed(claim_id).values_list("pk", flat=True)
    ]
    return len(jobs.batch_defer(jobs.send_tip_email, arguments))


def send_verdict_message(*, subscription_id: int, verdict_id: int, event: str) -> int:
    """(Worker) one verdict message, re-checking at send time that the address is still
    subscribed and confirmed (an unsubscribe deletes the row)."""
    from claims.models import Verdict

    subscription = _confirmed_subscription(subscription_id)
    if subscription is None:
        return 0
    verdict = Verdict.objects.select_related("claim", "rating").get(pk=verdict_id)
    with in_language_of(subscription):
        message = _message(
            to=subscription.email,
            subject=EVENT_SUBJECTS[event],
            template="claims/emails/verdict.txt",
            context={
                "event": event,
                "claim_text": verdict.claim.text,
                "claim_url": _absolute(verdict.claim.get_absolute_url()),
                "reason": verdict.withdrawal_reason,
                "rating": verdict.shown_label,
                "summary": verdict.summary,
                "correction_note": verdict.correction_note,
            },
            subscription_id=subscription.pk,
        )
    return _send([message])


def _confirmed_subscription(subscription_id: int):
    from claims.models import TipSubscription

    return TipSubscription.objects.filter(pk=subscription_id, confirmed_at__isnull=False).first()
