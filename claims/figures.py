"""Numeric figures: read what sources say ("15-18 million"), convert units, detect conflicts.

Plain functions over plain data (no ORM, no database) so the rules are unit-tested on their own and
shared by the admin, the API, the reader site and claim extraction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext

from claims.choices import ConflictState, Qualifier, Rank


class FigureParseError(ValueError):
    """The text holds no single figure we can read; the message says why, for form errors."""


class UnitConversionError(ValueError):
    """Two units measure different things (km vs years, USD vs EUR: no exchange rates)."""


# --- Units ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    code: str
    label: str
    dimension: str  # only units of one dimension convert into each other
    factor: Decimal  # multiply by this to get the dimension's base unit
    symbol: str = ""  # money: written before the number ("$1.2 billion")
    suffix: str = ""  # written after the number ("46.4%", "43 km")


_CURRENCIES = (
    ("USD", "US dollars", "$"),
    ("EUR", "Euros", "€"),
    ("GBP", "Pounds sterling", "£"),
    ("JPY", "Japanese yen", "¥"),
    ("CHF", "Swiss francs", ""),
    ("CNY", "Chinese yuan", ""),
    ("RUB", "Russian roubles", "₽"),
    ("TRY", "Turkish lira", "₺"),
    ("INR", "Indian rupees", "₹"),
    ("ILS", "Israeli shekels", "₪"),
    ("AZN", "Azerbaijani manat", "₼"),
    ("AMD", "Armenian dram", "֏"),
    ("IRR", "Iranian rials", ""),
    ("PKR", "Pakistani rupees", ""),
)

UNITS: dict[str, Unit] = {
    unit.code: unit
    for unit in (
        Unit("count", "Count", "count", Decimal(1)),
        Unit("people", "People", "count", Decimal(1), suffix=" people"),
        Unit("percent", "Per cent", "percent", Decimal(1), suffix="%"),
        Unit("m", "Metres", "length", Decimal(1), suffix=" m"),
        Unit("km", "Kilometres", "length", Decimal(1000), suffix=" km"),
        Unit("mi", "Miles", "length", Decimal("1609.344"), suffix=" mi"),
        Unit("day", "Days", "duration", Decimal(1), suffix=" days"),
        Unit("week", "Weeks", "duration", Decimal(7), suffix=" weeks"),
        Unit("month", "Months", "duration", Decimal("30.436875"), suffix=" months"),
        Unit("year", "Years", "duration", Decimal("365.2425"), suffix=" years"),
        *(
            Unit(code, label, f"money:{code}", Decimal(1), symbol=symbol, suffix="" if symbol else f" {code}")
            for code, label, symbol in _CURRENCIES
        ),
    )
}

UNIT_CHOICES: list[tuple[str, str]] = [(unit.code, unit.label) for unit in UNITS.values()]


def is_known_unit(code: str) -> bool:
    return code in UNITS


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Convert between units of one dimension; refuse across dimensions rather than guess."""
    if from_unit == to_unit:
        return value
    try:
        source, target = UNITS[from_unit], UNITS[to_unit]
    except KeyError as error:
        raise UnitConversionError(f"unknown unit {error.args[0]!r}") from None
    if source.dimension != target.dimension:
        raise UnitConversionError(f"cannot convert {source.label.lower()} to {target.label.lower()}")
    return value * source.factor / target.factor


# --- Parsing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedFigure:
    low: Decimal | None
    high: Decimal | None
    qualifier: str
    unit: str
    text: str

    def display(self) -> str:
        return format_interval(self.low, self.high, self.qualifier, self.unit)


@dataclass(frozen=True)
class FoundFigure:
    """A figure mention inside free text; start/end index the original string."""

    start: int
    end: int
    text: str
    figure: ParsedFigure


