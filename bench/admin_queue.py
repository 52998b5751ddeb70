"""Measure the admin claim queue at scale (throwaway helper until `manage.py generate_synthetic`).

    DJANGO_DEBUG=1 python manage.py shell -c "exec(open('bench/admin_queue.py').read())"

FACTCHECK_BENCH_CLAIMS (default 1,000,000) synthetic claims are added with one INSERT … SELECT
generate_series when fewer exist; then each queue URL is requested as a reviewer a few times,
reporting queries and median time. Run it only against a development database.
"""

import os
import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

from claims.models import Claim

TARGET = int(os.environ.get("FACTCHECK_BENCH_CLAIMS", "1000000"))
REVIEWER = os.environ.get("FACTCHECK_BENCH_REVIEWER", "rev")


def generate(target: int) -> None:
    missing = target - Claim.objects.count()
    if missing <= 0:
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO claims_claim (created_at, updated_at, text, slug, claimant_id, first_seen, status,
                                      assigned_to_id, published_verdict_id)
            SELECT now(), now(),
                   'Synthetic claim ' || g || ': ' ||
                   (ARRAY['the population of', 'oil exports of', 'the length of the corridor in',
                          'military spending of', 'the number of drones used by', 'gas imports of'])[1 + g %% 6]
                   || ' ' || (ARRAY['Iran', 'Azerbaijan', 'Armenia', 'Turkey', 'Israel', 'Pakistan'])[1 + (g / 7) %% 6]
                   || ' is ' || (g %% 997) || ' ' || (ARRAY['million', 'percent', 'km', 'billion dollars'])[1 + g %% 4],
                   'synthetic-' || (g + (SELECT coalesce(max(id), 0) FROM claims_claim)),
                   (SELECT min(id) FROM claims_source) + g %% 5,
                   DATE '2020-01-01' + (g %% 2000),
                   (ARRAY['new', 'new', 'new', 'in_review'])[1 + g %% 4],
                   CASE WHEN g %% 50 = 0 THEN (SELECT id FROM auth_user WHERE username = %s) END,
                   NULL
            FROM generate_series(1, %s) AS g
            """,
            [REVIEWER, missing],
        )
        cursor.execute("ANALYZE claims_claim")
    print(f"inserted {missing:,} claims in {time.perf_counter() - started:.1f}s")


def measure(urls, repeat: int = 5) -> None:
    client = Client()
    client.force_login(get_user_model().objects.get(username=REVIEWER))
    print(f"{'url':58} {'queries':>7} {'median ms':>10} {'shown':>6}  count shown")
    for url in urls:
        times, queries = [], None
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            queries = len(captured)
        if response.status_code != 200:
            print(f"{url:58} answered {response.status_code}")
            continue
        cl = response.context["cl"]
        count = f"{'≈' if cl.paginator.is_estimate else ''}{cl.result_count:,}"
        print(f"{url:58} {queries:7} {statistics.median(times):10.0f} {len(cl.result_list):6}  {count}")


setup_test_environment()  # so responses carry their template context
generate(TARGET)
base = "/admin/claims/claim/"
measure(
    [
        base,
        base + "?p=1000",
        base + "?status=new",
        base + "?status=published",
        base + "?assigned=me",
        base + "?q=corridor+armenia",
        base + "?q=synthetic-123456",
        base + "?rating=mixed",
        base + "?topic=1",
        base + "?disputed=any",
        base + "?outlet=1",
        base + "?o=1",
        base + "?o=6",
    ]
)
