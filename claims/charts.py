"""Inline SVG charts for the reader site, as plain functions over plain data.

Each builder returns escaped markup (a SafeString) that scales with its container through a
`viewBox`; every chart has a <title>/<desc>, and the page always shows the same numbers as text
(a table or a list), so neither the picture nor its colours are the only way to read them.
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi, gettext, ngettext, pgettext

WIDTH = 400
PAD = 10
INK = "#1f2328"
MUTED = "#59636e"
GRID = "#d0d7de"
BAR = "#2f5c9e"
CONFLICT = "#b42318"
DEPRECATED = "#8c959f"


def _unit_suffix(unit: str) -> str:
    """The unit written after an amount, in the reader's language ("" for people and unknown units)."""
    suffixes = {
        "percent": pgettext("unit after an amount", "%"),
        "km": pgettext("unit after an amount", " km"),
        "m": pgettext("unit after an amount", " m"),
        "year": pgettext("unit after an amount", " years"),
        "usd": pgettext("unit after an amount", " USD"),
    }
    return suffixes.get(unit, "")


def _local_number(digits: str, *, grouped: bool = False) -> str:
    """A number already rounded to the digits it is shown with ("1.55", "15000"), written with the
    reader's decimal and thousands separators (Django's locale formats: "1,55" in Arabic)."""
    return number_format(Decimal(digits), use_l10n=True, force_grouping=grouped)


def format_amount(value, unit: str = "") -> str:
    """A short human reading of a number in a measure's unit, in the reader's language and number
    conventions: 15000000 → "15 million", 46.4 → "46.4%", 12000 → "12,000"."""
    if value is None:
        return "?"
    number = float(value)
    magnitude = abs(number)
    if magnitude >= 1e9:
        text = gettext("%(number)s billion") % {"number": _local_number(f"{number / 1e9:.3g}")}
    elif magnitude >= 1e6:
        text = gettext("%(number)s million") % {"number": _local_number(f"{number / 1e6:.3g}")}
    elif magnitude >= 1e4:
        text = _local_number(f"{number:.0f}", grouped=True)
    else:
        text = _local_number(f"{number:.4g}" if number != int(number) else f"{int(number)}")
    return text + _unit_suffix(unit)


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round tick values (1, 2, 5 × 10^k steps) covering [low, high]."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks, value = [], first
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


# How many characters of a range chart's label and detail line fit across the chart. The phone
# stylesheet draws them at 16.5 and 15 units (site.css) in a 380-unit wide area; at roughly 0.6 em
# per character (bold) and 0.55 em that is 38 and 46. A longer text is shortened with "…" and kept
# whole in the row's tooltip (and in the table beside every chart).
LABEL_CHARS = 36
DETAIL_CHARS = 44


def _width(char: str) -> int:
    """Chinese, Japanese and Korean characters are about twice as wide as Latin ones."""
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def fit(text: str, limit: int) -> str:
    """`text`, shortened with "…" to at most `limit` Latin-character widths."""
    if sum(map(_width, text)) <= limit:
        return text
    kept, used = [], 1  # room for the ellipsis
    for char in text:
        used += _width(char)
        if used > limit:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


@dataclass(frozen=True)
class RangeRow:
    """One figure in a range chart. `low`/`high` may be None for open bounds ("at least 15")."""

    label: str
    detail: str
    low: float | Decimal | None
    high: float | Decimal | None
    in_conflict: bool = False
    highlighted: bool = False
    deprecated: bool = False


