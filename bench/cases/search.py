"""Full-text search: the API's `q` (ranked) over many terms, median and p95, against raw SQL."""

import statistics
import time

from bench import floors
from bench.timing import Result, from_samples, percentile

TARGET = 1.5


def _samples(ours_fn, floor_fn, terms, rounds) -> tuple[list[float], list[float]]:
    """Ours and the floor term by term in turn (as `bench.timing.measure_pair`): the same load and
    the same warm index pages for both."""
    for term in terms:  # warm-up: one pass each
        ours_fn(term)
        floor_fn(term)
    ours, floor = [], []
    for _ in range(rounds):
        for term in terms:
            for fn, samples in ((ours_fn, ours), (floor_fn, floor)):
                started = time.perf_counter()
                fn(term)
                samples.append((time.perf_counter() - started) * 1000)
    return ours, floor


def run(ctx) -> list[Result]:
    url = ctx.url("api:claim-list")
    rounds = max(2, ctx.runs // 8)
    ours, floor = _samples(
        lambda term: ctx.get(url, QUERY_STRING=f"q={term.replace(' ', '+')}"), floors.search, ctx.search_terms, rounds
    )
    per_term = {}
    for index, term in enumerate(ctx.search_terms):
        ours_term = ours[index :: len(ctx.search_terms)]
        floor_term = floor[index :: len(ctx.search_terms)]
        per_term[term] = {"ours_ms": statistics.median(ours_term), "floor_ms": statistics.median(floor_term)}
    return [
        Result(
            f"Full-text search, API `?q=` ({len(ctx.search_terms)} terms, ranked, page of 50)",
            from_samples(ours),
            from_samples(floor),
            "raw SQL (websearch_to_tsquery, ts_rank) + orjson",
            TARGET,
            note=f"p95 ours {percentile(ours, 0.95):.1f} ms, floor {percentile(floor, 0.95):.1f} ms",
            extra={"per_term": per_term},
        )
    ]
