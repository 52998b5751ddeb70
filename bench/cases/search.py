"""Full-text search: the API's `q` (ranked) over many terms, median and p95, against raw SQL."""

import statistics
import time

from bench import floors
from bench.timing import Result, from_samples, percentile

TARGET = 1.5


def _samples(fn, terms, rounds) -> list[float]:
    for term in terms:  # warm-up: one pass
        fn(term)
    samples = []
    for _ in range(rounds):
        for term in terms:
            started = time.perf_counter()
            fn(term)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def run(ctx) -> list[Result]:
    url = ctx.url("api:claim-list")
    rounds = max(2, ctx.runs // 8)
    ours = _samples(lambda term: ctx.get(url, QUERY_STRING=f"q={term.replace(' ', '+')}"), ctx.search_terms, rounds)
    floor = _samples(floors.search, ctx.search_terms, rounds)
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
