"""The tip line's tables: readers' tips and the addresses of tipsters who asked to be told.

Imported by claims/models.py so that Django finds them in the `claims` app."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from claims.matching.language import validate_language_tag


class Tip(models.Model):
    """One reader's request to check a claim, clustered onto the claim it asks about."""

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="tips")
    text = models.TextField(max_length=2000, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    language = models.CharField(max_length=12, blank=True, validators=[validate_language_tag])
    # Identical tips from one client fold into the first (a repeated form post, a script): the
    # digest of (client, text, link) is unique. The client enters only as a keyed hash.
    fingerprint = models.CharField(max_length=64, unique=True, editable=False)
    matched_existing = models.BooleanField(default=False, help_text=_("Clustered onto a claim we already had"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            # A tip with a link already sent clusters onto that link's claim.
            models.Index(fields=["url"], condition=~Q(url=""), name="tip_url_idx"),
        ]

    def __str__(self):
        return (self.text or self.url)[:80]


class TipSubscription(models.Model):
    """A tipster's address, kept to tell them about verdicts on one claim: pending until they follow
    the confirmation link (double opt-in), deleted when they unsubscribe ("forget me")."""

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="tip_subscriptions")
    tip = models.ForeignKey(Tip, null=True, blank=True, on_delete=models.SET_NULL, related_name="subscriptions")
    email = models.EmailField(max_length=254)
    # The language the tipster used the site (or the API) in: their messages are written in it.
    language = models.CharField(max_length=12, default="en", help_text=_("One of settings.LANGUAGES"))
    consented_at = models.DateTimeField(help_text=_("When the tipster ticked the consent box"))
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "email"], name="tip_subscription_claim_email_unique"),
        ]
        indexes = [models.Index(fields=["email"], name="tip_subscription_email_idx")]

    def __str__(self):
        return f"subscription {self.pk} to claim {self.claim_id}"
