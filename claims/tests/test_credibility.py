"""The credibility model and its Beta-distribution maths, without a database."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.credibility import (
    PRIOR_ALPHA,
    PRIOR_BETA,
    Rating,
    beta_ppf,
    betainc,
    credible_interval,
    estimate,
    recency_weight,
    score_ratings,
)


def simpson_cdf(a: float, b: float, x: float, steps: int = 20000) -> float:
    """Beta CDF by numerical integration of the density: an independent check of betainc."""
    log_norm = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    h = x / steps

    def pdf(t):
        if t <= 0.0 or t >= 1.0:
            return 0.0
        return math.exp(log_norm + (a - 1) * math.log(t) + (b - 1) * math.log1p(-t))

    total = pdf(0.0) + pdf(x)
    for i in range(1, steps):
        total += (4 if i % 2 else 2) * pdf(i * h)
    return total * h / 3


# --- Incomplete beta and its inverse --------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, x, expected",
    [
        (1, 1, 0.3, 0.3),  # uniform
        (2, 2, 0.5, 0.5),  # symmetric
        (2, 2, 0.25, 3 * 0.25**2 - 2 * 0.25**3),  # I_x(2,2) = 3x² − 2x³
        (3, 2, 0.6, 4 * 0.6**3 - 3 * 0.6**4),  # I_x(3,2) = 4x³ − 3x⁴
        (3, 3, 0.2, 10 * 0.2**3 - 15 * 0.2**4 + 6 * 0.2**5),
        (0.5, 0.5, 0.1, 2 / math.pi * math.asin(math.sqrt(0.1))),  # arcsine distribution
        (5, 1, 0.7, 0.7**5),
        (1, 4, 0.2, 1 - 0.8**4),
    ],
)
def test_it_computes_the_incomplete_beta_function_in_closed_form_cases(a, b, x, expected):
    assert betainc(a, b, x) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("a, b, x", [(3.75, 3.25, 0.4), (12.5, 4.25, 0.8), (2.5, 40.0, 0.05), (7.3, 7.3, 0.61)])
def test_it_agrees_with_numerical_integration_for_fractional_parameters(a, b, x):
    assert betainc(a, b, x) == pytest.approx(simpson_cdf(a, b, x), abs=1e-9)


@pytest.mark.parametrize(
    "p, a, b, expected",
    [
        # Roots of the closed forms above (10x³ − 15x⁴ + 6x⁵ = 0.05 for Beta(3, 3), …).
        (0.05, 2, 2, 0.1353503621715838),
        (0.95, 2, 2, 0.8646496378284162),
        (0.05, 3, 3, 0.1892554),
        (0.05, 3, 2, 0.2486046),
        (0.95, 3, 2, 0.9023885),
        (0.05, 0.5, 0.5, math.sin(0.05 * math.pi / 2) ** 2),
        (0.3, 3, 1, 0.3 ** (1 / 3)),
        (0.3, 1, 3, 1 - 0.7 ** (1 / 3)),
    ],
)
def test_it_inverts_the_incomplete_beta_function_to_known_quantiles(p, a, b, expected):
    x = beta_ppf(p, a, b)
    assert x == pytest.approx(expected, abs=1e-6)
    assert betainc(a, b, x) == pytest.approx(p, abs=1e-10)


@given(
    p=st.floats(min_value=1e-4, max_value=1 - 1e-4),
    # Scores always have a, b ≥ 2 (the prior). Below about 0.5 the extreme quantiles lie closer to
    # 0 or 1 than a double can express (Beta(1, 0.25) at p = 0.9999 is 1 − 1e-16).
    a=st.floats(min_value=0.5, max_value=5000),
    b=st.floats(min_value=0.5, max_value=5000),
)
def test_it_round_trips_quantiles_through_the_cdf(p, a, b):
    x = beta_ppf(p, a, b)
    assert 0.0 <= x <= 1.0
    assert betainc(a, b, x) == pytest.approx(p, abs=1e-9)


@given(
    a=st.floats(min_value=0.5, max_value=500),
    b=st.floats(min_value=0.5, max_value=500),
    p=st.floats(min_value=0.001, max_value=0.998),
    q=st.floats(min_value=0.001, max_value=0.998),
)
def test_it_keeps_quantiles_monotone(a, b, p, q):
    low, high = sorted((p, q))
    assert beta_ppf(low, a, b) <= beta_ppf(high, a, b) + 1e-12


def test_it_refuses_impossible_arguments():
    with pytest.raises(ValueError):
        beta_ppf(1.5, 2, 2)
    with pytest.raises(ValueError):
        betainc(0, 2, 0.5)


# --- The model ------------------------------------------------------------------------------


def test_it_has_no_score_without_rated_claims():
    card = estimate(weighted_truth=0, weighted_count=0, rated_claims=0)
    assert (card.score, card.low, card.high, card.rated_claims) == (None, None, None, 0)
    only_unverifiable = score_ratings([Rating("unverifiable", None)])
    assert only_unverifiable.score is None
    assert only_unverifiable.rating_counts == {"unverifiable": 1}


def test_it_scores_by_hand_computed_posterior_mean_and_interval():
    # True (1.0), Mostly true (0.75), False (0.0) and an Unverifiable that does not count:
    # α = 2 + 1.75 = 3.75, β = 2 + 1.25 = 3.25, mean = 3.75 / 7.
    card = score_ratings(
        [Rating("true", 1.0), Rating("mostly-true", 0.75), Rating("false", 0.0), Rating("unverifiable", None)]
    )
    assert (card.alpha, card.beta) == (3.75, 3.25)
    assert card.score == pytest.approx(0.5357142857)
    assert card.rated_claims == 3
    assert card.rating_counts == {"true": 1, "mostly-true": 1, "false": 1, "unverifiable": 1}
    assert simpson_cdf(3.75, 3.25, card.low) == pytest.approx(0.05, abs=1e-8)
    assert simpson_cdf(3.75, 3.25, card.high) == pytest.approx(0.95, abs=1e-8)


def test_it_keeps_one_true_rating_far_from_a_perfect_score():
    # Beta(3, 2): mean 0.6; 90% interval from I_x(3,2) = 4x³ − 3x⁴.
    card = score_ratings([Rating("true", 1.0)])
    assert card.score == pytest.approx(0.6)
    assert 4 * card.low**3 - 3 * card.low**4 == pytest.approx(0.05, abs=1e-10)
    assert 4 * card.high**3 - 3 * card.high**4 == pytest.approx(0.95, abs=1e-10)
    assert card.high - card.low > 0.6


def test_it_narrows_the_interval_as_ratings_accumulate():
    few = score_ratings([Rating("true", 1.0)] * 3 + [Rating("false", 0.0)])
    many = score_ratings([Rating("true", 1.0)] * 300 + [Rating("false", 0.0)] * 100)
    assert few.high - few.low > 3 * (many.high - many.low)
    assert many.score == pytest.approx((2 + 300) / (4 + 400))


def test_it_halves_the_weight_of_a_claim_one_half_life_old():
    assert recency_weight(365, 365) == pytest.approx(0.5)
    assert recency_weight(730, 365) == pytest.approx(0.25)
    assert recency_weight(-10, 365) == 1.0  # a future date counts as new
    assert recency_weight(10_000, 0) == 1.0  # off
    # One True rating a half-life old: α = 2 + 0.5, β = 2.
    card = score_ratings([Rating("true", 1.0, age_days=365)], half_life_days=365)
    assert card.score == pytest.approx(2.5 / 4.5)
    assert card.rated_claims == 1


@given(
    weights=st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0, None]), max_size=60),
    ages=st.lists(st.floats(min_value=0, max_value=5000), max_size=60),
    half_life=st.sampled_from([0, 30, 365, 1000]),
)
def test_it_always_gives_an_ordered_interval_inside_the_unit_range(weights, ages, half_life):
    ratings = [Rating(str(w), w, age_days=ages[i] if i < len(ages) else 0.0) for i, w in enumerate(weights)]
    card = score_ratings(ratings, half_life_days=half_life)
    if all(w is None for w in weights):
        assert card.score is None
        return
    assert 0.0 < card.low <= card.score <= card.high < 1.0
    assert card.alpha >= PRIOR_ALPHA and card.beta >= PRIOR_BETA
    assert sum(card.rating_counts.values()) == len(weights)


def test_it_caches_intervals_by_parameters():
    assert credible_interval(4.0, 3.0) is credible_interval(4.0, 3.0)
