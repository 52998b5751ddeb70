"""A measure's figures side by side for reviewers: who says what, which pairs conflict, a range chart.

Conflict marking here is for display in the admin only: two non-deprecated figures in the
measure's unit, comparable in time, whose intervals (approximate ones widened by
FACTCHECK_APPROXIMATE_TOLERANCE) do not overlap. The cached `Measure.conflict_state` (kept by
the services) stays the authority on whether a measure is disputed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe

from claims.choices import Qualifier, Rank

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
    appearance = figure.appearance
    article = appearance.article
    parts = [str(article.outlet) if article.outlet_id else str(article)]
    if appearance.attributed_to_id:
        parts.append(f"citing {appearance.attributed_to}")
    return ", ".join(parts)


def _interval(figure) -> tuple[Decimal, Decimal]:
    low = figure.low if figure.low is not None else -INF
    high = figure.high if figure.high is not None else INF
    if figure.qualifier == Qualifier.AT_LEAST:
        high = INF
    elif figure.qualifier == Qualifier.AT_MOST:
        low = -INF
    if figure.qualifier == Qualifier.APPROXIMATE:
        tolerance = Decimal(str(settings.FACTCHECK_APPROXIMATE_TOLERANCE))
        if low.is_finite():
            low -= abs(low) * tolerance
        if high.is_finite():
            high += abs(high) * tolerance
    return low, high


def figure_rows(measure, figures) -> tuple[list[FigureRow], list[tuple[FigureRow, FigureRow]]]:
    """Rows for the table and chart, and the conflicting pairs."""
    rows = []
    for figure in figures:
        low, high = _interval(figure)
        comparable = figure.unit == measure.unit and figure.rank != Rank.DEPRECATED
        rows.append(FigureRow(figure=figure, who=_who(figure), low=low, high=high, comparable=comparable))
    window = measure.comparison_window_days
    pairs = []
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            if not (a.comparable and b.comparable):
                continue
            ta, tb = a.figure.point_in_time, b.figure.point_in_time
            if window is not None and ta and tb and abs((ta - tb).days) > window:
                continue
            if a.high < b.low or b.high < a.low:
                pairs.append((a, b))
                a.conflicts_with.append(b.figure.pk)
                b.conflicts_with.append(a.figure.pk)
    return rows, pairs


def range_chart(rows: list[FigureRow], *, width: int = 640) -> str:
    """An inline SVG: one horizontal bar per figure (a dot for an exact value); conflicts in red."""
    finite = [v for row in rows for v in (row.low, row.high) if v.is_finite()]
    if not finite:
        return ""
    lo, hi = min(finite), max(finite)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * Decimal("0.05")
    lo, hi = lo - pad, hi + pad
    label_w, row_h = 220, 24
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
        colour = "#c0392b" if row.in_conflict else ("#999" if not row.comparable else "#2c6e9b")
        label = escape(f"{row.who}: {row.figure.quoted_text}"[:60])
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
            f'<text x="{x(value):.1f}" y="{axis_y + 14}" font-size="11" text-anchor="{anchor}">{value.normalize():,f}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
