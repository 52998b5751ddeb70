"""Measure index, measure page, and the figures panel (table + range chart) shared with the claim page."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, pgettext, pgettext_lazy

from claims import site_selectors as selectors
from claims.charts import RangeRow, format_amount, range_chart
from claims.choices import ConflictState, Qualifier, Rank
from claims.models import Figure, Measure
from claims.page_cache import cache_public_page
from claims.views.common import canonical, first_page_link, keyset_page, or_404, page_number


def _reading_with(prefix: str, amount: str) -> str:
    """An amount with its qualifier, worded as a whole phrase (word order differs between languages)."""
    phrases = {
        "": "%(amount)s",
        Qualifier.APPROXIMATE: gettext("about %(amount)s"),
        Qualifier.AT_LEAST: gettext("at least %(amount)s"),
        Qualifier.AT_MOST: gettext("at most %(amount)s"),
    }
    return phrases.get(prefix, "%(amount)s") % {"amount": amount}


@dataclass
class FigureRow:
    figure: Figure
    sayer: object
    reading: str
    in_conflict: bool
    conflicts_with: list[int] = field(default_factory=list)


@dataclass
class Conflict:
    first: FigureRow
    second: FigureRow
    reason: str


@dataclass
class FigurePanel:
    measure: Measure
    rows: list[FigureRow]
    conflicts: list[Conflict]
    chart: str
    state: str  # the cached conflict state, or "" when it has not been assessed for these figures yet
    more: bool = False  # the measure has visible figures not drawn here (the claim page shows a bounded set)


def reading(figure: Figure, unit: str) -> str:
    """The figure as a range in the measure's unit: "15 million – 18 million", "about 450 km"."""
    qualified = (Qualifier.APPROXIMATE, Qualifier.AT_LEAST, Qualifier.AT_MOST)
    qualifier = figure.qualifier if figure.qualifier in qualified else ""
    if figure.low is not None and figure.high is not None and figure.low != figure.high:
        span = pgettext("a range of amounts", "%(low)s – %(high)s") % {
            "low": format_amount(figure.low, unit),
            "high": format_amount(figure.high, unit),
        }
        return _reading_with(qualifier, span)
    value = figure.low if figure.low is not None else figure.high
    if figure.low is None:
        qualifier = Qualifier.AT_MOST
    elif figure.high is None:
        qualifier = Qualifier.AT_LEAST
    return _reading_with(qualifier, format_amount(value, unit))


def parse_conflicts(raw, visible_ids: set[int] | None) -> list[tuple[int, int, str]]:
    """The cached `Measure.conflicts` JSON, read defensively: malformed entries are skipped, and a
    pair is kept only when both figures are visible to this reader (no hint of unpublished ones)."""
    pairs = []
    for entry in raw if isinstance(raw, list) else []:
        if not isinstance(entry, dict):
            continue
        try:
            a, b = int(entry.get("a")), int(entry.get("b"))
        except (TypeError, ValueError):
            continue
        if a != b and (visible_ids is None or (a in visible_ids and b in visible_ids)):
            reason = entry.get("reason")
            pairs.append((a, b, reason if isinstance(reason, str) else ""))
    return pairs


def figure_panel(
    measure: Measure,
    figures: list[Figure],
    *,
    highlight_claim_id: int | None = None,
    shown_ids: set[int] | None = None,
) -> FigurePanel:
    """Table, chart and conflict explanations for `figures` (all visible to the reader). With
    `shown_ids`, only those rows are drawn; the others only name a conflict's second figure."""
    by_id = {figure.pk: figure for figure in figures}
    pairs = parse_conflicts(measure.conflicts, set(by_id))
    partners: dict[int, list[int]] = {}
    for a, b, _ in pairs:
        partners.setdefault(a, []).append(b)
        partners.setdefault(b, []).append(a)
    rows = {
        figure.pk: FigureRow(
            figure=figure,
            sayer=figure.appearance.sayer,
            reading=reading(figure, measure.unit),
            in_conflict=figure.pk in partners,
            conflicts_with=partners.get(figure.pk, []),
        )
        for figure in figures
    }
    chart_rows = [
        RangeRow(
            label=row.sayer.name if row.sayer else gettext("Unattributed"),
            detail=f"“{row.figure.quoted_text}”"
            + (f" · {date_format(row.figure.point_in_time, 'YEAR_MONTH_FORMAT')}" if row.figure.point_in_time else ""),
            low=row.figure.low,
            high=row.figure.high,
            in_conflict=row.in_conflict,
            highlighted=highlight_claim_id is not None and row.figure.appearance.claim_id == highlight_claim_id,
            deprecated=row.figure.rank == Rank.DEPRECATED,
        )
        for row in rows.values()
        if shown_ids is None or row.figure.pk in shown_ids
    ]
    state = measure.conflict_state
    if rows and state == ConflictState.NO_FIGURES:  # figures exist but the cache has not caught up
        state = ""
    return FigurePanel(
        measure=measure,
        state=state,
        rows=[row for row in rows.values() if shown_ids is None or row.figure.pk in shown_ids],
        conflicts=[Conflict(rows[a], rows[b], reason) for a, b, reason in pairs],
        chart=range_chart(
            chart_rows, unit=measure.unit, title=gettext("Figures given for: %(measure)s") % {"measure": measure.name}
        ),
    )


