"""Claim list (search, filters, pagination) and the claim page."""

from __future__ import annotations

import django_filters
from django import forms
from django.http import HttpResponsePermanentRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.utils.text import Truncator
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from claims import site_selectors as selectors
from claims.api.filtersets import ClaimFilterRules
from claims.choices import ClaimStatus, VerdictStatus
from claims.ingest.csv_export import stream_csv
from claims.models import RatingLevel, Source, Topic
from claims.page_cache import cache_public_page
from claims.rating_text import rating_label
from claims.selectors import claimreview_for_claim
from claims.views.common import PAGE_SIZE, canonical, or_404, page_number
from claims.views.measures import claim_panels


class ClaimFilterForm(forms.Form):
    """The list's query string, cleaned to what `ReaderClaimFilterSet` filters by (rows, not
    slugs). An invalid value is reported next to its field and the list shows no claims (never
    every claim, as if the filter had not been asked for)."""

    q = forms.CharField(required=False, max_length=200, label=pgettext_lazy("noun, field label", "Search"))
    rating = forms.ChoiceField(required=False, label=_("Rating"))
    topic = forms.ChoiceField(required=False, label=_("Topic"))
    disputed = forms.ChoiceField(
        required=False, label=_("Figures"), choices=[("", _("Any")), ("yes", _("Disputed figures"))]
    )
    # Sources are chosen from their pages (slugs in links), shown as removable chips.
    source = forms.SlugField(required=False, max_length=200, widget=forms.HiddenInput)
    claimant = forms.SlugField(required=False, max_length=200, widget=forms.HiddenInput)
    outlet = forms.SlugField(required=False, max_length=200, widget=forms.HiddenInput)
    date_from = forms.DateField(
        required=False, label=_("First seen from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False,
        label=pgettext_lazy("date range: from ... to", "to"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    order = forms.ChoiceField(
        required=False, label=_("Order"), choices=[("", _("Best match")), ("newest", _("Newest first"))]
    )  # only shown, and only applied, with a search

    def __init__(self, *args, levels: list[RatingLevel], topics: list[Topic], user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.levels, self.topics = user, levels, topics
        self.fields["rating"].choices = [("", gettext("Any rating"))] + [
            (level.slug, rating_label(level)) for level in levels
        ]
        self.fields["topic"].choices = [("", gettext("Any topic"))] + [(topic.slug, topic.name) for topic in topics]

    def _clean_source(self, name: str) -> Source | None:
        slug = self.cleaned_data.get(name)
        if not slug:
            return None
        source = selectors.source_for_page(slug, self.user)
        if source is None:  # unknown and unpublished sources answer alike
            raise forms.ValidationError(gettext("No source “%(slug)s” is listed.") % {"slug": slug})
        return source

    def clean_source(self):
        return self._clean_source("source")

    def clean_claimant(self):
        return self._clean_source("claimant")

    def clean_outlet(self):
        return self._clean_source("outlet")

    def clean_rating(self):
        slug = self.cleaned_data.get("rating")
        return next((level for level in self.levels if level.slug == slug), None) if slug else None

    def clean_topic(self):
        slug = self.cleaned_data.get("topic")
        return next((topic for topic in self.topics if topic.slug == slug), None) if slug else None

    def clean_disputed(self):
        return True if self.cleaned_data.get("disputed") == "yes" else None  # "Any": no filter

    def clean(self):
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", gettext("The end date is before the start date."))
        return data


class ReaderClaimFilterSet(ClaimFilterRules):
    """The list's filters over `ClaimFilterForm`: each one the API's rule (`ClaimFilterRules`)
    under the reader's parameter, label and message."""

    q = django_filters.Filter(method="search")
    rating = django_filters.Filter(method="filter_rating")
    topic = django_filters.Filter(method="filter_topic")
    disputed = django_filters.Filter(method="filter_disputed")
    source = django_filters.Filter(method="filter_source")
    claimant = django_filters.Filter(method="filter_claimant")
    outlet = django_filters.Filter(method="filter_outlet")
    date_from = django_filters.Filter(method="filter_date_from")
    date_to = django_filters.Filter(method="filter_date_to")
    order = django_filters.Filter(method="order_after_filters")

    def __init__(self, data, queryset, *, request, levels: list[RatingLevel], topics: list[Topic]):
        super().__init__(data, queryset, request=request)
        self._form = ClaimFilterForm(data, levels=levels, topics=topics, user=request.user)

    def search_language(self) -> str:
        # The page is cached by its URL and page language, not by Accept-Language: the search
        # goes by the text's own language.
        return ""

    def filter_date_from(self, queryset, name, value):
        return self.filter_first_seen(queryset, name, slice(value, None))

    def filter_date_to(self, queryset, name, value):
        return self.filter_first_seen(queryset, name, slice(None, value))

    def order_after_filters(self, queryset, name, value):
        return queryset  # read by `filter_queryset`, after the search has ranked the rows

    def filter_queryset(self, queryset):
        """The filters; with a search, best match first unless the reader asked for the newest."""
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if data.get("q") and data.get("order") != "newest":
            queryset = queryset.order_by("-rank", "-id")
        return queryset


def _without(request, name: str) -> str:
    """This list's query string without one parameter (and back on the first page)."""
    query = request.GET.copy()
    for key in (name, "page"):
        query.pop(key, None)
    return "?" + query.urlencode()


@cache_public_page
def claim_list(request):
    levels = selectors.rating_levels()
    topics = list(Topic.objects.only("id", "name", "slug"))
    filterset = ReaderClaimFilterSet(
        request.GET, selectors.claim_rows(request.user), request=request, levels=levels, topics=topics
    )
    form = filterset.form
    page = page_number(request)
    if not filterset.is_valid():  # the errors show next to their fields, and no claims
        rows, has_next = [], False
        chips = []
        filters = None
    else:
        rows, has_next = selectors.page_of(filterset.qs, page=page, size=PAGE_SIZE)
        data = form.cleaned_data
        chips = [
            {"name": name, "label": label, "source": source, "remove": _without(request, name)}
            for name, label in (
                ("source", gettext("Source")),
                ("claimant", gettext("Claimant")),
                ("outlet", gettext("Outlet")),
            )
            if (source := data.get(name)) is not None
        ]
        filters = {"q": data.get("q") or "", "newest_first": data.get("order") == "newest"}
    q = (form.data.get("q") or "").strip()[:200]
    is_filtered = any(value for key, value in request.GET.items() if key not in ("page", "order"))
    return render(
        request,
        "claims/claim_list.html",
        {
            "form": form,
            "claims": rows,
            "page": page,
            "has_next": has_next,
            "filters": filters,
            "q": q,
            "chips": chips,
            "is_filtered": is_filtered,
            "canonical_url": canonical(request, request.path),
        },
    )


def share_card(claim, verdict, withdrawal) -> dict[str, str]:
    """Title and description for the page's sharing tags, the verdict first: a shared link should
    say what we found, not only what was claimed."""
    text = Truncator(claim.text).chars(110)
    if verdict is not None:
        if verdict.organisation_id:
            title = gettext("%(rating)s (%(organisation)s): %(claim)s") % {
                "rating": rating_label(verdict.rating),
                "organisation": verdict.organisation.name,
                "claim": text,
            }
        else:
            title = gettext("%(rating)s: %(claim)s") % {"rating": rating_label(verdict.rating), "claim": text}
        return {"title": title, "description": Truncator(verdict.summary).chars(200)}
    if withdrawal is not None:
        return {
            "title": gettext("Verdict withdrawn: %(claim)s") % {"claim": text},
            "description": Truncator(withdrawal.withdrawal_reason).chars(200),
        }
    return {"title": text, "description": gettext("Not rated yet.")}


@cache_public_page
def claim_detail(request, slug):
    claim = selectors.claim_for_page(slug, request.user)
    if claim is None:
        # A claim merged into another lives on in its survivor: old links follow it for good.
        from claims.matching.merges import redirect_target

        survivor = or_404(redirect_target(slug, request.user))
        return HttpResponsePermanentRedirect(survivor.get_absolute_url())
    history = selectors.verdict_history(claim, request.user)
    # The current verdict as loaded with the history, so its evidence is already prefetched.
    verdict = next((v for v in history if v.pk == claim.published_verdict_id), None)
    withdrawal = next((v for v in history if v.status == VerdictStatus.WITHDRAWN), None)
    appearances = selectors.appearances_of(claim)
    url = canonical(request, claim.get_absolute_url())
    jsonld = None
    # A page may mark up only the reviews its publisher wrote; an imported one is linked instead.
    if verdict is not None and claim.status == ClaimStatus.PUBLISHED and not verdict.is_imported:
        jsonld = claimreview_for_claim(claim, request=request, verdict=verdict, appearances=appearances)
    return render(
        request,
        "claims/claim_detail.html",
        {
            "claim": claim,
            "verdict": verdict,
            "withdrawal": withdrawal if claim.status == ClaimStatus.WITHDRAWN else None,
            "history": history,
            "appearances": appearances,
            "panels": claim_panels(claim, request.user),
            "same_elsewhere": selectors.same_claim_elsewhere(claim),
            "levels": selectors.rating_levels(),
            "jsonld": jsonld,
            "share": share_card(claim, verdict, withdrawal if claim.status == ClaimStatus.WITHDRAWN else None),
            "canonical_url": url,
        },
    )


@require_safe
def claims_csv(request):
    """Every published claim with its current verdict as CSV, streamed (the same rows as
    `manage.py export_csv` and the API's /api/v1/export/claims.csv)."""
    return csv_response(stream_csv(site_url=request.build_absolute_uri("/")))


def csv_response(lines) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="published-claims.csv"'
    return response
