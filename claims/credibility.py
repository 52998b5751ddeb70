"""Source credibility: a Bayesian estimate of how often a source's claims hold up.

Plain functions over plain numbers (no ORM): the database side (claims/credibility_sql.py) gathers,
per source, the published verdicts of the claims it asserted and sums them; this module turns those
sums into a score, a 90% credible interval and the scorecard fields. docs/METHODOLOGY.md explains
the model to readers; the short version:

* Each rated claim is a fractional coin toss: a verdict with truth weight w (True 1.0, Mostly true
  0.75, Mixed 0.5, Mostly false 0.25, False 0.0) adds w to the "held up" count α and 1 − w to the
  "did not" count β. Unverifiable verdicts have no weight and add nothing.
* Optionally each claim counts with a recency weight r = 0.5^(age / half-life), so old claims fade.
* The prior Beta(2, 2) is four pseudo-ratings at 0.5: one rating moves the score only a little,
  so two ratings never look like a track record.
* score = α / (α + β) (the posterior mean); the interval is the 5% and 95% Beta quantiles.

scipy is not a dependency, so the regularized incomplete beta function and its inverse are
implemented here (continued fraction + Halley's method, with a bisection safety net).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

# Beta(α0, β0) prior: mean 0.5, weight of four ratings. See docs/METHODOLOGY.md.
PRIOR_ALPHA = 2.0
PRIOR_BETA = 2.0
# Equal-tailed 90% credible interval.
INTERVAL_MASS = 0.90
LOWER_QUANTILE = (1 - INTERVAL_MASS) / 2
UPPER_QUANTILE = 1 - LOWER_QUANTILE


@dataclass(frozen=True)
class Credibility:
    """A source's scorecard. `score` is None when no scored verdict exists ("not enough data")."""

    score: float | None
    low: float | None
    high: float | None
    rated_claims: int
    rating_counts: dict[str, int] = field(default_factory=dict)
    alpha: float = PRIOR_ALPHA
    beta: float = PRIOR_BETA

    @property
    def has_score(self) -> bool:
        return self.score is not None


@dataclass(frozen=True)
class Rating:
    """One rated claim of a source, as the reference implementation takes it."""

    slug: str
    truth_weight: float | None  # None: unverifiable, not scored
    age_days: float = 0.0


# --- Model ----------------------------------------------------------------------------------


def recency_weight(age_days: float, half_life_days: float) -> float:
    """0.5^(age / half-life); 1 when recency weighting is off (half-life ≤ 0). Future dates count as new."""
    if half_life_days <= 0:
        return 1.0
    return 0.5 ** (max(age_days, 0.0) / half_life_days)


def estimate(
    *,
    weighted_truth: float,
    weighted_count: float,
    rated_claims: int,
    rating_counts: Mapping[str, int] | None = None,
    prior_alpha: float = PRIOR_ALPHA,
    prior_beta: float = PRIOR_BETA,
) -> Credibility:
    """The scorecard from a source's sums: Σ r·w (`weighted_truth`) and Σ r (`weighted_count`) over its
    scored claims, and the number of those claims. No scored claim → no score (never 0 or 50%)."""
    counts = dict(rating_counts or {})
    if rated_claims <= 0:
        return Credibility(score=None, low=None, high=None, rated_claims=0, rating_counts=counts)
    weighted_truth = min(max(weighted_truth, 0.0), weighted_count)
    alpha = prior_alpha + weighted_truth
    beta = prior_beta + (weighted_count - weighted_truth)
    low, high = credible_interval(alpha, beta)
    score = alpha / (alpha + beta)
    return Credibility(
        score=score,
        low=min(low, score),
        high=max(high, score),
        rated_claims=rated_claims,
        rating_counts=counts,
        alpha=alpha,
        beta=beta,
    )


def score_ratings(ratings: Iterable[Rating], *, half_life_days: float = 0) -> Credibility:
    """Reference implementation over individual ratings (the SQL path must agree with it)."""
    weighted_truth = weighted_count = 0.0
    rated = 0
    counts: dict[str, int] = {}
    for rating in ratings:
        counts[rating.slug] = counts.get(rating.slug, 0) + 1
        if rating.truth_weight is None:
            continue
        r = recency_weight(rating.age_days, half_life_days)
        weighted_truth += r * rating.truth_weight
        weighted_count += r
        rated += 1
    return estimate(
        weighted_truth=weighted_truth, weighted_count=weighted_count, rated_claims=rated, rating_counts=counts
    )


