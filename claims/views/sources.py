"""Source scorecard: credibility with its interval, counts per rating, the claims and the trend."""

from django.shortcuts import render

from claims import site_selectors as selectors
from claims.charts import Bar, bar_chart, interval_chart, line_chart
from claims.page_cache import cache_public_page
from claims.views.common import PAGE_SIZE, canonical, or_404, page_number


def rating_count_bars(rating_counts, levels) -> list[Bar]:
    """One bar per level of the scale, from the cached JSON (malformed counts read as 0)."""
    counts = rating_counts if isinstance(rating_counts, dict) else {}
    bars = []
    for level in levels:
        try:
            value = max(int(counts.get(level.slug, 0)), 0)
        except (TypeError, ValueError):
            value = 0
        bars.append(Bar(label=level.label, value=value, colour=level.colour))
    return bars


@cache_public_page
def source_detail(request, slug):
    source = or_404(selectors.source_for_page(slug, request.user))
    levels = selectors.rating_levels()
    bars = rating_count_bars(source.rating_counts, levels)
    page = page_number(request)
    claims, has_next = selectors.source_claim_page(source, request.user, page=page, size=PAGE_SIZE)
    trend = selectors.score_over_time(source, request.user)
    return render(
        request,
        "claims/source_detail.html",
        {
            "source": source,
            "bars": bars,
            "rated_total": sum(bar.value for bar in bars),
            "counts_chart": bar_chart(bars, title=f"Published verdicts per rating: {source.name}"),
            "interval_chart": interval_chart(
                low=source.credibility_low, score=source.credibility_score, high=source.credibility_high
            )
            if source.credibility_score is not None
            else "",
            "claims": claims,
            "page": page,
            "has_next": has_next,
            "trend": trend,
            "trend_last": trend[-1] if trend else None,
            "trend_chart": line_chart(trend, title=f"Mean truth weight over time: {source.name}") if trend else "",
            "canonical_url": canonical(request, source.get_absolute_url()),
        },
    )
