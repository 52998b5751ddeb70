"""Reader pages (claim page, source scorecard) and the admin review queue, against hand-written
SQL written out with f-strings."""

from itertools import cycle

from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from bench import floors
from bench.cases.api import queries
from bench.timing import Result, Skip, measure


def run(ctx) -> list[Result]:
    with override_settings(FACTCHECK_PAGE_CACHE_SECONDS=0):  # the render itself, every time
        results = _rendered(ctx)
    # The same claim pages for anonymous readers with the page cache on (claims/page_cache.py):
    # after the first request per URL, one query (the publication generation) and a cache read.
    slugs = cycle(ctx.claim_slugs)
    ours = measure(lambda: ctx.get(ctx.url("claims:claim-detail", slug=next(slugs))), runs=ctx.runs)
    slugs = cycle(ctx.claim_slugs)
    floor = measure(lambda: floors.claim_page(next(slugs)), runs=ctx.runs)
    url = ctx.url("claims:claim-detail", slug=ctx.claim_slugs[0])
    results.append(
        Result(
            "Claim page from the page cache (anonymous, `/claims/<slug>/`)",
            ours,
            floor,
            "detail SQL + f-string HTML",
            extra={"queries": queries(lambda: ctx.get(url))},
        )
    )
    return results


def _rendered(ctx) -> list[Result]:
    results = []
    slugs = cycle(ctx.claim_slugs)
    ours = measure(lambda: ctx.get(ctx.url("claims:claim-detail", slug=next(slugs))), runs=ctx.runs)
    slugs = cycle(ctx.claim_slugs)
    floor = measure(lambda: floors.claim_page(next(slugs)), runs=ctx.runs)
    results.append(
        Result(
            "Claim page (`/claims/<slug>/`)",
            ours,
            floor,
            "detail SQL + f-string HTML",
            extra={"queries": queries(lambda: ctx.get(ctx.url("claims:claim-detail", slug=ctx.rich_claim_slug)))},
        )
    )
    if ctx.popular_claim_slug:
        url = ctx.url("claims:claim-detail", slug=ctx.popular_claim_slug)
        ours = measure(lambda: ctx.get(url), runs=ctx.runs)
        floor = measure(lambda: floors.claim_page(ctx.popular_claim_slug), runs=ctx.runs)
        results.append(
            Result(
                "Claim page, a claim on the most quoted measure",
                ours,
                floor,
                "detail SQL + f-string HTML",
                extra={"queries": queries(lambda: ctx.get(url)), "slug": ctx.popular_claim_slug},
            )
        )
    for label, slug in (("busiest source", ctx.busy_source_slug), ("typical source", ctx.typical_source_slug)):
        url = ctx.url("claims:source-detail", slug=slug)
        ours = measure(lambda url=url: ctx.get(url), runs=ctx.runs)
        floor = measure(lambda slug=slug: floors.source_page(slug), runs=ctx.runs)
        results.append(
            Result(
                f"Source scorecard, {label} (`/sources/<slug>/`)",
                ours,
                floor,
                "2 SQL queries + f-string HTML",
                extra={"queries": queries(lambda url=url: ctx.get(url)), "slug": slug},
            )
        )
    return results


def run_admin(ctx) -> list[Result]:
    url = ctx.url("admin:claims_claim_changelist")
    reviewer = get_user_model().objects.filter(username="synthetic-reviewer-01").first()
    if reviewer is None:
        raise Skip("no synthetic reviewer")
    client = Client(HTTP_HOST="testserver")
    client.force_login(reviewer)

    def page(query=""):
        response = client.get(url, QUERY_STRING=query)
        if response.status_code != 200:
            raise AssertionError(f"admin queue answered {response.status_code}")
        return response

    results = []
    floor = measure(floors.admin_queue, runs=ctx.runs)
    for label, query in (("all claims", ""), ("in review", "status__exact=in_review")):
        ours = measure(lambda query=query: page(query), runs=ctx.runs)
        results.append(
            Result(
                f"Admin review queue, {label} (reviewer, page of 50)",
                ours,
                floor,
                "one SQL query + f-string HTML table",
                extra={"queries": queries(lambda query=query: page(query))},
            )
        )
    return results
