"""A measure's figures side by side for reviewers: who says what, which pairs conflict, a range chart.

Conflicts come from `claims.figures.assess_measure` (units converted, approximate figures widened
by FACTCHECK_APPROXIMATE_TOLERANCE, dates compared within the measure's window), run over *all*
the measure's figures, unpublished ones included: reviewers see conflicts before readers do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

from claims.conflicts import for_comparison, tolerance
from claims.figures import assess_measure

INF = Decimal("Infinity")


@dataclass
class FigureRow:
    figure: object
    who: str
    low: Decimal
    high: Decimal
    comparable: bool
    conflicts_with: list[int] = field(default_factory=list)

    @property
    def in_conflict(self) -> bool:
        return bool(self.conflicts_with)


def _who(figure) -> str:
    """Who said it, and where when that is not the sayer itself: "Jane Doe, in Daily News"."""
    appearance = figure.appearance
    article = appearance.article
    sayer = appearance.sayer
    where = str(article.outlet) if article.outlet_id else str(article)
    if sayer is None:
        return f"Unattributed, in {where}"
    return str(sayer) if sayer.pk == article.outlet_id else f"{sayer}, in {where}"


def figure_rows(measure, figures) -> tuple[list[FigureRow], list[str]]:
    """Rows for the table and chart (bounds in the measure's unit), and the conflicts' reasons."""
    who = {figure.pk: _who(figure) for figure in figures}
    assessment = assess_measure(
        [for_comparison(f) for f in figures],
        measure_unit=measure.unit,
        tolerance=tolerance(),
        window_days=measure.comparison_window_days,
    )  # fmt: skip
    conflicts: dict[int, list[int]] = {}
    for first, second, _reason in assessment.conflicting_pairs:
        conflicts.setdefault(first, []).append(second)
        conflicts.setdefault(second, []).append(first)
    rows = []
    for figure in figures:
        interval = assessment.intervals.get(figure.pk)
        low, high = interval if interval is not None else (figure.low, figure.high)
        rows.append(
            FigureRow(
                figure=figure,
                who=who[figure.pk],
                low=-INF if low is None else low,
                high=INF if high is None else high,
                comparable=interval is not None,
                conflicts_with=conflicts.get(figure.pk, []),
            )
        )
    return rows, [reason for _a, _b, reason in assessment.conflicting_pairs]


def range_chart(rows: list[FigureRow], *, width: int = 800) -> str:
    """An inline SVG: one horizontal bar per comparable figure (a dot for an exact value); conflicts
    in red. Deprecated figures and those in an unconvertible unit are left out of the chart."""
    rows = [row for row in rows if row.comparable]
    finite = [v for row in rows for v in (row.low, row.high) if v.is_finite()]
    if not finite:
        return ""
    lo, hi = min(finite), max(finite)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * Decimal("0.05")
    lo, hi = lo - pad, hi + pad
    label_w, row_h = 360, 24
    plot_w = width - label_w - 10

    def x(value: Decimal) -> float:
        value = min(max(value, lo), hi)
        return label_w + float((value - lo) / (hi - lo)) * plot_w

    parts = [
        f'<svg class="fc-chart" role="img" aria-label="Figures as ranges" width="{width}" '
        f'height="{row_h * len(rows) + 30}" viewBox="0 0 {width} {row_h * len(rows) + 30}">'
    ]
    for i, row in enumerate(rows):
        y = 10 + i * row_h
        colour = "#c0392b" if row.in_conflict else "#2c6e9b"
        label = escape(f"{row.who}: {row.figure.quoted_text}"[:56])
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{label}</text>')
        x1, x2 = x(row.low), x(row.high)
        if abs(x2 - x1) < 3:
            parts.append(f'<circle cx="{x1:.1f}" cy="{y + 10}" r="5" fill="{colour}"/>')
        else:
            parts.append(f'<rect x="{x1:.1f}" y="{y + 4}" width="{x2 - x1:.1f}" height="12" rx="3" fill="{colour}"/>')
    axis_y = 10 + len(rows) * row_h + 4
    parts.append(f'<line x1="{label_w}" y1="{axis_y}" x2="{width - 10}" y2="{axis_y}" stroke="#666"/>')
    for value, anchor in ((lo + pad, "start"), (hi - pad, "end")):
        parts.append(
            f'<text x="{x(value):.1f}" y="{axis_y + 14}" font-size="11" '
            f'text-anchor="{anchor}">{value.normalize():,f}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
