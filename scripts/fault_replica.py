#!/usr/bin/env python
"""Fault test for read replicas: a replica that lags, then goes down, under load.

    python scripts/fault_replica.py [--threads 8] [--phase 6]

1. Prepares the scratch database `factcheck_fault` (as fault_db_restart.py does) and makes a
   streaming replica of the embedded server with its pg_basebackup.
2. Serves the app with gunicorn (DEBUG off, 2 workers x 4 threads, DATABASE_REPLICA_URLS set to
   the replica, FACTCHECK_REPLICA_MAX_LAG_SECONDS=2).
3. Anonymous readers GET the public pages and API lists; a writer creates claims through the API.
   Phases of --phase seconds each: normal; replica lagging (WAL replay paused); replica stopped;
   replica back.
4. Checks: every answer is 200 (the primary answers whatever the replica does: no 5xx, no 503);
   every acknowledged write is in the database; the replica serves reads before the faults and
   again after it is back (its transaction count grows).

Exit status 0 when every check passes; a JSON summary is printed either way.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
from fault_db_restart import DATABASE, Writer, public_paths, setup_django, writer_user  # noqa: E402


def replica_transactions(replica: harness.Replica) -> int:
    time.sleep(1.2)  # statistics are published at most once a second
    return replica.sql(f"SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '{DATABASE}'")[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--phase", type=float, default=6, help="seconds per phase")
    parser.add_argument("--max-requests", type=int, default=20000)
    args = parser.parse_args()

    database_url = harness.scratch_database_url(DATABASE)
    replica = harness.Replica(Path(tempfile.mkdtemp(prefix="factcheck-fault-replica-")))
    app_env = harness.app_environment(database_url)
    harness.manage(app_env, "migrate", "--noinput")
    harness.manage({**app_env, "DJANGO_DEBUG": "1"}, "load_demo")
    harness.manage(app_env, "collectstatic", "--noinput", "--verbosity", "0")
    setup_django(database_url)
    user, token = writer_user()
    replica.create()
    app_env.update(
        DATABASE_REPLICA_URLS=replica.url(DATABASE),
        FACTCHECK_REPLICA_MAX_LAG_SECONDS="2",
        FACTCHECK_REPLICA_CHECK_SECONDS="1",
    )
    checks: dict[str, bool] = {}
    phases: dict[str, float] = {}
    try:
        with harness.Gunicorn(app_env) as server:
            urls = [server.base_url + p for p in public_paths()]
            urls = [u for u in urls if harness.request("GET", u).status == 200]
            run_id = str(int(time.time()))
            writer = Writer(user=user, token=token, base_url=server.base_url, use_api=True, run_id=run_id)
            load: dict = {}
            seconds = 4 * args.phase
            loader = threading.Thread(
                target=lambda: load.setdefault(
                    "results", harness.drive(urls, total=args.max_requests, seconds=seconds, threads=args.threads)
                )
            )
            start = time.monotonic()
            used_before = replica_transactions(replica)
            loader.start()
            writer.start()
            time.sleep(args.phase)
            checks["replica serves reads before the faults"] = replica_transactions(replica) > used_before
            phases["lag_from_s"] = round(time.monotonic() - start, 1)
            replica.pause_replay()
            time.sleep(args.phase)
            replica.resume_replay()
            phases["down_from_s"] = round(time.monotonic() - start, 1)
            replica.stop()
            time.sleep(args.phase)
            replica.start()
            phases["back_from_s"] = round(time.monotonic() - start, 1)
            back = replica_transactions(replica)
            loader.join()
            writer.stop.set()
            writer.join(30)
            checks["replica serves reads again once back"] = replica_transactions(replica) > back
            results = load["results"]
    finally:
        replica.remove()

    from django.db import connection

    connection.close()
    from claims.models import Claim

    stored = set(Claim.objects.filter(slug__in=writer.acknowledged).values_list("slug", flat=True))
    lost = [slug for slug in writer.acknowledged if slug not in stored]
    bad = [r for r in results if r.status != 200]
    checks["every answer 200 while the replica lags and is down"] = not bad and bool(results)
    checks["every acknowledged write is stored"] = not lost and bool(writer.acknowledged)
    summary = {
        "load": harness.summarise(results),
        "pages": len(urls),
        "phases": phases,
        "unexpected": [(r.status, r.url, r.body[:200]) for r in bad][:10],
        "writes": {"acknowledged": len(writer.acknowledged), "refused": writer.refused, "lost": lost},
        "checks": checks,
    }
    print(json.dumps(summary, indent=2, default=str))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
