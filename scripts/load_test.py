#!/usr/bin/env python
"""Load test on loopback: N GETs over the public pages (and API, when present), zero errors.

    python scripts/load_test.py [--requests 3000] [--seconds 60] [--threads 8]

Serves the app with gunicorn (production settings, DEBUG off, API throttles lifted for the run)
on 127.0.0.1 over a scratch database `factcheck_load` holding the demo data, then drives bounded
load: it stops at --requests requests or --seconds seconds, whichever comes first. Every answer
must be 200; the JSON summary gives the status counts, throughput and latency percentiles.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
from fault_db_restart import public_paths, setup_django  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    database_url = harness.scratch_database_url("factcheck_load")
    env = harness.app_environment(database_url)
    harness.manage(env, "migrate", "--noinput")
    harness.manage({**env, "DJANGO_DEBUG": "1"}, "load_demo")
    harness.manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    setup_django(database_url)

    with harness.Gunicorn(env) as server:
        paths = public_paths()
        warm = {p: harness.request("GET", server.base_url + p).status for p in paths}
        paths = [p for p, status in warm.items() if status == 200]  # pages not built yet answer 404
        started = time.monotonic()
        results = harness.drive(
            [server.base_url + p for p in paths], total=args.requests, seconds=args.seconds, threads=args.threads
        )
        elapsed = time.monotonic() - started

    errors = [r for r in results if r.status != 200]
    summary = {
        **harness.summarise(results),
        "seconds": round(elapsed, 2),
        "requests_per_second": round(len(results) / elapsed, 1),
        "threads": args.threads,
        "paths": paths,
        "skipped_paths": {p: s for p, s in warm.items() if s != 200},
        "errors": [(r.status, r.url, r.body[:200]) for r in errors][:10],
    }
    print(json.dumps(summary, indent=2))
    return 0 if not errors and results else 1


if __name__ == "__main__":
    sys.exit(main())
