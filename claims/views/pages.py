"""Home, methodology and corrections pages."""

from django.shortcuts import render
from django.urls import reverse

from claims import conflicts
from claims import site_selectors as selectors
from claims.page_cache import cache_public_page
from claims.views.common import PAGE_SIZE, canonical, page_number


@cache_public_page
def home(request):
    return render(
        request,
        "claims/home.html",
        {
            "latest_verdicts": selectors.latest_verdicts(request.user),
            "disputed_measures": selectors.disputed_measures(request.user),
            "sources": selectors.most_checked_sources(request.user),
            "canonical_url": canonical(request, reverse("claims:home")),
        },
    )


def methodology(request):
    tolerance = conflicts.tolerance()
    return render(
        request,
        "claims/methodology.html",
        {
            "levels": selectors.rating_levels(),
            "tolerance_percent": f"{(tolerance * 100).normalize():f}",
            "canonical_url": canonical(request, request.path),
        },
    )


@cache_public_page
def corrections(request):
    page = page_number(request)
    items, has_next = selectors.page_of(selectors.corrections(request.user), page=page, size=PAGE_SIZE)
    return render(
        request,
        "claims/corrections.html",
        {"items": items, "page": page, "has_next": has_next, "canonical_url": canonical(request, request.path)},
    )
