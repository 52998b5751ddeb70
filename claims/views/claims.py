"""Claim list (search, filters, pagination) and the claim page."""

from __future__ import annotations

from django import forms
from django.shortcuts import render

from claims import site_selectors as selectors
from claims.choices import ClaimStatus, VerdictStatus
from claims.models import RatingLevel, Source, Topic
from claims.page_cache import cache_public_page
from claims.selectors import claimreview_for_claim
from claims.views.common import PAGE_SIZE, canonical, or_404, page_number
from claims.views.measures import claim_panels


class ClaimFilterForm(forms.Form):
    """The list's query string. Invalid values are reported next to the field and ignored."""

    q = forms.CharField(required=False, max_length=200, label="Search")
    rating = forms.ChoiceField(required=False, label="Rating")
    topic = forms.ChoiceField(required=False, label="Topic")
    source = forms.SlugField(required=False, max_length=200, widget=forms.HiddenInput)
    date_from = forms.DateField(required=False, label="First seen from", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="to", widget=forms.DateInput(attrs={"type": "date"}))
    order = forms.ChoiceField(
        required=False, label="Order", choices=[("", "Best match"), ("newest", "Newest first")]
    )  # only shown, and only applied, with a search

    def __init__(self, *args, levels: list[RatingLevel], topics: list[Topic], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [("", "Any rating")] + [(level.slug, level.label) for level in levels]
        self.fields["topic"].choices = [("", "Any topic")] + [(topic.slug, topic.name) for topic in topics]

    def filters(self, source: Source | None) -> selectors.ClaimFilters:
        self.is_valid()
        data = self.cleaned_data
        return selectors.ClaimFilters(
            q=(data.get("q") or "").strip(),
            rating=data.get("rating") or "",
            topic=data.get("topic") or "",
            source=source,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            newest_first=data.get("order") == "newest",
        )


@cache_public_page
def claim_list(request):
    levels = selectors.rating_levels()
    topics = list(Topic.objects.only("id", "name", "slug"))
    form = ClaimFilterForm(request.GET, levels=levels, topics=topics)
    source = None
    source_slug = request.GET.get("source", "")
    if source_slug:
        source = selectors.source_for_page(source_slug[:200], request.user)
        if source is None:  # an unknown or unpublished source matches nothing, and says so
            source = Source(name="(unknown source)", slug="-", pk=-1)
    filters = form.filters(source)
    page = page_number(request)
    rows, has_next = selectors.page_of(
        selectors.filter_claims(selectors.claim_rows(request.user), filters), page=page, size=PAGE_SIZE
    )
    is_filtered = any([filters.q, filters.rating, filters.topic, source, filters.date_from, filters.date_to])
    return render(
        request,
        "claims/claim_list.html",
        {
            "form": form,
            "claims": rows,
            "page": page,
            "has_next": has_next,
            "filters": filters,
            "is_filtered": is_filtered,
            "canonical_url": canonical(request, request.path),
        },
    )


@cache_public_page
def claim_detail(request, slug):
    claim = or_404(selectors.claim_for_page(slug, request.user))
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
            "levels": selectors.rating_levels(),
            "jsonld": jsonld,
            "canonical_url": url,
        },
    )
