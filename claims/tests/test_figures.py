"""Figures: parsing, units, intervals and conflict detection. No database needed."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.figures import (
    UNIT_CHOICES,
    UNITS,
    FigureForComparison,
    FigureParseError,
    UnitConversionError,
    assess_measure,
    comparison_interval,
    convert,
    find_figures,
    format_amount,
    format_interval,
    intervals_overlap,
    is_known_unit,
    parse_figure,
)

D = Decimal
M = 10**6
FIVE_PERCENT = D("0.05")

PARSE_TABLE = [
    # text, low, high, qualifier, unit
    ("15-18 million", 15 * M, 18 * M, "range", "count"),
    ("15–18m", 15 * M, 18 * M, "range", "count"),
    ("15—18m", 15 * M, 18 * M, "range", "count"),
    ("15−18m", 15 * M, 18 * M, "range", "count"),
    ("15 to 18 million", 15 * M, 18 * M, "range", "count"),
    ("between 15 and 18 million", 15 * M, 18 * M, "range", "count"),
    ("between 500 and 1 million", 500, M, "range", "count"),
    ("approximate 15-18 million", 15 * M, 18 * M, "approximate", "count"),
    ("close to 15 million", 15 * M, 15 * M, "approximate", "count"),
    ("Close to 15 million", 15 * M, 15 * M, "approximate", "count"),
    ("roughly 10.5 million", D("10500000"), D("10500000"), "approximate", "count"),
    ("approximately 3,000", 3000, 3000, "approximate", "count"),
    ("about 12 million", 12 * M, 12 * M, "approximate", "count"),
    ("around 40", 40, 40, "approximate", "count"),
    ("nearly 2 billion", 2 * 10**9, 2 * 10**9, "approximate", "count"),
    ("almost 7", 7, 7, "approximate", "count"),
    ("more than 10 million", 10 * M, None, "at_least", "count"),
    ("over 3,500", 3500, None, "at_least", "count"),
    ("at least 4", 4, None, "at_least", "count"),
    ("over a dozen", 12, None, "at_least", "count"),
    ("15 million or more", 15 * M, None, "at_least", "count"),
    ("10,000+", 10000, None, "at_least", "count"),
    ("fewer than 5", None, 5, "at_most", "count"),
    ("less than 6 per cent", None, 6, "at_most", "percent"),
    ("up to 5,000", None, 5000, "at_most", "count"),
    ("46.4%", D("46.4"), D("46.4"), "exact", "percent"),
    ("46.4 per cent", D("46.4"), D("46.4"), "exact", "percent"),
    ("46.4 percent", D("46.4"), D("46.4"), "exact", "percent"),
    ("43-km", 43, 43, "exact", "km"),
    ("43 kilometres", 43, 43, "exact", "km"),
    ("43 km", 43, 43, "exact", "km"),
    ("43km", 43, 43, "exact", "km"),
    ("27 miles", 27, 27, "exact", "mi"),
    ("800 metres", 800, 800, "exact", "m"),
    ("99 years", 99, 99, "exact", "year"),
    ("99-year", 99, 99, "exact", "year"),
    ("6 months", 6, 6, "exact", "month"),
    ("450 km", 450, 450, "exact", "km"),
    ("roughly 450 km", 450, 450, "approximate", "km"),
    ("$1.2bn", 1_200_000_000, 1_200_000_000, "exact", "USD"),
    ("US$5m", 5 * M, 5 * M, "exact", "USD"),
    ("USD 3 million", 3 * M, 3 * M, "exact", "USD"),
    ("3 million dollars", 3 * M, 3 * M, "exact", "USD"),
    ("€3 billion", 3 * 10**9, 3 * 10**9, "exact", "EUR"),
    ("£40m", 40 * M, 40 * M, "exact", "GBP"),
    ("2 Mrd. Euro", 2 * 10**9, 2 * 10**9, "exact", "EUR"),
    ("1,5 Mio.", 1_500_000, 1_500_000, "exact", "count"),
    ("rund 1,5 Mio.", 1_500_000, 1_500_000, "approximate", "count"),
    ("2 thousand", 2000, 2000, "exact", "count"),
    ("5k", 5000, 5000, "exact", "count"),
    ("1,000,000", M, M, "exact", "count"),
    ("1 000 000", M, M, "exact", "count"),
    ("1\u00a0000\u00a0000", M, M, "exact", "count"),
    ("1.000.000", M, M, "exact", "count"),
    ("1,000.5", D("1000.5"), D("1000.5"), "exact", "count"),
    ("a dozen", 12, 12, "exact", "count"),
    ("a million", M, M, "exact", "count"),
    ("15 million people", 15 * M, 15 * M, "exact", "people"),
    ("2-3 days", 2, 3, "range", "day"),
]


@pytest.mark.parametrize(("text", "low", "high", "qualifier", "unit"), PARSE_TABLE)
def test_parse_figure_table(text, low, high, qualifier, unit):
    figure = parse_figure(text)
    assert figure.low == (None if low is None else D(low))
    assert figure.high == (None if high is None else D(high))
    assert figure.qualifier == qualifier
    assert figure.unit == unit
    assert is_known_unit(figure.unit)


def test_parse_figure_keeps_only_the_figure_text():
    figure = parse_figure("the approximate 15-18 million Azeris living in Iran")
    assert figure.text == "approximate 15-18 million"
    assert (figure.low, figure.high) == (15 * M, 18 * M)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("many people", "no number found in 'many people'"),
        ("more than the entire population of Azerbaijan", "no number found"),
        ("", "empty"),
        ("   ", "empty"),
        ("15 million and 18 million", "more than one figure"),
        ("18-15 million", "runs backwards"),
    ],
)
def test_parse_figure_errors_say_why(text, reason):
    with pytest.raises(FigureParseError, match=reason):
        parse_figure(text)


def test_figure_parse_error_is_a_value_error():
    assert issubclass(FigureParseError, ValueError)
    assert issubclass(UnitConversionError, ValueError)


# --- finding figures in text ----------------------------------------------------------------------


def test_find_figures_spans_and_skips_dates_and_model_numbers():
    text = (
        "On March 5, 2026 Arash-2 drones hit; since the 1980s and (1988-94) about 15 million "
        "Azeris and 46.4% of imports, at 10:30 on 2026-03-09, over a 43-km road."
    )
    found = find_figures(text)
    assert [f.text for f in found] == ["about 15 million", "46.4%", "43-km"]
    for mention in found:
        assert text[mention.start : mention.end] == mention.text


def test_find_figures_on_the_seed_sentence():
    text = "Close to 15 million Azeris live in north-western Iran, overshadowing Azerbaijan’s own population of roughly 10.5 million."
    found = find_figures(text)
    assert [(f.figure.low, f.figure.qualifier) for f in found] == [
        (15 * M, "approximate"),
        (D("10500000"), "approximate"),
    ]


# --- units ----------------------------------------------------------------------------------------


def test_unit_table_and_choices():
    codes = [code for code, _label in UNIT_CHOICES]
    for code in ("count", "people", "percent", "m", "km", "mi", "day", "week", "month", "year", "USD", "EUR", "GBP"):
        assert code in codes
        assert is_known_unit(code)
    assert not is_known_unit("furlong")
    assert len(codes) == len(set(codes))
    assert all(len(code) <= 16 for code in codes)  # fits Figure.unit


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (D(43), "km", "m", D(43000)),
        (D("1609.344"), "m", "mi", D(1)),
        (D(1), "year", "month", D(12)),
        (D(2), "week", "day", D(14)),
        (D(15), "count", "people", D(15)),
        (D(5), "USD", "USD", D(5)),
    ],
)
def test_convert(value, source, target, expected):
    assert convert(value, source, target) == expected


@pytest.mark.parametrize(("source", "target"), [("km", "year"), ("USD", "EUR"), ("percent", "count"), ("km", "parsec")])
def test_convert_refuses_other_dimensions(source, target):
    with pytest.raises(UnitConversionError):
        convert(D(1), source, target)


# --- display --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "qualifier", "unit", "expected"),
    [
        (15 * M, 18 * M, "range", "count", "15–18 million"),
        (D("10500000"), D("10500000"), "approximate", "count", "about 10.5 million"),
        (D("46.4"), D("46.4"), "exact", "percent", "46.4%"),
        (None, 5000, "at_most", "count", "up to 5,000"),
        (10 * M, None, "at_least", "count", "at least 10 million"),
        (43, 43, "exact", "km", "43 km"),
        (99, 99, "exact", "year", "99 years"),
        (1, 1, "exact", "year", "1 year"),
        (1_200_000_000, 1_200_000_000, "exact", "USD", "$1.2 billion"),
        (D(15234567), D(15234567), "exact", "people", "15,234,567 people"),
    ],
)
def test_format_interval(low, high, qualifier, unit, expected):
    to_decimal = lambda v: None if v is None else D(v)  # noqa: E731
    assert format_interval(to_decimal(low), to_decimal(high), qualifier, unit) == expected


def test_format_amount():
    assert format_amount(D("15000000.00")) == "15,000,000"
    assert format_amount(D("1.5E+7")) == "15,000,000"
    assert format_amount(D("10.50")) == "10.5"


# --- properties -----------------------------------------------------------------------------------

SCALE_WORDS = {"": 1, " thousand": 10**3, "k": 10**3, " million": M, "m": M, " mn": M, " Mio.": M}
SCALE_WORDS |= {" billion": 10**9, "bn": 10**9, " Mrd.": 10**9, " trillion": 10**12, "tn": 10**12}
PREFIXES = {
    "": "exact",
    "about ": "approximate",
    "close to ": "approximate",
    "roughly ": "approximate",
    "more than ": "at_least",
    "at least ": "at_least",
    "fewer than ": "at_most",
    "up to ": "at_most",
}
mantissas = st.decimals(min_value=1, max_value=999, places=1, allow_nan=False, allow_infinity=False)


@given(mantissa=mantissas, scale=st.sampled_from(sorted(SCALE_WORDS)), prefix=st.sampled_from(sorted(PREFIXES)))
def test_parse_round_trip_single(mantissa, scale, prefix):
    text = f"{prefix}{mantissa}{scale}"
    figure = parse_figure(text)
    value = mantissa * SCALE_WORDS[scale]
    qualifier = PREFIXES[prefix]
    assert figure.qualifier == qualifier
    assert figure.low == (None if qualifier == "at_most" else value)
    assert figure.high == (None if qualifier == "at_least" else value)


@given(
    low=st.integers(min_value=1, max_value=500),
    width=st.integers(min_value=1, max_value=500),
    dash=st.sampled_from(["-", "–", "—", "−", " - ", " to "]),
    scale=st.sampled_from(sorted(SCALE_WORDS)),
)
def test_parse_round_trip_range(low, width, dash, scale):
    figure = parse_figure(f"{low}{dash}{low + width}{scale}")
    factor = SCALE_WORDS[scale]
    assert (figure.low, figure.high, figure.qualifier) == (low * factor, (low + width) * factor, "range")


@given(number=st.integers(min_value=1000, max_value=10**12), separator=st.sampled_from([",", " ", "\u00a0", "\u202f"]))
def test_parse_thousands_separators(number, separator):
    text = f"{number:,}".replace(",", separator)
    assert parse_figure(text).low == number


@given(whole=st.integers(min_value=1, max_value=999), fraction=st.integers(min_value=1, max_value=9))
def test_parse_german_decimal_comma(whole, fraction):
    assert parse_figure(f"{whole},{fraction} Mio.").low == D(f"{whole}.{fraction}") * M


bounds = st.decimals(min_value=0, max_value=10**12, places=3, allow_nan=False, allow_infinity=False)


@given(
    low=bounds,
    extra=bounds,
    qualifier=st.sampled_from(["exact", "approximate", "range", "at_least", "at_most"]),
    unit=st.sampled_from(["count", "people", "percent", "km", "mi", "year", "day", "USD", "EUR", "AZN", "TRY"]),
)
def test_format_then_parse_round_trip(low, extra, qualifier, unit):
    high = low if qualifier in ("exact", "approximate") else low + extra
    if qualifier == "range" and extra == 0:
        high = low + 1
    shown_low = None if qualifier == "at_most" else low
    shown_high = None if qualifier == "at_least" else high
    figure = parse_figure(format_interval(shown_low, shown_high, qualifier, unit))
    assert (figure.low, figure.high, figure.qualifier, figure.unit) == (shown_low, shown_high, qualifier, unit)


intervals = st.tuples(st.none() | bounds, st.none() | bounds).map(
    lambda pair: pair if None in pair else tuple(sorted(pair))
)


@given(a=intervals, b=intervals)
def test_overlap_is_symmetric(a, b):
    assert intervals_overlap(a, b) == intervals_overlap(b, a)


@given(a=intervals)
def test_interval_overlaps_itself(a):
    assert intervals_overlap(a, a)


def _figure(id, source, text, *, unit=None, when=None, rank="normal"):
    parsed = parse_figure(text)
    return FigureForComparison(
        id=id,
        source_label=source,
        low=parsed.low,
        high=parsed.high,
        qualifier=parsed.qualifier,
        unit=unit or parsed.unit,
        point_in_time=when,
        rank=rank,
    )


@given(value=bounds, width=bounds, tolerance=st.decimals(min_value=0, max_value=1, places=3))
def test_widening_contains_the_stated_values(value, width, tolerance):
    approximate = FigureForComparison(1, "a", value, value + width, "approximate", "count")
    stated = FigureForComparison(2, "a", value, value + width, "range", "count")
    wide_low, wide_high = comparison_interval(approximate, measure_unit="count", tolerance=tolerance)
    low, high = comparison_interval(stated, measure_unit="count", tolerance=tolerance)
    assert wide_low <= low <= high <= wide_high


@given(value=st.decimals(min_value=D("0.001"), max_value=10**9, places=3))
@settings(max_examples=200)
def test_conversion_round_trip(value):
    for there, back in (("km", "mi"), ("year", "month"), ("week", "year")):
        assert abs(convert(convert(value, there, back), back, there) - value) <= value * D("1e-20")


def test_open_bounds_are_unbounded():
    more = _figure(1, "a", "more than 10 million")
    fewer = _figure(2, "a", "up to 5,000")
    assert comparison_interval(more, measure_unit="count", tolerance=FIVE_PERCENT) == (10 * M, None)
    assert comparison_interval(fewer, measure_unit="count", tolerance=FIVE_PERCENT) == (None, 5000)


def test_comparison_interval_converts_and_widens():
    fig = _figure(1, "a", "about 43 km")
    low, high = comparison_interval(fig, measure_unit="m", tolerance=FIVE_PERCENT)
    assert (low, high) == (D(40850), D(45150))


# --- conflict assessment on the project's own figures ---------------------------------------------

ANTIWAR = "Antiwar.com (Antonopoulos)"
FRONTLINE = "Frontline"


def azeris_in_iran(*extra):
    return [
        _figure("antiwar", ANTIWAR, "approximate 15-18 million"),
        _figure("frontline", FRONTLINE, "close to 15 million"),
        *extra,
    ]


def test_azeri_population_of_iran_is_consistent():
    result = assess_measure(azeris_in_iran(), measure_unit="people", tolerance=FIVE_PERCENT, window_days=None)
    assert result.state == "consistent"
    assert result.conflicting_pairs == []
    assert result.sources == 2
    assert result.spread == D("16500000") / D("15000000")
    assert result.intervals["frontline"] == (D("14250000"), D("15750000"))


def test_about_12_million_disputes_15_to_18_million():
    third = _figure("third", "Some outlet", "about 12 million")
    result = assess_measure(azeris_in_iran(third), measure_unit="people", tolerance=FIVE_PERCENT, window_days=None)
    assert result.state == "disputed"
    assert [(a, b) for a, b, _reason in result.conflicting_pairs] == [("antiwar", "third"), ("frontline", "third")]
    assert result.conflicting_pairs[0][2] == "15,000,000–18,000,000 (±5%) vs 12,000,000 (±5%): no overlap"
    assert result.sources == 3


def test_reason_for_a_stated_range_against_an_approximate_value():
    figures = [_figure(1, "a", "15-18 million"), _figure(2, "b", "roughly 10.5 million")]
    result = assess_measure(figures, measure_unit="count", tolerance=FIVE_PERCENT, window_days=None)
    assert result.conflicting_pairs == [(1, 2, "15,000,000–18,000,000 vs 10,500,000 (±5%): no overlap")]


def test_more_than_azerbaijans_population_agrees_with_close_to_15_million():
    # "more than the entire population of Azerbaijan" is no figure by itself ...
    with pytest.raises(FigureParseError):
        parse_figure("more than the entire population of Azerbaijan")
    # ... but read with Frontline's "roughly 10.5 million" for Azerbaijan it is a lower bound.
    azerbaijan = parse_figure("roughly 10.5 million")
    bound = FigureForComparison("antiwar-bound", ANTIWAR, azerbaijan.low, None, "at_least", "count")
    figures = [bound, _figure("frontline", FRONTLINE, "close to 15 million")]
    result = assess_measure(figures, measure_unit="people", tolerance=FIVE_PERCENT, window_days=None)
    assert result.state == "consistent"


def test_azerbaijan_population_single_source():
    result = assess_measure(
        [_figure(1, FRONTLINE, "roughly 10.5 million")], measure_unit="people", tolerance=FIVE_PERCENT, window_days=None
    )
    assert result.state == "single_source"
    assert result.spread is None
    assert result.sources == 1


def test_no_figures_and_deprecated_ignored():
    empty = assess_measure([], measure_unit="count", tolerance=FIVE_PERCENT, window_days=None)
    assert (empty.state, empty.sources, empty.spread) == ("no_figures", 0, None)
    deprecated = _figure("old", "Old source", "about 12 million", rank="deprecated")
    result = assess_measure(azeris_in_iran(deprecated), measure_unit="people", tolerance=FIVE_PERCENT, window_days=None)
    assert result.state == "consistent"
    assert "old" not in result.intervals
    only_deprecated = assess_measure([deprecated], measure_unit="count", tolerance=FIVE_PERCENT, window_days=None)
    assert only_deprecated.state == "no_figures"


def test_time_window_decides_what_is_comparable():
    old = _figure("old", "Census", "about 12 million", when=date(2000, 1, 1))
    new = _figure("new", FRONTLINE, "close to 15 million", when=date(2026, 3, 9))
    undated = _figure("undated", ANTIWAR, "approximate 15-18 million")
    within_a_year = assess_measure([old, new], measure_unit="count", tolerance=FIVE_PERCENT, window_days=365)
    assert within_a_year.state == "consistent"
    always = assess_measure([old, new], measure_unit="count", tolerance=FIVE_PERCENT, window_days=None)
    assert always.state == "disputed"
    with_undated = assess_measure([old, new, undated], measure_unit="count", tolerance=FIVE_PERCENT, window_days=365)
    assert [(a, b) for a, b, _r in with_undated.conflicting_pairs] == [("old", "undated")]


def test_single_source_even_when_it_contradicts_itself():
    figures = [_figure(1, "a", "about 12 million"), _figure(2, "a", "15-18 million")]
    result = assess_measure(figures, measure_unit="count", tolerance=FIVE_PERCENT, window_days=None)
    assert result.state == "single_source"
    assert len(result.conflicting_pairs) == 1  # still reported for reviewers


def test_units_convert_before_comparing_and_mismatches_are_skipped():
    figures = [
        _figure(1, "a", "43-km"),
        _figure(2, "b", "about 27 miles"),
        _figure(3, "c", "99 years"),
    ]
    result = assess_measure(figures, measure_unit="km", tolerance=FIVE_PERCENT, window_days=None)
    assert result.state == "consistent"
    assert result.skipped == [(3, "cannot convert years to kilometres")]
    assert result.sources == 2


@given(order=st.permutations(range(4)))
def test_assessment_does_not_depend_on_order(order):
    figures = azeris_in_iran(
        _figure("third", "Some outlet", "about 12 million"), _figure("fourth", "Other", "more than 10 million")
    )
    result = assess_measure(
        [figures[i] for i in order], measure_unit="people", tolerance=FIVE_PERCENT, window_days=None
    )
    assert result.state == "disputed"
    assert {frozenset((a, b)) for a, b, _r in result.conflicting_pairs} == {
        frozenset(("antiwar", "third")),
        frozenset(("frontline", "third")),
    }
    assert result.spread == D("16500000") / D("10000000")


def test_units_registry_matches_choices():
    assert [code for code, _ in UNIT_CHOICES] == list(UNITS)


@pytest.mark.parametrize("text", ["9999999999999999999999999999 billion", "20000000 trillion"])
def test_it_refuses_numbers_too_large_to_record(text):
    """Found by hypothesis: such numbers overflowed the decimal context instead of being refused."""
    with pytest.raises(FigureParseError, match="too large"):
        parse_figure(text)
    assert find_figures(f"They said {text} people.") == []
