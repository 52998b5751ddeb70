"""A measure's figures side by side for reviewers: who says what, which pairs conflict, a range chart.

Conflicts come from `claims.figures.assess_measure` (units converted, approximate figures widened
by FACTCHECK_APPROXIMATE_TOLERANCE, dates compared within the measure's window), run over *all*
the measure's figures, unpublished ones included: reviewers see conflicts before readers do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from claims import charts
from claims.charts import RangeRow
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
        return gettext("Unattributed, in %(where)s") % {"where": where}
    return (
        str(sayer)
        if sayer.pk == article.outlet_id
        else gettext("%(sayer)s, in %(where)s") % {"sayer": sayer, "where": where}
    )


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


def range_chart(measure, rows: list[FigureRow]) -> SafeString:
    """The reader's range chart over the comparable figures, bounds in the measure's unit (widened
    as compared); deprecated figures and those in an unconvertible unit are left out of it."""
    return charts.range_chart(
        [
            RangeRow(
                label=row.who,
                detail=f"“{row.figure.quoted_text}”",
                low=row.low if row.low.is_finite() else None,
                high=row.high if row.high.is_finite() else None,
                in_conflict=row.in_conflict,
            )
            for row in rows
            if row.comparable
        ],
        unit=measure.unit,
        title=gettext("Figures given for: %(measure)s") % {"measure": measure.name},
    )