_QUALIFIER_WORDS = {
    Qualifier.APPROXIMATE: (
        "approximately", "approximate", "approx.", "approx", "about", "around", "roughly",
        "close to", "nearly", "almost", "some", "circa", "ca.", "c.", "an estimated",
        "estimated", "est.", "~", "≈", "rund", "etwa", "knapp", "zirka",
    ),
    Qualifier.AT_LEAST: (
        "more than", "over", "at least", "upwards of", "in excess of", "greater than",
        "no fewer than", "no less than", "not less than", "above", "well over", "just over",
        "exceeding", "a minimum of", "≥", ">", "mehr als", "über", "mindestens",
    ),
    Qualifier.AT_MOST: (
        "fewer than", "less than", "up to", "at most", "under", "below", "no more than",
        "not more than", "as many as", "a maximum of", "just under", "well under", "≤", "<",
        "weniger als", "bis zu", "höchstens",
    ),
}  # fmt: skip
_SUFFIX_QUALIFIERS = {
    "or more": Qualifier.AT_LEAST, "or above": Qualifier.AT_LEAST, "or over": Qualifier.AT_LEAST,
    "+": Qualifier.AT_LEAST, "or less": Qualifier.AT_MOST, "or fewer": Qualifier.AT_MOST,
    "or under": Qualifier.AT_MOST, "or so": Qualifier.APPROXIMATE,
}  # fmt: skip
# "m" is million ("15-18m", "£40m"), as in news copy; metres must be written out ("800 metres").
_SCALES = {
    "hundred": 100, "dozen": 12, "thousand": 10**3, "k": 10**3, "tsd.": 10**3, "tsd": 10**3,
    "tausend": 10**3, "lakh": 10**5, "crore": 10**7, "million": 10**6, "millions": 10**6,
    "millionen": 10**6, "mn": 10**6, "mln": 10**6, "mio.": 10**6, "mio": 10**6, "m": 10**6,
    "billion": 10**9, "billions": 10**9, "bn": 10**9, "b": 10**9, "mrd.": 10**9, "mrd": 10**9,
    "milliarde": 10**9, "milliarden": 10**9, "trillion": 10**12, "tn": 10**12,
}  # fmt: skip
_UNIT_WORDS = {
    "%": "percent", "per cent": "percent", "percent": "percent", "pct": "percent",
    "prozent": "percent", "km": "km", "kms": "km", "kilometre": "km", "kilometres": "km",
    "kilometer": "km", "kilometers": "km", "metre": "m", "metres": "m", "meter": "m",
    "meters": "m", "mile": "mi", "miles": "mi", "mi": "mi", "day": "day", "days": "day",
    "week": "week", "weeks": "week", "month": "month", "months": "month", "year": "year",
    "years": "year", "yr": "year", "yrs": "year", "people": "people", "persons": "people",
    "inhabitants": "people", "residents": "people", "dollars": "USD", "dollar": "USD",
    "us dollars": "USD", "euros": "EUR", "euro": "EUR", "pounds sterling": "GBP",
    "manat": "AZN", "rials": "IRR", "rial": "IRR", "roubles": "RUB", "rubles": "RUB",
    "shekels": "ILS", "lira": "TRY",
    **{code.lower(): code for code, _label, _symbol in _CURRENCIES if code != "TRY"},  # "try"!
}  # fmt: skip
_CURRENCY_PREFIXES = {"us$": "USD", **{s: c for c, _l, s in _CURRENCIES if s}}
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"


def _alternation(words: Iterable[str], *, word_end: bool = True) -> str:
    """Longest first, so 'approximately' wins over 'approximate'; words must end at a word end."""
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        pattern = re.escape(word).replace(r"\ ", r"\s+")
        parts.append(pattern + (r"(?![^\W\d_])" if word_end and word[-1].isalpha() else ""))
    return "(?:" + "|".join(parts) + ")"


