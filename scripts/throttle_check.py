#!/usr/bin/env python
"""Throttle check across processes: do two gunicorn workers enforce one API rate limit together?

    python scripts/throttle_check.py [--anon 400] [--user 900] [--threads 8] [--cache-url redis://...]

Serves the app with gunicorn (production settings, 2 workers x 4 threads) on 127.0.0.1 over a
scratch database `factcheck_throttle`, with the default limits (120/min anonymous, 600/min per
token), then sends --anon anonymous GETs and --user GETs with one token to /api/v1/ratings/ and
counts how many were let through. With the limits shared by every worker, at most 120 and 600
pass (plus one window boundary's worth when a run straddles a minute). Prints a JSON summary;
exit status 0 when no more passed than the limits allow.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
from fault_db_restart import setup_django, writer_user  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--anon", type=int, default=400)
    parser.add_argument("--user", type=int, default=900)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--cache-url", default="", help="CACHE_URL for gunicorn (default: none)")
    args = parser.parse_args()

    database_url = harness.scratch_database_url("factcheck_throttle")
    env = harness.app_environment(
        database_url,
        FACTCHECK_THROTTLE_ANON="120/min",
        FACTCHECK_THROTTLE_USER="600/min",
        **({"CACHE_URL": args.cache_url} if args.cache_url else {}),
    )
    harness.manage(env, "migrate", "--noinput")
    harness.manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    setup_django(database_url)
    _, token = writer_user()

    # Start at the beginning of a minute so that one run stays inside one fixed window.
    while time.time() % 60 > 40:
        time.sleep(1)
    with harness.Gunicorn(env) as server:
        url = server.base_url + "/api/v1/ratings/"
        started = time.time()
        anon = harness.count_statuses(url, total=args.anon, threads=args.threads)
        auth = {"Authorization": f"Token {token}"}
        user = harness.count_statuses(url, total=args.user, threads=args.threads, headers=auth)
        seconds = time.time() - started
    summary = {
        "workers": 2,
        "cache_url": args.cache_url or None,
        "anonymous": {"sent": args.anon, "limit": 120, "statuses": anon},
        "token": {"sent": args.user, "limit": 600, "statuses": user},
        "seconds": round(seconds, 1),
    }
    summary["ok"] = anon.get(200, 0) <= 120 and user.get(200, 0) <= 600
    print(json.dumps(summary, indent=2))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