def range_chart(rows: list[RangeRow], *, unit: str = "", title: str = "Figures") -> SafeString:
    """Horizontal range bars, one per figure, on one shared axis; conflicting figures are drawn
    dashed in red and labelled "⚠ conflict", the current claim's figure in bold."""
    if not rows:
        return mark_safe("")
    values = [float(v) for row in rows for v in (row.low, row.high) if v is not None]
    ticks = nice_ticks(min(0.0, min(values)), max(values))
    lo, hi = ticks[0], ticks[-1]
    span = (hi - lo) or 1.0
    inner = WIDTH - 2 * PAD

    def x(value: float) -> float:
        return round(PAD + (value - lo) / span * inner, 1)

    # The number axis reads left to right in every language (as right-to-left publications print
    # numeric axes; the <svg> says direction="ltr"); the labels follow the page: in a right-to-left
    # page they start at the right edge and run leftwards.
    rtl = get_language_bidi()
    label_x, label_direction = (WIDTH - PAD, mark_safe(' direction="rtl"')) if rtl else (PAD, mark_safe(""))
    row_height, top = 60, 4
    height = top + row_height * len(rows) + 26
    parts = []
    axis_y = top + row_height * len(rows) + 2
    for tick in ticks:
        parts.append(
            format_html(
                '<line x1="{0}" x2="{0}" y1="{1}" y2="{2}" stroke="{3}" stroke-width="1"/>'
                '<text class="tick" x="{0}" y="{4}" font-size="12" fill="{5}" text-anchor="{6}">{7}</text>',
                x(tick),
                top,
                axis_y,
                GRID,
                axis_y + 17,
                MUTED,
                "start" if tick == lo else "end" if tick == hi else "middle",
                format_amount(tick, unit),
            )
        )
    halo = mark_safe('paint-order="stroke" stroke="#fff" stroke-width="4" stroke-linejoin="round"')
    for index, row in enumerate(rows):
        y = top + index * row_height
        colour = CONFLICT if row.in_conflict else DEPRECATED if row.deprecated else BAR
        marker = "⚠ " if row.in_conflict else ""
        suffix = gettext(" (this claim)") if row.highlighted else ""
        label = fit(row.label, LABEL_CHARS - len(marker) - len(suffix))
        parts.append(
            format_html(
                '<g><title>{11}</title><text class="label" x="{0}" y="{1}" font-size="14" font-weight="{2}" fill="{3}"'
                " {4}{12}>{5}{6}{7}</text>"
                '<text class="detail" x="{0}" y="{8}" font-size="12.5" fill="{9}" {4}{12}>{10}</text></g>',
                label_x,
                y + 15,
                "700" if row.highlighted else "600",
                CONFLICT if row.in_conflict else INK,
                halo,
                marker,
                label,
                suffix,
                y + 33,
                MUTED,
                fit(row.detail, DETAIL_CHARS),
                f"{row.label}{suffix}: {row.detail}",
                label_direction,
            )
        )
        bar_y = y + 41
        low = float(row.low) if row.low is not None else lo
        high = float(row.high) if row.high is not None else hi
        dash = ' stroke-dasharray="4 2"' if row.in_conflict else ""
        if row.low is not None and row.high is not None and low == high:
            cx, cy = x(low), bar_y + 6
            if row.in_conflict:  # a diamond: conflict is told by shape as well as colour
                parts.append(
                    format_html(
                        '<path d="M{0} {1} l7 7 l-7 7 l-7 -7 z" fill="{2}" stroke="{3}" stroke-width="2"/>',
                        cx,
                        cy - 7,
                        colour,
                        INK if row.highlighted else colour,
                    )
                )
            else:
                parts.append(
                    format_html(
                        '<circle cx="{0}" cy="{1}" r="6" fill="{2}" stroke="{3}" stroke-width="2"/>',
                        cx,
                        cy,
                        colour,
                        INK if row.highlighted else colour,
                    )
                )
        else:
            parts.append(
                format_html(
                    '<rect x="{0}" y="{1}" width="{2}" height="12" rx="3" fill="{3}" fill-opacity="0.85"'
                    ' stroke="{4}" stroke-width="2"{5}/>',
                    x(low),
                    bar_y,
                    max(x(high) - x(low), 3),
                    colour,
                    INK if row.highlighted else colour,
                    mark_safe(dash),
                )
            )
            if row.high is None or row.low is None:  # open bound: an arrow at the open end
                tip = x(hi) if row.high is None else x(lo)
                direction = 1 if row.high is None else -1
                parts.append(
                    format_html(
                        '<path d="M{0} {1} l{2} 6 l{3} 6 z" fill="{4}"/>',
                        tip - 6 * direction,
                        bar_y,
                        6 * direction,
                        -6 * direction,
                        colour,
                    )
                )
    body = mark_safe("".join(parts))
    in_conflict = gettext(" (in conflict)")
    description = "; ".join(f"{row.label}: {row.detail}{in_conflict if row.in_conflict else ''}" for row in rows)
    return format_html(
        '<svg class="chart chart--range" viewBox="0 0 {0} {1}" direction="ltr" role="img" aria-labelledby="{2}-t {2}-d"'
        ' xmlns="http://www.w3.org/2000/svg"><title id="{2}-t">{3}</title><desc id="{2}-d">{4}</desc>{5}</svg>',
        WIDTH,
        height,
        _chart_id(title),
        title,
        description,
        body,
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    colour: str


# Latin-character widths the 112-unit label column holds at 12 px; Arabic-script glyphs run wider
# than fit()'s Latin estimate, so right-to-left labels are cut shorter.
LABEL_CHARACTERS, RTL_LABEL_CHARACTERS = 16, 9


def bar_chart(bars: list[Bar], *, title: str) -> SafeString:
    """Horizontal bars with the label and the count written beside each bar. It has no number axis,
    so on a right-to-left page it mirrors: labels on the right, bars growing leftwards."""
    if not bars:
        return mark_safe("")
    label_width, row_height = 112, 26
    rtl = get_language_bidi()

    def x(position: float) -> float:
        """A left-to-right position, mirrored on right-to-left pages."""
        return round(WIDTH - position, 1) if rtl else round(position, 1)

    # text-anchor counts from the text's own start, the right end of right-to-left text: a label
    # ends at the bar (its left end in a mirrored chart), a count starts after the bar's end.
    label_text = mark_safe('direction="rtl" text-anchor="end"' if rtl else 'text-anchor="end"')
    count_text = mark_safe(' direction="rtl"' if rtl else "")
    most = max((bar.value for bar in bars), default=0) or 1
    available = WIDTH - label_width - 40
    parts = []
    for index, bar in enumerate(bars):
        y = index * row_height + 4
        length = round(bar.value / most * available, 1)
        drawn = max(length, 1 if bar.value else 0)
        parts.append(
            format_html(
                '<text x="{0}" y="{1}" font-size="12" fill="{2}" {10}>{3}</text>'
                '<rect x="{4}" y="{5}" width="{6}" height="16" rx="2" fill="{7}"/>'
                '<text x="{8}" y="{1}" font-size="12" fill="{2}"{11}>{9}</text>',
                x(label_width - 6),
                y + 13,
                INK,
                fit(bar.label, RTL_LABEL_CHARACTERS if rtl else LABEL_CHARACTERS),
                x(label_width + drawn) if rtl else x(label_width),
                y + 1,
                drawn,
                safe_colour(bar.colour),
                x(label_width + length + 6),
                number_format(bar.value, use_l10n=True),
                label_text,
                count_text,
            )
        )
    description = "; ".join(f"{bar.label}: {bar.value}" for bar in bars)
    return format_html(
        '<svg class="chart chart--bars" viewBox="0 0 {0} {1}" direction="ltr" role="img" aria-labelledby="{2}-t {2}-d"'
        ' xmlns="http://www.w3.org/2000/svg"><title id="{2}-t">{3}</title><desc id="{2}-d">{4}</desc>{5}</svg>',
        WIDTH,
        len(bars) * row_height + 8,
        _chart_id(title),
        title,
        description,
        mark_safe("".join(parts)),
    )


def line_chart(points: list[tuple[date, float, int]], *, title: str) -> SafeString:
    """A 0–1 line over time (dates spaced by their real distance), with the end values written out."""
    if len(points) < 2:
        return mark_safe("")
    left, right, top, bottom = 34, WIDTH - 12, 10, 130
    first, last = points[0][0].toordinal(), points[-1][0].toordinal()
    span = (last - first) or 1

    def xy(point):
        when, value, _ = point
        return (
            round(left + (when.toordinal() - first) / span * (right - left), 1),
            round(bottom - value * (bottom - top), 1),
        )

    parts = []
    for value in (0, 0.5, 1):
        y = round(bottom - value * (bottom - top), 1)
        parts.append(
            format_html(
                '<line x1="{0}" x2="{1}" y1="{2}" y2="{2}" stroke="{3}"/>'
                '<text x="{4}" y="{5}" font-size="11" fill="{6}" text-anchor="end">{7}</text>',
                left,
                right,
                y,
                GRID,
                left - 4,
                y + 4,
                MUTED,
                _local_number(f"{value:g}"),
            )
        )
    coordinates = [xy(point) for point in points]
    parts.append(
        format_html(
            '<polyline points="{0}" fill="none" stroke="{1}" stroke-width="2"/>',
            " ".join(f"{px},{py}" for px, py in coordinates),
            BAR,
        )
    )
    for px, py in coordinates:
        parts.append(format_html('<circle cx="{0}" cy="{1}" r="3" fill="{2}"/>', px, py, BAR))
    for point, anchor in ((points[0], "start"), (points[-1], "end")):
        parts.append(
            format_html(
                '<text x="{0}" y="{1}" font-size="11" fill="{2}" text-anchor="{3}">{4}</text>',
                xy(point)[0],
                bottom + 16,
                MUTED,
                anchor,
                date_format(point[0], "YEAR_MONTH_FORMAT"),
            )
        )
    description = "; ".join(
        ngettext("%(when)s: %(value).2f after %(count)d verdict", "%(when)s: %(value).2f after %(count)d verdicts", n)
        % {"when": date_format(when, "YEAR_MONTH_FORMAT"), "value": value, "count": n}
        for when, value, n in points
    )
    return format_html(
        '<svg class="chart chart--line" viewBox="0 0 {0} {1}" direction="ltr" role="img" aria-labelledby="{2}-t {2}-d"'
        ' xmlns="http://www.w3.org/2000/svg"><title id="{2}-t">{3}</title><desc id="{2}-d">{4}</desc>{5}</svg>',
        WIDTH,
        bottom + 24,
        _chart_id(title),
        title,
        description,
        mark_safe("".join(parts)),
    )


def interval_chart(*, low: float, score: float, high: float) -> SafeString:
    """A credibility score on a 0..1 track: its credible interval as a band, the estimate as a tick.
    Drawn in SVG attributes (the CSP forbids inline styles); decorative, the page says it in words."""
    band_x, band_width, tick_x = (round(float(v) * 100, 2) for v in (low, float(high) - float(low), score))
    return format_html(
        '<svg class="interval" viewBox="0 0 100 20" preserveAspectRatio="none" aria-hidden="true"'
        ' focusable="false" xmlns="http://www.w3.org/2000/svg">'
        '<rect class="interval__track" x="0" y="3" width="100" height="14" rx="2"/>'
        '<rect class="interval__band" x="{}" y="3" width="{}" height="14" rx="2"/>'
        '<rect class="interval__dot" x="{}" y="0" width="1.2" height="20" transform="translate(-0.6 0)"/></svg>',
        band_x,
        band_width,
        tick_x,
    )


def _chart_id(title: str) -> str:
    """A stable id per title, so several charts on one page keep their own <title>/<desc>."""
    return "chart-" + hashlib.blake2s(title.encode(), digest_size=4).hexdigest()


def safe_colour(colour: str) -> str:
    """Rating colours are validated by a database constraint; this is a second guard wherever one
    is written into markup or CSS (SVG attributes here, `/ratings.css` in claims/views/styles.py)."""
    colour = colour or ""
    if len(colour) == 7 and colour[0] == "#" and all(ch in "0123456789abcdefABCDEF" for ch in colour[1:]):
        return colour
    return escape(MUTED)
