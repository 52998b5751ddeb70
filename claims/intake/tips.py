"""The tip line: readers ask us to check a claim, from /tips/ or POST /api/v1/tips/.

Both paths validate with `TipForm` and call `submit_tip`, which answers at once from the published
verdicts that match ("already checked") or says "received", and clusters the tip onto a claim:
the claim it is likely the same as (claims/matching/ranking.py, through `services.similar_claims`)
gains demand; a tip matching none becomes a new claim from the tip line, for reviewers to triage.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy, pgettext

from claims.matching.language import validate_language_tag

MAX_TEXT = 2000
MAX_URL = 1000
RECEIVED, ALREADY_CHECKED = "received", "already_checked"


class TipForm(forms.Form):
    """A tip's fields and rules, shared by the page and the API (which reports its errors per field)."""

    text = forms.CharField(
        label=gettext_lazy("The claim"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    url = forms.URLField(
        label=gettext_lazy("A link to where you saw it"), max_length=MAX_URL, required=False, assume_scheme="https"
    )
    language = forms.CharField(
        label=gettext_lazy("Language (optional, e.g. en, fa, az)"),
        max_length=12,
        required=False,
        validators=[validate_language_tag],
    )
    email = forms.EmailField(label=gettext_lazy("Your email (optional)"), max_length=254, required=False)
    consent = forms.BooleanField(
        label=gettext_lazy(
            "Email me when you publish, correct or withdraw a verdict on this claim. "
            "You can delete your address at any time from the link in every message."
        ),
        required=False,
    )
    # A honeypot: hidden from people (the page's CSS and aria-hidden), filled in by form-filling bots.
    website = forms.CharField(label=gettext_lazy("Leave this empty"), required=False, max_length=200)

    def clean(self):
        data = super().clean()
        data["text"] = " ".join((data.get("text") or "").split())
        if not data["text"] and not data.get("url") and not self.errors.get("url"):
            raise ValidationError({"text": gettext("Tell us the claim, or give a link to where you saw it.")})
        if data.get("email") and not data.get("consent"):
            raise ValidationError({"consent": gettext("Tick the box to let us email you, or leave the email empty.")})
        return data

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


@dataclass
class Checked:
    """A published verdict on a claim the tip matched."""

    claim_text: str
    claim_url: str
    rating: str
    summary: str
    reason: str


@dataclass
class TipAnswer:
    status: str
    checked: list[Checked] = field(default_factory=list)
    folded: bool = False  # the same tip was sent before by the same client

    @property
    def message(self) -> str:
        if self.status == ALREADY_CHECKED:
            checked = "; ".join(
                pgettext("a checked claim and its rating", "%(claim)s (%(rating)s)")
                % {"claim": item.claim_text, "rating": item.rating}
                for item in self.checked
            )
            return gettext("Already checked: %(claims)s") % {"claims": checked}
        return gettext("Received: thank you. Reviewers will look at your tip.")


def client_key(address: str) -> str:
    """A keyed hash of the client's address: folds one client's repeats without storing the address."""
    return hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256).hexdigest()


def submit_tip(
    *,
    text: str = "",
    url: str = "",
    language: str = "",
    email: str = "",
    consent: bool = False,
    client: str = "",
    reader_language: str | None = None,
) -> TipAnswer:
    """Record a validated tip (see `TipForm`) and answer it. `client` is the sender's address.

    `language` is the claim's; `reader_language` is the one the tipster reads the site in (by
    default the request's active language: the page's prefix, or the API's Accept-Language), kept
    with their address so that every message to them is written in it."""
    from claims import services
    from claims.matching.language import language_or_detected

    text, url = " ".join((text or "").split()), (url or "").strip()
    language = language_or_detected(language or None, text) if text else (language or "")
    vector = services.embedding_for(text) if text else None
    matches = _likely_same(text, language=language, vector=vector) if text else []
    fingerprint = hashlib.sha256("\n".join([client_key(client), text.casefold(), url]).encode()).hexdigest()
    with transaction.atomic():
        claim, folded = _cluster(
            fingerprint=fingerprint, text=text, url=url, language=language, vector=vector, matches=matches
        )
        if email and consent:
            subscribe(claim=claim, email=email, language=reader_language or translation.get_language())
    checked = published_answers(
        claim_ids=[claim.pk, *(m.claim_id for m in matches)], reasons={m.claim_id: m.reason for m in matches}
    )
    return TipAnswer(status=ALREADY_CHECKED if checked else RECEIVED, checked=checked, folded=folded)


def _likely_same(text: str, *, language: str, vector):
    """The claims (any status) the matcher calls likely the same as the tip, or that state what
    the tip asks ("How many Azeris live in Iran?"), best first."""
    from claims import services
    from claims.matching.ranking import SAME

    return [
        m
        for m in services.similar_claims(text, language=language, vector=vector)
        if m.match_class == SAME or m.answers_the_question
    ]


def _cluster(*, fingerprint, text, url, language, vector, matches):
    """The claim the tip is about, with its demand counted (once per distinct tip); and whether
    this was a repeat of a tip already counted."""
    from claims import services
    from claims.models import Claim, Tip

    # Two identical tips at once: the second waits here and then finds the first.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"tip:{fingerprint}"])
    repeat = Tip.objects.filter(fingerprint=fingerprint).select_related("claim").first()
    if repeat is not None:
        return repeat.claim, True
    claim = None
    if url:
        same_link = Tip.objects.filter(url=url).order_by("id").select_related("claim").first()
        claim = same_link.claim if same_link else None
    if claim is None and matches:
        claim = Claim.objects.get(pk=matches[0].claim_id)
    if claim is None and text:
        # Two readers sending the same claim in other words at once would both match nothing and
        # make two claims. New claims from the tip line are made one at a time: the second waits
        # for the first to commit, then looks again and finds it.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('tip:new-claim'))")
        again = _likely_same(text, language=language, vector=vector)
        claim = Claim.objects.get(pk=again[0].claim_id) if again else None
    if claim is None:
        claim = services.create_tip_claim(text=text or f"Sent as a link: {url}", language=language, vector=vector)
        matched = False
    else:
        Claim.objects.filter(pk=claim.pk).update(demand=F("demand") + 1)
        matched = True
    tip = Tip(claim=claim, text=text, url=url, language=language, fingerprint=fingerprint, matched_existing=matched)
    tip.full_clean(exclude=["claim", "fingerprint"])
    tip.save()
    return claim, False


def subscribe(*, claim, email: str, language: str = "") -> None:
    """Keep the tipster's address for this claim (consent given) and send the one confirmation
    message; an address already kept for the claim is neither duplicated nor mailed again."""
    from claims.intake.emails import confirmation_requested
    from claims.models import TipSubscription

    subscription, created = TipSubscription.objects.get_or_create(
        claim=claim,
        email=email.strip().lower(),
        defaults={"consented_at": timezone.now(), "language": language or settings.LANGUAGE_CODE},
    )
    if created:
        confirmation_requested(subscription.pk)


def published_answers(*, claim_ids, reasons: dict | None = None) -> list[Checked]:
    """The published verdicts of those of these claims readers may see, in the order given."""
    from claims.models import Claim

    order = list(dict.fromkeys(claim_ids))
    claims = (
        Claim.objects.public()
        .filter(pk__in=order, published_verdict__isnull=False)
        .select_related("published_verdict__rating")
    )
    found = {claim.pk: claim for claim in claims}
    answers = []
    for pk in order:
        claim = found.get(pk)
        if claim is None:
            continue
        verdict = claim.published_verdict
        answers.append(
            Checked(
                claim_text=claim.text,
                claim_url=claim.get_absolute_url(),
                rating=verdict.shown_label,
                summary=verdict.summary,
                reason=(reasons or {}).get(pk) or gettext("your tip is about this claim"),
            )
        )
    return answers


def confirm(subscription) -> None:
    from claims.models import TipSubscription

    TipSubscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(confirmed_at=timezone.now())


def forget(subscription) -> int:
    """Delete the tipster's address: every subscription kept under it, for any claim."""
    from claims.models import TipSubscription

    deleted, _ = TipSubscription.objects.filter(email=subscription.email).delete()
    return deleted
