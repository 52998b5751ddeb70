"""What the benchmarks share: a test client, sample slugs chosen from the data, search terms."""

from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse

from bench.timing import Skip

SEARCH_TERMS = [
    "oil",
    "population",
    "corridor railway",
    "inflation",
    "election turnout",
    "Azerbaijan oil imports",
    "youth unemployment",
    "pipeline crude",
    "wheat tariffs",
    "hospital beds",
    "Zangezur corridor rights",
    "migrants remittances",
]


@dataclass
class BenchContext:
    claims: int
    runs: int
    duration: int
    client: Client = field(default_factory=lambda: Client(HTTP_HOST="testserver"))
    claim_slugs: list[str] = field(default_factory=list)  # public claims with appearances and figures
    rich_claim_slug: str = ""  # a public claim with a superseded verdict (the longest history)
    busy_source_slug: str = ""  # the source with the most claims
    popular_claim_slug: str = ""  # a public claim with a figure on the measure with the most figures
    typical_source_slug: str = ""
    search_terms: list[str] = field(default_factory=lambda: list(SEARCH_TERMS))

    def url(self, name: str, **kwargs) -> str:
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch as error:
            raise Skip(f"URL {name!r} is not defined on this branch") from error

    def get(self, path: str, **headers):
        response = self.client.get(path, **headers)
        if response.status_code != 200:
            raise AssertionError(f"GET {path} answered {response.status_code}")
        return response


def build_context(*, claims: int, runs: int, duration: int) -> BenchContext:
    ctx = BenchContext(claims=claims, runs=runs, duration=duration)
    with connection.cursor() as cursor:
        # A spread of ids: cheap sampling without ORDER BY random() over the whole table.
        cursor.execute("SELECT min(id), max(id) FROM claims_claim")
        low, high = cursor.fetchone()
        step = max(1, (high - low) // 40)
        cursor.execute(
            "SELECT c.slug FROM claims_claim c WHERE c.id IN (SELECT generate_series(%s, %s, %s)) "
            "AND c.status = 'published' AND EXISTS (SELECT 1 FROM claims_appearance a JOIN claims_figure f "
            "ON f.appearance_id = a.id WHERE a.claim_id = c.id) LIMIT 10",
            [low, high, step],
        )
        ctx.claim_slugs = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT c.slug FROM claims_claim c JOIN claims_verdict v ON v.claim_id = c.id "
            "WHERE v.status = 'superseded' AND c.status = 'published' ORDER BY c.id DESC LIMIT 1"
        )
        row = cursor.fetchone()
        ctx.rich_claim_slug = row[0] if row else ctx.claim_slugs[0]
        cursor.execute(
            "SELECT c.slug FROM claims_claim c JOIN claims_appearance a ON a.claim_id = c.id "
            "JOIN claims_figure f ON f.appearance_id = a.id WHERE c.status = 'published' AND f.measure_id = "
            "(SELECT measure_id FROM claims_figure GROUP BY measure_id ORDER BY count(*) DESC LIMIT 1) "
            "ORDER BY c.id LIMIT 1"
        )
        row = cursor.fetchone()
        ctx.popular_claim_slug = row[0] if row else ""
        cursor.execute(
            "SELECT s.slug FROM claims_source s WHERE s.id = (SELECT claimant_id FROM claims_claim "
            "WHERE claimant_id IS NOT NULL GROUP BY claimant_id ORDER BY count(*) DESC LIMIT 1)"
        )
        ctx.busy_source_slug = cursor.fetchone()[0]
        cursor.execute(
            "SELECT s.slug FROM claims_source s WHERE s.id = (SELECT claimant_id FROM claims_claim "
            "WHERE id >= %s AND claimant_id IS NOT NULL AND status = 'published' LIMIT 1)",
            [(low + high) // 2],
        )
        ctx.typical_source_slug = cursor.fetchone()[0]
    if not ctx.claim_slugs:
        raise SystemExit("No published claims with figures: is the synthetic data loaded?")
    return ctx