_QUALIFIER_LOOKUP = {w: q for q, words in _QUALIFIER_WORDS.items() for w in words}
_NUMBER = r"""(?:
    \d{1,3}(?:,\d{3})+(?:\.\d+)?           # 1,000,000.5
  | \d{1,3}(?:\.\d{3}){2,}(?:,\d+)?        # 1.000.000,5
  | \d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?   # 1 000 000
  | \d+(?:[.,]\d+)?                        # 10.5 / 1,5
)(?!\d)(?![.,:]\d)"""
_CURRENCY = (
    r"(?:" + _alternation(_CURRENCY_PREFIXES, word_end=False) + r"|(?:"
    + "|".join(c for c, _l, _s in _CURRENCIES) + r")(?=\s?\d))"
)  # fmt: skip
_FIGURE_RE = re.compile(
    rf"""
    (?<![\w$€£¥₽₺₹₪₼֏.,])
    (?:(?P<qual>{_alternation(_QUALIFIER_LOOKUP)})\s*)?
    (?:(?P<between>between)\s+|from\s+)?
    (?:(?P<cur1>{_CURRENCY})\s*)?
    (?P<num1>{_NUMBER}|(?:an?|one)(?=\s+(?:dozen|hundred|thousand|million|billion|trillion)\b))
    (?:\s*(?P<scale1>{_alternation(_SCALES)}))?
    (?:\s*(?(between)and|(?:-|to(?![^\W\d_])))\s*
        (?:{_CURRENCY}\s*)?
        (?P<num2>{_NUMBER})
        (?:\s*(?P<scale2>{_alternation(_SCALES)}))?
    )?
    (?:\s*-?\s*(?P<unit>{_alternation(_UNIT_WORDS)}))?
    (?:\s*(?P<suffix>{_alternation(_SUFFIX_QUALIFIERS)}))?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"})
_SPACES = str.maketrans({c: " " for c in "\u00a0\u202f\u2009\u2007"})


def _normalise(text: str) -> str:
    """Same length as the input (spans stay valid): unify dashes and odd spaces."""
    return text.translate(_DASHES).translate(_SPACES)


def _to_decimal(token: str) -> Decimal:
    """Read one number token, telling thousands separators from decimal commas."""
    if token.lower() in ("a", "an", "one"):
        return Decimal(1)
    digits = token.replace(" ", "")
    if "," in digits and "." in digits:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        digits = digits.replace(thousands, "").replace(decimal_mark, ".")
    elif digits.count(",") > 1 or re.fullmatch(r"\d{1,3},\d{3}", digits):
        digits = digits.replace(",", "")
    elif "," in digits:
        digits = digits.replace(",", ".")  # German decimal comma: "1,5 Mio."
    elif digits.count(".") > 1:
        digits = digits.replace(".", "")
    return Decimal(digits)


# Figures are stored as numeric(24, 6): anything from 10^18 up cannot be recorded.
MAX_MAGNITUDE = Decimal(10) ** 18


def _tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (1.5E+7 -> 15000000)."""
    if abs(value) >= MAX_MAGNITUDE:
        raise FigureParseError(f"{value:.3g} is too large to record (figures stay below 10^18)")
    value = value.normalize()
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value


def _scale(word: str | None) -> int:
    return _SCALES[word.lower()] if word else 1


def _figure_from_match(match: re.Match, original: str) -> ParsedFigure:
    text = original[match.start() : match.end()].strip()
    first = _to_decimal(match["num1"])
    scale1, scale2 = match["scale1"], match["scale2"]
    if match["num2"] is None:
        low = high = _tidy(first * _scale(scale1))
        qualifier = Qualifier.EXACT
    else:
        second = _to_decimal(match["num2"])
        # "15-18 million": the scale written once covers both ends, unless the first number
        # is written out in full and would otherwise pass the second ("between 500 and 1 million").
        if scale1 is None and scale2 and (first <= second or first < 100):
            scale1 = scale2
        low, high = _tidy(first * _scale(scale1)), _tidy(second * _scale(scale2 or scale1))
        if low > high:
            raise FigureParseError(f"the range in {text!r} runs backwards (low above high)")
        qualifier = Qualifier.RANGE if low != high else Qualifier.EXACT
    written = match["qual"] or match["suffix"]
    if written:
        key = re.sub(r"\s+", " ", written.lower())
        stated = _QUALIFIER_LOOKUP.get(key) or _SUFFIX_QUALIFIERS[key]
        if stated == Qualifier.AT_LEAST:
            high, qualifier = None, stated
        elif stated == Qualifier.AT_MOST:
            low, qualifier = None, stated
        else:
            qualifier = stated  # an approximate range keeps both bounds and widens both
    unit = "count"
    if match["cur1"]:
        cur = match["cur1"].strip().lower()
        unit = _CURRENCY_PREFIXES.get(cur) or cur.upper()
    elif match["unit"]:
        unit = _UNIT_WORDS[re.sub(r"\s+", " ", match["unit"].lower())]
    return ParsedFigure(low=low, high=high, qualifier=str(qualifier), unit=unit, text=text)


def parse_figure(text: str) -> ParsedFigure:
    """Read one figure as a reviewer quotes it: "close to 15 million", "43-km", "$1.2bn"."""
    stripped = (text or "").strip()
    if not stripped:
        raise FigureParseError("the figure text is empty")
    matches = list(_FIGURE_RE.finditer(_normalise(stripped)))
    if not matches:
        raise FigureParseError(f"no number found in {stripped!r}")
    if len(matches) > 1:
        found = ", ".join(repr(m.group().strip()) for m in matches)
        raise FigureParseError(f"more than one figure in {stripped!r} ({found}); quote one figure or one range")
    return _figure_from_match(matches[0], stripped)


def _looks_like_a_date(match: re.Match, text: str) -> bool:
    """Bare years ("in 2021", "1988-94") and days of months ("March 5") are dates, not figures."""
    if match["qual"] or match["cur1"] or match["scale1"] or match["scale2"] or match["unit"]:
        return False
    token = match["num1"]
    if re.fullmatch(r"\d{4}", token) and 1000 <= int(token) <= 2100:
        return True
    before = text[max(0, match.start() - 12) : match.start()]
    after = text[match.end() : match.end() + 12]
    return bool(
        re.search(rf"\b(?:{_MONTHS})[a-z]*\.?\s+$", before, re.IGNORECASE)
        or re.match(rf"\s+(?:{_MONTHS})[a-z]*\b", after, re.IGNORECASE)
    )


def find_figures(text: str) -> list[FoundFigure]:
    """Every readable figure mention in free text, with its span, skipping dates and model
    numbers ("Arash-2", "1980s", "5th")."""
    normalised = _normalise(text)
    found = []
    for match in _FIGURE_RE.finditer(normalised):
        start, end = match.start(), match.end()
        while end > start and normalised[end - 1].isspace():
            end -= 1
        if re.search(r"(?:\w-|[:/])$", normalised[max(0, start - 2) : start]):
            continue  # "Arash-2", "2026-03-09", "10:30", "1/2"
        if end < len(normalised) and (normalised[end].isalnum() or normalised[end] in "-/"):
            continue
        if _looks_like_a_date(match, normalised):
            continue
        try:
            figure = _figure_from_match(match, text)
        except FigureParseError:
            continue
        found.append(FoundFigure(start=start, end=end, text=text[start:end], figure=figure))
    return found


# --- A figure's fields: read from its quoted text, checked against its qualifier --------------


class FigureFieldsError(ValueError):
    """Fields of a figure that contradict each other: {field name: message}, for form errors."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class FigureFields:
    low: Decimal | None
    high: Decimal | None
    qualifier: str
    unit: str
    read_from: ParsedFigure | None = None  # set when the bounds were read from the quoted text


_QUALIFIER_NAMES = {
    Qualifier.EXACT: "Exact",
    Qualifier.APPROXIMATE: "Approximate",
    Qualifier.AT_LEAST: "At least",
    Qualifier.AT_MOST: "At most",
    Qualifier.RANGE: "A range",
}


def settle_figure_fields(
    *,
    quoted_text: str,
    low: Decimal | None,
    high: Decimal | None,
    qualifier: str | None,
    unit: str | None,
    measure_unit: str,
) -> FigureFields:
    """The one rule for a figure's bounds, used by the services, the admin and the API.

    Without bounds, they are read from the quoted text ("about 10.4 million" -> 10,400,000 both
    ends, approximate), with its qualifier (unless another was chosen) and unit (a bare number is
    in the measure's unit). Then the qualifier must agree with the bounds: exact and approximate
    name a value (one bound given is that value, so "about 10.4 million" never reads as "at least
    10.4 million"; exact, the default, with two different bounds is a range), at least takes only
    a low bound, at most only a high one, a range two different ones. Raises FigureFieldsError
    naming the field."""
    chosen = qualifier or Qualifier.EXACT
    parsed = None
    if low is None and high is None:
        try:
            parsed = parse_figure(quoted_text)
        except FigureParseError as error:
            raise FigureFieldsError(
                {"low": f"Give at least one bound (low, high, or both), or quote a figure that can be read: {error}."}
            ) from None
        low, high = parsed.low, parsed.high
        if chosen == Qualifier.EXACT:
            chosen = parsed.qualifier
        elif chosen == Qualifier.AT_LEAST:
            high = None
        elif chosen == Qualifier.AT_MOST:
            low = None
        if not unit:
            unit = parsed.unit if parsed.unit != "count" else measure_unit
    unit = unit or measure_unit
    name = _QUALIFIER_NAMES.get(chosen, chosen)
    if low is not None and high is not None and low > high:
        raise FigureFieldsError({"high": "The upper bound must not be below the lower bound."})
    if chosen in (Qualifier.EXACT, Qualifier.APPROXIMATE):
        if low is None or high is None:
            low = high = low if low is not None else high
        elif chosen == Qualifier.EXACT and low != high:
            chosen = Qualifier.RANGE  # "exact" is the default: two different bounds say a range
    elif chosen == Qualifier.AT_LEAST and (low is None or high is not None):
        raise FigureFieldsError(
            {"qualifier": f"{name} takes a low bound only: give low and leave high empty, or choose range."}
        )
    elif chosen == Qualifier.AT_MOST and (high is None or low is not None):
        raise FigureFieldsError(
            {"qualifier": f"{name} takes a high bound only: give high and leave low empty, or choose range."}
        )
    elif chosen == Qualifier.RANGE and (low is None or high is None or low == high):
        raise FigureFieldsError(
            {"qualifier": f"{name} needs two different bounds, low and high: or choose exact, at least or at most."}
        )
    return FigureFields(low=low, high=high, qualifier=str(chosen), unit=unit, read_from=parsed)


# --- Display -------------------------------------------------------------------------------------

# Each scale is worded as a whole phrase around the number, so a language can put its word first.
_DISPLAY_SCALES = (
    (Decimal(10**12), lambda number: gettext("%(number)s trillion") % {"number": number}),
    (Decimal(10**9), lambda number: gettext("%(number)s billion") % {"number": number}),
    (Decimal(10**6), lambda number: gettext("%(number)s million") % {"number": number}),
)


def format_amount(value: Decimal) -> str:
    """Full digits with thousands separators: 15000000 -> "15,000,000", 10.50 -> "10.5". The same
    in every language: conflict reasons built from it are stored with the measure."""
    return format(_tidy(value), ",f")


def _local_amount(value: Decimal) -> str:
    """`format_amount` in the reader's number conventions (Django's locale formats)."""
    return number_format(_tidy(value), use_l10n=True, force_grouping=True)


def _unit_text(number: str, unit: str) -> str:
    info = UNITS.get(unit)
    if info is None:
        return f"{number} {unit}"
    if info.symbol:
        return f"{info.symbol}{number}"
    suffix = info.suffix
    if info.dimension == "duration" and number in ("1", "one"):
        suffix = suffix.rstrip("s")
    return f"{number}{suffix}"


def format_interval(low: Decimal | None, high: Decimal | None, qualifier: str, unit: str = "count") -> str:
    """How readers see a figure: "15–18 million", "about 10.5 million", "46.4%", "up to 5,000"."""
    bounds = [b for b in (low, high) if b is not None]
    if not bounds:
        return gettext("unknown")
    scaled, divisor = None, Decimal(1)
    for threshold, wording in _DISPLAY_SCALES:
        if max(abs(b) for b in bounds) >= threshold and all(
            _tidy(b / threshold).as_tuple().exponent >= -3 for b in bounds
        ):
            scaled, divisor = wording, threshold
            break
    low_text, high_text = (None if b is None else _local_amount(b / divisor) for b in (low, high))
    if low_text and high_text and low_text != high_text:
        number = f"{low_text}–{high_text}"
    else:
        number = low_text or high_text
    body = _unit_text(scaled(number) if scaled else number, unit)
    phrase = {
        Qualifier.APPROXIMATE: gettext("about %(amount)s"),
        Qualifier.AT_LEAST: gettext("at least %(amount)s"),
        Qualifier.AT_MOST: gettext("up to %(amount)s"),
    }.get(qualifier, "%(amount)s")
    return phrase % {"amount": body}


# --- Conflicts -----------------------------------------------------------------------------------


@dataclass
class FigureForComparison:
    id: Any
    source_label: str
    low: Decimal | None
    high: Decimal | None
    qualifier: str
    unit: str
    point_in_time: date | None = None
    rank: str = Rank.NORMAL


@dataclass
class MeasureAssessment:
    state: str
    conflicting_pairs: list[tuple[Any, Any, str]] = field(default_factory=list)
    # largest over smallest representative value (see _representative); None below two figures
    spread: Decimal | None = None
    sources: int = 0
    # id -> comparison interval in the measure's unit (None = unbounded): the range chart's bars
    intervals: dict[Any, tuple[Decimal | None, Decimal | None]] = field(default_factory=dict)
    # figures left out because their unit cannot be converted to the measure's: (id, reason)
    skipped: list[tuple[Any, str]] = field(default_factory=list)


def comparison_interval(
    fig: FigureForComparison, *, measure_unit: str, tolerance: Decimal
) -> tuple[Decimal | None, Decimal | None]:
    """The values a figure allows, in the measure's unit; approximate ones widen by ±tolerance
    (a fraction: Decimal("0.05") is ±5%) and open bounds (at least / at most) become None."""
    low = None if fig.low is None else convert(fig.low, fig.unit, measure_unit)
    high = None if fig.high is None else convert(fig.high, fig.unit, measure_unit)
    if fig.qualifier == Qualifier.AT_LEAST:
        high = None
    elif fig.qualifier == Qualifier.AT_MOST:
        low = None
    if low is None and high is None:
        raise ValueError(f"figure {fig.id!r} has no bound")
    if fig.qualifier == Qualifier.APPROXIMATE:
        low = None if low is None else low - abs(low) * tolerance
        high = None if high is None else high + abs(high) * tolerance
    return low, high


def intervals_overlap(a: tuple[Decimal | None, Decimal | None], b: tuple[Decimal | None, Decimal | None]) -> bool:
    """Closed intervals, None meaning unbounded on that side; touching ends count as overlap."""
    (a_low, a_high), (b_low, b_high) = a, b
    return (a_low is None or b_high is None or a_low <= b_high) and (b_low is None or a_high is None or b_low <= a_high)


def _comparable_in_time(a: FigureForComparison, b: FigureForComparison, window_days: int | None) -> bool:
    if window_days is None or a.point_in_time is None or b.point_in_time is None:
        return True
    return abs((a.point_in_time - b.point_in_time).days) <= window_days


def _representative(fig: FigureForComparison, measure_unit: str) -> Decimal:
    """One value per figure for the spread: the midpoint of its finite bounds, unwidened."""
    bounds = [convert(b, fig.unit, measure_unit) for b in (fig.low, fig.high) if b is not None]
    if fig.qualifier == Qualifier.AT_LEAST:
        bounds = bounds[:1]
    elif fig.qualifier == Qualifier.AT_MOST:
        bounds = bounds[-1:]
    return sum(bounds, Decimal(0)) / len(bounds)


def _describe(fig: FigureForComparison, measure_unit: str, tolerance: Decimal) -> str:
    """Machine-plain bounds for conflict reasons: "15,000,000–18,000,000 (±5%)"."""
    low = None if fig.low is None else format_amount(convert(fig.low, fig.unit, measure_unit))
    high = None if fig.high is None else format_amount(convert(fig.high, fig.unit, measure_unit))
    if fig.qualifier == Qualifier.AT_LEAST or high is None:
        text = f"≥{low}"
    elif fig.qualifier == Qualifier.AT_MOST or low is None:
        text = f"≤{high}"
    else:
        text = low if low == high else f"{low}–{high}"
    unit = UNITS.get(measure_unit)
    if unit and unit.symbol:
        text = unit.symbol + text
    elif unit and unit.dimension != "count":
        text += unit.suffix
    if fig.qualifier == Qualifier.APPROXIMATE:
        text += f" (±{format_amount(tolerance * 100)}%)"
    return text


def assess_measure(
    figures: Iterable[FigureForComparison],
    *,
    measure_unit: str,
    tolerance: Decimal,
    window_days: int | None,
) -> MeasureAssessment:
    """Agreement state of one measure's figures. Deprecated figures are ignored; two figures are
    compared only when their dates are within window_days (undated figures compare with all)."""
    live = [f for f in figures if f.rank != Rank.DEPRECATED]
    assessment = MeasureAssessment(state=ConflictState.NO_FIGURES.value)
    usable = []
    for fig in live:
        try:
            assessment.intervals[fig.id] = comparison_interval(fig, measure_unit=measure_unit, tolerance=tolerance)
        except ValueError as error:  # UnitConversionError or a figure without bounds
            assessment.skipped.append((fig.id, str(error)))
            continue
        usable.append(fig)
    if not usable:
        return assessment
    assessment.sources = len({f.source_label for f in usable})
    values = [_representative(f, measure_unit) for f in usable]
    if len(values) >= 2 and min(values) > 0:
        assessment.spread = max(values) / min(values)
    for i, first in enumerate(usable):
        for second in usable[i + 1 :]:
            if not _comparable_in_time(first, second, window_days):
                continue
            if not intervals_overlap(assessment.intervals[first.id], assessment.intervals[second.id]):
                reason = (
                    f"{_describe(first, measure_unit, tolerance)} vs "
                    f"{_describe(second, measure_unit, tolerance)}: no overlap"
                )
                assessment.conflicting_pairs.append((first.id, second.id, reason))
    if assessment.sources == 1:
        assessment.state = ConflictState.SINGLE_SOURCE.value
    elif assessment.conflicting_pairs:
        assessment.state = ConflictState.DISPUTED.value
    else:
        assessment.state = ConflictState.CONSISTENT.value
    return assessment
