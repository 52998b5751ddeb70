"""Source index (search, kind, country, sorted by name, rated claims or score) and the source
scorecard: credibility with its interval, counts per rating, the claims and the trend."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from claims import site_selectors as selectors
from claims.charts import Bar, bar_chart, interval_chart, line_chart
from claims.choices import SourceKind
from claims.page_cache import cache_public_page
from claims.rating_text import rating_label
from claims.views.common import PAGE_SIZE, canonical, first_page_link, keyset_page, or_404, page_number


def rating_count_bars(rating_counts, levels) -> list[Bar]:
    """One bar per level of the scale, from the cached JSON (malformed counts read as 0)."""
    counts = rating_counts if isinstance(rating_counts, dict) else {}
    bars = []
    for level in levels:
        try:
            value = max(int(counts.get(level.slug, 0)), 0)
        except (TypeError, ValueError):
            value = 0
        bars.append(Bar(label=rating_label(level), value=value, colour=level.colour))
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
            "counts_chart": bar_chart(
                bars, title=gettext("Published verdicts per rating: %(source)s") % {"source": source.name}
            ),
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
            "trend_chart": (
                line_chart(trend, title=gettext("Mean truth weight over time: %(source)s") % {"source": source.name})
                if trend
                else ""
            ),
            "canonical_url": canonical(request, source.get_absolute_url()),
        },
    )


class SourceIndexForm(forms.Form):
    """The source index's query string; an invalid value is reported and lists nothing."""

    SORTS = {
        # value: (label, keyset field, descending, only sources with a score)
        "name": (_("Name (A–Z)"), "name", False, False),
        "rated": (_("Most rated claims"), "rated_claims_count", True, False),
        "score": (_("Highest credibility"), "credibility_score", True, True),
        "score-low": (_("Lowest credibility"), "credibility_score", False, True),
    }

    q = forms.CharField(required=False, max_length=200, label=pgettext_lazy("noun, field label", "Search"))
    kind = forms.ChoiceField(required=False, label=_("Kind"), choices=[("", _("Any kind")), *SourceKind.choices])
    country = forms.RegexField(
        required=False,
        regex=r"^[A-Za-z]{2}$",
        label=_("Country"),
        error_messages={"invalid": _("Give a two-letter country code, e.g. AZ.")},
        widget=forms.TextInput(attrs={"size": 3, "maxlength": 2, "placeholder": _("e.g. AZ")}),
    )
    sort = forms.ChoiceField(required=False, label=_("Sort by"), choices=[(key, v[0]) for key, v in SORTS.items()])

    def clean_country(self):
        return self.cleaned_data["country"].upper()


@cache_public_page
def source_list(request):
    form = SourceIndexForm(request.GET)
    rows, next_link, sort = [], None, "name"
    if form.is_valid():
        data = form.cleaned_data
        sort = data["sort"] or "name"
        _label, field, descending, scored_only = SourceIndexForm.SORTS[sort]
        sources = selectors.source_index(
            request.user, q=data["q"].strip(), kind=data["kind"], country=data["country"], scored_only=scored_only
        )
        rows, next_link = keyset_page(request, sources, field=field, descending=descending)
    return render(
        request,
        "claims/source_list.html",
        {
            "form": form,
            "sources": rows,
            "sort": sort,
            "next_link": next_link,
            "first_link": first_page_link(request),
            "is_filtered": any(request.GET.get(key) for key in ("q", "kind", "country")),
            "canonical_url": canonical(request, request.path),
        },
    )
