"""Template filters for the admin's figure tables."""

from django import template

from claims.figures import format_interval

register = template.Library()


@register.filter
def figure_reads_as(figure) -> str:
    """A figure as readers see it ("about 15–18 million"), instead of raw decimals."""
    try:
        return format_interval(figure.low, figure.high, figure.qualifier, figure.unit)
    except (ValueError, ArithmeticError):
        return f"{figure.low}–{figure.high} {figure.unit}"
