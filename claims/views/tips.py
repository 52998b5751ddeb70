"""The tip line's pages: send a tip (/tips/), confirm an address, unsubscribe and forget it.

Plain forms with CSRF tokens: everything works without JavaScript. Links in emails only show a
page; the change itself is a POST, so a mail scanner that follows links changes nothing."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from claims.api.throttling import TipRateThrottle
from claims.intake import emails, tips
from factcheck.login_throttle import client_address


@never_cache
@require_http_methods(["GET", "POST"])
def tip_form(request):
    if request.method == "GET":
        return render(request, "claims/tips.html", {"form": tips.TipForm()})
    form = tips.TipForm(request.POST)
    if not TipRateThrottle().allow_request(request, None):
        form.is_valid()
        form.add_error(None, gettext("Too many tips from your address in a short time; please try again in a minute."))
        return render(request, "claims/tips.html", {"form": form}, status=429)
    if not form.is_valid():
        return render(request, "claims/tips.html", {"form": form}, status=400)
    if form.is_bot:
        answer = tips.TipAnswer(status=tips.RECEIVED)
    else:
        fields = {name: form.cleaned_data[name] for name in ("text", "url", "language", "email", "consent")}
        answer = tips.submit_tip(**fields, client=client_address(request))
    return render(
        request,
        "claims/tips.html",
        {"form": tips.TipForm(), "answer": answer, "asked_email": bool(form.cleaned_data.get("email"))},
    )


def _subscription(token: str, purpose: str):
    subscription = emails.subscription_for(token, purpose=purpose)
    if subscription is None:
        raise Http404(gettext("This link is not valid any more."))
    return subscription


@never_cache
@require_http_methods(["GET", "POST"])
def tip_confirm(request, token):
    subscription = _subscription(token, "confirm")
    if request.method == "POST":
        tips.confirm(subscription)
        return render(request, "claims/tip_confirm.html", {"done": True, "token": token})
    return render(request, "claims/tip_confirm.html", {"done": subscription.confirmed_at is not None, "token": token})


@never_cache
@require_http_methods(["GET", "POST"])
def tip_unsubscribe(request, token):
    subscription = emails.subscription_for(token, purpose="unsubscribe")
    if request.method == "POST" and subscription is not None:
        tips.forget(subscription)
        return render(request, "claims/tip_unsubscribe.html", {"done": True, "token": token})
    if subscription is None:
        # Already forgotten (or a forged link): say so, as plainly as a success.
        return render(request, "claims/tip_unsubscribe.html", {"done": True, "token": token}, status=404)
    return render(request, "claims/tip_unsubscribe.html", {"done": False, "token": token})
