#!/usr/bin/env python
"""Fault test: restart PostgreSQL under load and check that nothing breaks and nothing is lost.

    python scripts/fault_db_restart.py [--threads 8] [--before 5] [--down 6] [--after 15]

1. Prepares a scratch database `factcheck_fault` on the embedded PostgreSQL (migrate, demo data).
2. Serves the app with gunicorn (production settings, DEBUG off) on 127.0.0.1.
3. Readers GET the public pages (and API, once present) from several threads; a writer creates
   claims (through the API with a token when it accepts them, else through services.create_claim
   in this process) and records every write that was acknowledged.
4. Stops PostgreSQL (`pg_ctl stop -m fast`) for --down seconds, then starts it again.
5. Checks: every answer is 200 or 503 (never 500, never a dropped connection); 503s carry
   Retry-After and no traceback and happen only around the outage; after recovery every page
   answers 200 from the *same* gunicorn processes; every acknowledged write is in the database.

Bounded: at most --max-requests requests and --before + --down + --after seconds of load.
Exit status 0 when every check passes; a JSON summary is printed either way.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

DATABASE = "factcheck_fault"
CANDIDATE_PATHS = [
    "/",
    "/claims/",
    "/methodology/",
    "/corrections/",
    "/feed/",
    "/sitemap.xml",
    "/api/v1/claims/",
    "/api/v1/sources/",
    "/api/v1/verdicts/",
    "/api/v1/measures/",
    "/admin/login/",
]


def setup_django(database_url: str):
    """This process talks to the scratch database directly (writer, checks), without a pool."""
    os.environ.update(DJANGO_DEBUG="1", DATABASE_URL=database_url, DATABASE_POOL="0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    sys.path.insert(0, str(harness.ROOT))
    import django

    django.setup()


def writer_user():
    from django.contrib.auth.models import Group, User
    from rest_framework.authtoken.models import Token

    user, _ = User.objects.get_or_create(username="fault-writer", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="Reviewers"))
    token, _ = Token.objects.get_or_create(user=user)
    return user, token.key


def public_paths() -> list[str]:
    from claims.models import Claim, Measure, Source

    paths = list(CANDIDATE_PATHS)
    paths += [f"/claims/{slug}/" for slug in Claim.objects.public().values_list("slug", flat=True)[:10]]
    paths += [f"/sources/{slug}/" for slug in Source.objects.public().values_list("slug", flat=True)[:5]]
    paths += [f"/measures/{slug}/" for slug in Measure.objects.public().values_list("slug", flat=True)[:5]]
    return paths


class Writer(threading.Thread):
    """Creates one claim every `interval` seconds; remembers the acknowledged ones."""

    def __init__(self, *, user, token: str, base_url: str, use_api: bool, run_id: str, interval=0.05):
        super().__init__(daemon=True)
        self.user, self.token, self.base_url, self.use_api = user, token, base_url, use_api
        self.run_id, self.interval = run_id, interval
        self.acknowledged: list[str] = []
        self.refused: dict[str, int] = {}
        self.stop = threading.Event()

    def write_once(self, n: int) -> str | None:
        text = f"Fault run {self.run_id}: claim number {n} about {n} million barrels."
        if self.use_api:
            result = harness.request(
                "POST",
                self.base_url + "/api/v1/claims/",
                body={"text": text},
                headers={"Authorization": f"Token {self.token}", "Accept": "application/json"},
            )
            if result.status == 201:
                return json.loads(result.body)["slug"]
            self.refused[str(result.status)] = self.refused.get(str(result.status), 0) + 1
            return None
        from django.db import connection

        from claims import services

        try:
            return services.create_claim(text=text, by=self.user).slug
        except Exception as exc:  # noqa: BLE001 - any failure is "not acknowledged"
            name = type(exc).__name__
            self.refused[name] = self.refused.get(name, 0) + 1
            connection.close()  # a broken connection is replaced on the next attempt
            return None

    def run(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            slug = self.write_once(n)
            if slug:
                self.acknowledged.append(slug)
            time.sleep(self.interval)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--before", type=float, default=5, help="seconds of load before the outage")
    parser.add_argument("--down", type=float, default=6, help="seconds PostgreSQL stays stopped")
    parser.add_argument("--after", type=float, default=15, help="seconds of load after it is back")
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--pool-timeout", type=int, default=2, help="DATABASE_POOL_TIMEOUT for gunicorn")
    args = parser.parse_args()

    database_url = harness.scratch_database_url(DATABASE)
    app_env = harness.app_environment(database_url, DATABASE_POOL_TIMEOUT=str(args.pool_timeout))
    harness.manage(app_env, "migrate", "--noinput")
    harness.manage({**app_env, "DJANGO_DEBUG": "1"}, "load_demo")
    harness.manage(app_env, "collectstatic", "--noinput", "--verbosity", "0")
    setup_django(database_url)
    user, token = writer_user()
    run_id = str(int(time.time()))

    checks: dict[str, bool] = {}
    with harness.Gunicorn(app_env) as server:
        paths = [p for p in public_paths() if harness.request("GET", server.base_url + p).status == 200]
        urls = [server.base_url + p for p in paths]
        probe = harness.request(
            "POST",
            server.base_url + "/api/v1/claims/",
            body={"text": f"Fault run {run_id}: API probe claim."},
            headers={"Authorization": f"Token {token}", "Accept": "application/json"},
        )
        writer = Writer(user=user, token=token, base_url=server.base_url, use_api=probe.status == 201, run_id=run_id)
        workers_before = server.worker_pids()

        load: dict = {}
        total_seconds = args.before + args.down + args.after
        loader = threading.Thread(
            target=lambda: load.setdefault(
                "results", harness.drive(urls, total=args.max_requests, seconds=total_seconds, threads=args.threads)
            )
        )
        start = time.monotonic()
        loader.start()
        writer.start()
        time.sleep(args.before)
        t_down = time.monotonic()
        harness.stop_postgres()
        time.sleep(args.down)
        harness.start_postgres()
        t_up = time.monotonic()
        loader.join()
        writer.stop.set()
        writer.join(30)

        results = load["results"]
        after = [harness.request("GET", url) for url in urls]  # every page, once, after recovery
        grace = args.pool_timeout + 5  # requests waiting in the pool when the server came back

        bad = [r for r in results if r.status not in (200, 503)]
        unavailable = [r for r in results if r.status == 503]
        outside = [r for r in unavailable if not (t_down - 1 <= r.started <= t_up + grace)]
        late = [r for r in results if r.started > t_up + grace and r.status != 200]
        leaky = [r for r in unavailable if "Traceback" in r.body or "OperationalError" in r.body]
        checks["only 200 or 503 under the restart"] = not bad
        checks["503 seen while the database was down"] = bool(unavailable)
        checks["503 only around the outage"] = not outside
        checks["503 answers carry Retry-After"] = all(r.retry_after for r in unavailable)
        checks["no traceback in any answer"] = not leaky
        checks["200 after recovery (load)"] = not late
        checks["200 after recovery (every page)"] = all(r.status == 200 for r in after)
        checks["same gunicorn processes (no restart)"] = server.process.poll() is None and (
            server.worker_pids() == workers_before
        )

    from django.db import connection

    connection.close()
    from claims.models import Claim

    stored = set(Claim.objects.filter(slug__in=writer.acknowledged).values_list("slug", flat=True))
    lost = [slug for slug in writer.acknowledged if slug not in stored]
    checks["every acknowledged write is stored"] = not lost and bool(writer.acknowledged)

    summary = {
        "load": harness.summarise(results),
        "pages": len(urls),
        "outage_seconds": round(t_up - t_down, 2),
        "outage_started_at_s": round(t_down - start, 2),
        "unavailable_503": len(unavailable),
        "first_503_s": round(min((r.started for r in unavailable), default=t_down) - start, 2),
        "last_503_s": round(max((r.started for r in unavailable), default=t_down) - start, 2),
        "unexpected": [(r.status, r.url, r.body[:200]) for r in (bad + outside + late)][:10],
        "writes": {
            "via": "api" if writer.use_api else "services",
            "acknowledged": len(writer.acknowledged),
            "refused": writer.refused,
            "lost": lost,
        },
        "checks": checks,
    }
    print(json.dumps(summary, indent=2, default=str))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
