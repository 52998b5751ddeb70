"""Measure page, and the figures panel (table + range chart) shared with the claim page."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.shortcuts import render

from claims import site_selectors as selectors
from claims.charts import RangeRow, format_amount, range_chart
from claims.choices import ConflictState, Qualifier, Rank
from claims.models import Figure, Measure
from claims.views.common import canonical, or_404

QUALIFIER_PREFIX = {Qualifier.APPROXIMATE: "about ", Qualifier.AT_LEAST: "at least ", Qualifier.AT_MOST: "at most "}


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


def reading(figure: Figure, unit: str) -> str:
    """The figure as a range in the measure's unit: "15 million – 18 million", "about 450 km"."""
    prefix = QUALIFIER_PREFIX.get(figure.qualifier, "")
    if figure.low is not None and figure.high is not None and figure.low != figure.high:
        return f"{prefix}{format_amount(figure.low, unit)} – {format_amount(figure.high, unit)}"
    value = figure.low if figure.low is not None else figure.high
    if figure.low is None:
        prefix = "at most "
    elif figure.high is None:
        prefix = "at least "
    return prefix + format_amount(value, unit)


def parse_conflicts(raw, visible_ids: set[int]) -> list[tuple[int, int, str]]:
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
        if a in visible_ids and b in visible_ids and a != b:
            reason = entry.get("reason")
            pairs.append((a, b, reason if isinstance(reason, str) else ""))
    return pairs


def figure_panel(measure: Measure, figures: list[Figure], *, highlight_claim_id: int | None = None) -> FigurePanel:
    by_id = {figure.pk: figure for figure in figures}
    pairs = parse_conflicts(measure.conflicts, set(by_id))
    partners: dict[int, list[int]] = {}
    for a, b, _ in pairs:
        partners.setdefault(a, []).append(b)
        partners.setdefault(b, []).append(a)
    rows = {
        figure.pk: FigureRow(
            figure=figure,
            sayer=selectors.figure_sayer(figure),
            reading=reading(figure, measure.unit),
            in_conflict=figure.pk in partners,
            conflicts_with=partners.get(figure.pk, []),
        )
        for figure in figures
    }
    chart_rows = [
        RangeRow(
            label=row.sayer.name if row.sayer else "Unattributed",
            detail=f"“{row.figure.quoted_text}”"
            + (f" · {row.figure.point_in_time:%b %Y}" if row.figure.point_in_time else ""),
            low=row.figure.low,
            high=row.figure.high,
            in_conflict=row.in_conflict,
            highlighted=highlight_claim_id is not None and row.figure.appearance.claim_id == highlight_claim_id,
            deprecated=row.figure.rank == Rank.DEPRECATED,
        )
        for row in rows.values()
    ]
    state = measure.conflict_state
    if rows and state == ConflictState.NO_FIGURES:  # figures exist but the cache has not caught up
        state = ""
    return FigurePanel(
        measure=measure,
        state=state,
        rows=list(rows.values()),
        conflicts=[Conflict(rows[a], rows[b], reason) for a, b, reason in pairs],
        chart=range_chart(chart_rows, unit=measure.unit, title=f"Figures given for: {measure.name}"),
    )


def panels_by_measure(figures: list[Figure], *, highlight_claim_id: int | None = None) -> list[FigurePanel]:
    grouped: dict[int, list[Figure]] = {}
    for figure in figures:
        grouped.setdefault(figure.measure_id, []).append(figure)
    panels = [
        figure_panel(group[0].measure, group, highlight_claim_id=highlight_claim_id) for group in grouped.values()
    ]
    return sorted(panels, key=lambda panel: panel.measure.name)


def measure_detail(request, slug):
    measure = or_404(selectors.measure_for_page(slug, request.user))
    figures = selectors.figures_for_measures([measure.pk], request.user)
    panel = figure_panel(measure, figures)
    return render(
        request,
        "claims/measure_detail.html",
        {
            "measure": measure,
            "panel": panel,
            "canonical_url": canonical(request, measure.get_absolute_url()),
        },
    )