@lru_cache(maxsize=65536)
def credible_interval(alpha: float, beta: float) -> tuple[float, float]:
    """The equal-tailed 90% interval of Beta(α, β). Cached: without recency weighting many sources
    share the same (α, β)."""
    return beta_ppf(LOWER_QUANTILE, alpha, beta), beta_ppf(UPPER_QUANTILE, alpha, beta)


# --- Beta distribution ----------------------------------------------------------------------

_EPS = 1e-15
_TINY = 1e-300


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz's method)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b), i.e. the CDF of Beta(a, b) at x."""
    if a <= 0 or b <= 0:
        raise ValueError("Beta parameters must be positive.")
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = a * math.log(x) + b * math.log1p(-x) - _log_beta(a, b)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(b, a, 1.0 - x) / b


def beta_ppf(p: float, a: float, b: float) -> float:
    """The p-quantile of Beta(a, b): the x with I_x(a, b) = p (to about 1e-10).

    Halley's method from the initial guess of Numerical Recipes (3rd ed., §6.14); if it fails to
    converge, bisection (I_x is monotone) finishes the job."""
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be within [0, 1].")
    if a <= 0 or b <= 0:
        raise ValueError("Beta parameters must be positive.")
    if p == 0.0:
        return 0.0
    if p == 1.0:
        return 1.0
    x = _initial_guess(p, a, b)
    a1, b1 = a - 1.0, b - 1.0
    log_norm = -_log_beta(a, b)
    for _ in range(20):
        if x <= 0.0 or x >= 1.0:
            break
        err = betainc(a, b, x) - p
        density = math.exp(a1 * math.log(x) + b1 * math.log1p(-x) + log_norm)
        if density == 0.0:
            break
        u = err / density
        step = u / (1.0 - 0.5 * min(1.0, u * (a1 / x - b1 / (1.0 - x))))
        new_x = x - step
        if new_x <= 0.0:
            new_x = 0.5 * x
        elif new_x >= 1.0:
            new_x = 0.5 * (x + 1.0)
        if abs(new_x - x) < 1e-13 * max(new_x, 1e-300):
            x = new_x
            break
        x = new_x
    if 0.0 < x < 1.0 and abs(betainc(a, b, x) - p) <= 1e-11:
        return x
    return _bisect_ppf(p, a, b)


def _initial_guess(p: float, a: float, b: float) -> float:
    if a >= 1.0 and b >= 1.0:
        pp = p if p < 0.5 else 1.0 - p
        t = math.sqrt(-2.0 * math.log(pp))
        x = (2.30753 + t * 0.27061) / (1.0 + t * (0.99229 + t * 0.04481)) - t
        if p < 0.5:
            x = -x
        al = (x * x - 3.0) / 6.0
        h = 2.0 / (1.0 / (2.0 * a - 1.0) + 1.0 / (2.0 * b - 1.0))
        w = x * math.sqrt(al + h) / h - (1.0 / (2.0 * b - 1.0) - 1.0 / (2.0 * a - 1.0)) * (
            al + 5.0 / 6.0 - 2.0 / (3.0 * h)
        )
        return a / (a + b * math.exp(min(2.0 * w, 700.0)))
    lna, lnb = math.log(a / (a + b)), math.log(b / (a + b))
    t = math.exp(a * lna) / a
    u = math.exp(b * lnb) / b
    w = t + u
    if p < t / w:
        return (a * w * p) ** (1.0 / a)
    return 1.0 - (b * w * (1.0 - p)) ** (1.0 / b)


def _bisect_ppf(p: float, a: float, b: float) -> float:
    low, high = 0.0, 1.0
    for _ in range(200):
        mid = 0.5 * (low + high)
        if betainc(a, b, mid) < p:
            low = mid
        else:
            high = mid
        if high - low < 1e-14:
            break
    return 0.5 * (low + high)
