"""Tip submissions under load: POST /api/v1/tips/ from N threads against a production-mode
gunicorn (2 workers x 4 threads) over a scratch database on the embedded PostgreSQL.

    .venv/bin/python scripts/tip_load.py [--tips 600] [--threads 8] [--embed]

Prints tips per second, the status codes (the run passes with 0 errors: every answer a 201), the
latency p50/p95 and how the tips clustered. Bounded: loopback only, a fixed number of requests.
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse, urlunparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import harness  # noqa: E402

SUBJECTS = ["The minimum wage", "Petrol prices", "Rents in Baku", "Bread prices", "Unemployment", "Tuition fees"]
VERBS = ["will rise to", "fell to", "doubled to", "reached", "will be cut to"]


def tip_texts(total: int, seed: int = 7) -> list[str]:
    """A mix like a tip line's: a third repeat a few popular claims in other words (demand on one
    claim), the rest are new claims."""
    rng = random.Random(seed)
    texts = []
    for n in range(total):
        if n % 3 == 0:
            subject = SUBJECTS[n % len(SUBJECTS)]
            said = ["they say", "I read", "people say"][(n // 3) % 3]
            texts.append(f"{subject} {VERBS[0]} 15 dollars next year, {said}.")
        else:
            texts.append(f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.randint(1, 10**6)} in region {n}.")
    return texts


def drop_scratch_database(name: str) -> None:
    import psycopg

    from factcheck.database import embedded_database_url

    base = urlparse(embedded_database_url(harness.VAR_DIR))
    with psycopg.connect(urlunparse(base._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tips", type=int, default=600)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--embed", action="store_true", help="run the sentence encoder on every tip")
    args = parser.parse_args(argv)

    drop_scratch_database("factcheck_tipload")  # every run starts from the same claims
    database = harness.scratch_database_url("factcheck_tipload")
    env = harness.app_environment(
        database,
        FACTCHECK_THROTTLE_TIPS="1000000/min",
        FACTCHECK_MATCHING_EMBED_ON_WRITE="1" if args.embed else "0",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    harness.manage(env, "migrate", "--noinput")
    harness.manage(env, "collectstatic", "--noinput")
    harness.manage(env, "load_demo")  # published claims for the tips to match

    texts = tip_texts(args.tips)
    results, lock, remaining = [], threading.Lock(), iter(enumerate(texts))
    with harness.Gunicorn(env) as server:
        url = server.base_url + "/api/v1/tips/"

        def worker():
            while True:
                with lock:
                    item = next(remaining, None)
                if item is None:
                    return
                n, text = item
                body = {"text": text, **({"email": f"t{n}@example.org", "consent": True} if n % 5 == 0 else {})}
                result = harness.request("POST", url, body=body, timeout=60)
                with lock:
                    results.append(result)

        started = time.monotonic()
        pool = [threading.Thread(target=worker) for _ in range(args.threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join(600)
        elapsed = time.monotonic() - started
        clustered = (
            harness.manage(
                env,
                "shell",
                "-c",
                "from claims.models import Claim, Tip; from django.db.models import Max; "
                "print(Tip.objects.count(), Tip.objects.filter(matched_existing=True).count(), "
                "Claim.objects.filter(from_tip_line=True).count(), Claim.objects.aggregate(m=Max('demand'))['m'])",
            )
            .strip()
            .splitlines()[-1]
            .split()
        )
    statuses = Counter(result.status for result in results)
    latencies = sorted(result.elapsed for result in results)
    print(f"{len(results)} tips in {elapsed:.1f} s: {len(results) / elapsed:.1f} tips/s, statuses {dict(statuses)}")
    print(
        f"latency p50 {harness.percentile(latencies, 0.5) * 1000:.0f} ms, "
        f"p95 {harness.percentile(latencies, 0.95) * 1000:.0f} ms; "
        f"tips stored {clustered[0]}, clustered onto an existing claim {clustered[1]}, "
        f"new tip-line claims {clustered[2]}, highest demand {clustered[3]}"
    )
    return 0 if set(statuses) == {201} else 1


if __name__ == "__main__":
    sys.exit(main())