# The claim page draws its own figures plus this many others per measure; the measure page pages
# its figures. A popular measure has thousands of figures: drawing all of them took 13 s at a
# million claims (docs/PERFORMANCE.md). 20 rather than 40 others: a third less Python per claim
# page (137,000 function calls instead of 217,000 for a claim on two measures).
OTHER_FIGURES_ON_CLAIM_PAGE = 20
FIGURES_PER_MEASURE_PAGE = 100
CONFLICT_PAIRS_SHOWN = 20  # the first cached pairs, whose figures are always drawn with the panel


def priority_conflict_ids(measure: Measure) -> set[int]:
    """Figures of the first CONFLICT_PAIRS_SHOWN cached conflict pairs (visibility is checked by the query)."""
    ids = set()
    for a, b, _ in parse_conflicts(measure.conflicts, None)[:CONFLICT_PAIRS_SHOWN]:
        ids.update((a, b))
    return ids


def claim_panels(claim, user) -> list[FigurePanel]:
    """One panel per measure the claim gives a figure for: the claim's figures, the figures of the
    first conflict pairs, and up to OTHER_FIGURES_ON_CLAIM_PAGE others (4 queries)."""
    measures = selectors.measures_of_claim(claim, user)
    if not measures:
        return []
    always = set().union(*(priority_conflict_ids(measure) for measure in measures))
    own, others = selectors.figure_ids_for_panels(
        measures, user, claim=claim, exclude=always, limit=OTHER_FIGURES_ON_CLAIM_PAGE + 1
    )
    shown = always | set(own) | {pk for ids in others.values() for pk in ids[:OTHER_FIGURES_ON_CLAIM_PAGE]}
    figures = selectors.figures_by_id(shown, user)
    panels = []
    for measure in measures:
        group = [figure for figure in figures if figure.measure_id == measure.pk]
        for figure in group:
            figure.measure = measure
        panel = figure_panel(measure, group, highlight_claim_id=claim.pk)
        panel.more = len(others.get(measure.pk, ())) > OTHER_FIGURES_ON_CLAIM_PAGE
        panels.append(panel)
    return panels


@cache_public_page
def measure_detail(request, slug):
    measure = or_404(selectors.measure_for_page(slug, request.user))
    page = page_number(request)
    page_ids, has_next = selectors.figure_page_ids(measure, request.user, page=page, size=FIGURES_PER_MEASURE_PAGE)
    # The page's figures, plus those of the first conflict pairs so that each listed conflict can
    # name both figures even when one of them is on another page.
    figures = selectors.figures_by_id(set(page_ids) | priority_conflict_ids(measure), request.user)
    order = {pk: n for n, pk in enumerate(page_ids)}
    figures.sort(key=lambda figure: order.get(figure.pk, len(order)))
    for figure in figures:
        figure.measure = measure
    panel = figure_panel(measure, figures, shown_ids=set(page_ids))
    return render(
        request,
        "claims/measure_detail.html",
        {
            "measure": measure,
            "panel": panel,
            "page": page,
            "has_next": has_next,
            "canonical_url": canonical(request, measure.get_absolute_url()),
        },
    )


class MeasureIndexForm(forms.Form):
    """The measure index's query string; an invalid value is reported and lists nothing."""

    SORTS = {
        "name": (gettext_lazy("Name (A–Z)"), "name", False),
        "updated": (gettext_lazy("Recently changed"), "updated_at", True),
    }

    q = forms.CharField(required=False, max_length=200, label=pgettext_lazy("noun, field label", "Search"))
    state = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Agreement"),
        choices=[
            ("", gettext_lazy("Any")),
            *((value, label) for value, label in ConflictState.choices if value != "no_figures"),
        ],
    )
    sort = forms.ChoiceField(
        required=False, label=gettext_lazy("Sort by"), choices=[(key, v[0]) for key, v in SORTS.items()]
    )


@cache_public_page
def measure_list(request):
    form = MeasureIndexForm(request.GET)
    rows, next_link, sort = [], None, "name"
    if form.is_valid():
        data = form.cleaned_data
        sort = data["sort"] or "name"
        _label, field, descending = MeasureIndexForm.SORTS[sort]
        measures = selectors.measure_index(request.user, q=data["q"].strip(), state=data["state"])
        rows, next_link = keyset_page(request, measures, field=field, descending=descending)
    return render(
        request,
        "claims/measure_list.html",
        {
            "form": form,
            "measures": rows,
            "sort": sort,
            "next_link": next_link,
            "first_link": first_page_link(request),
            "is_filtered": any(request.GET.get(key) for key in ("q", "state")),
            "canonical_url": canonical(request, request.path),
        },
    )
