"""API claim list and detail against one hand-written SQL query + orjson, and the naive DRF list."""

from itertools import cycle

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import floors
from bench.timing import Result, measure, measure_pair

TARGET = 1.5


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def run(ctx) -> list[Result]:
    list_url = ctx.url("api:claim-list")
    results = []

    def ours_list():
        return ctx.get(list_url)

    # Ours and the floor call by call in turn (`measure_pair`): the same load, the same warm rows.
    ours, floor = measure_pair(ours_list, floors.claim_list, runs=ctx.runs)
    size = len(ours_list().content)
    results.append(
        Result(
            "API claim list, page of 50 (`/api/v1/claims/`)",
            ours,
            floor,
            "one SQL query + orjson",
            TARGET,
            extra={"queries": queries(ours_list), "bytes": size, "floor_bytes": len(floors.claim_list())},
        )
    )

    next_url = ours_list().json().get("next")
    if next_url:
        page_two, page_two_floor = measure_pair(
            lambda: ctx.get(next_url.replace("http://testserver", "")), floors.claim_list, runs=ctx.runs
        )
        results.append(
            Result(
                "API claim list, next page by cursor",
                page_two,
                page_two_floor,
                "first page by one SQL query + orjson",
                TARGET,
                extra={"queries": queries(lambda: ctx.get(next_url.replace("http://testserver", "")))},
            )
        )

    ours_slugs, floor_slugs = cycle(ctx.claim_slugs), cycle(ctx.claim_slugs)
    ours_detail, floor_detail = measure_pair(
        lambda: ctx.get(ctx.url("api:claim-detail", slug=next(ours_slugs))),
        lambda: floors.claim_detail(next(floor_slugs)),
        runs=ctx.runs,
        warmup=len(ctx.claim_slugs),  # every sample claim once, for both
    )
    results.append(
        Result(
            "API claim detail (`/api/v1/claims/<slug>/`)",
            ours_detail,
            floor_detail,
            "one SQL query (json_agg) + orjson",
            TARGET,
            extra={"queries": queries(lambda: ctx.get(ctx.url("api:claim-detail", slug=ctx.rich_claim_slug)))},
        )
    )

    naive_url = "/bench/naive/claims/"
    naive = measure(lambda: ctx.get(naive_url), runs=max(5, ctx.runs // 3), warmup=1)
    results.append(
        Result(
            "Naive DRF ModelSerializer list, page of 50 (nested, no prefetch, COUNT(*))",
            naive,
            ours,
            "our API list (ratio = how many times faster ours is)",
            note=f"ours is {naive.median_ms / ours.median_ms:.1f}× faster",
            extra={"queries": queries(lambda: ctx.get(naive_url))},
        )
    )
    return results
