"""Intake at volume: a followed DataFeed's polls, the tip line under load, and how long a published
verdict takes to reach a webhook and a tipster's inbox.

    python bench/intake.py [--items 10000] [--duration 15] [--publications 40] [--only datafeed,tips,latency]

Everything runs on 127.0.0.1 against a scratch database on the app's PostgreSQL
(factcheck_bench_intake, recreated each run), with production-like settings (bench/environment.py:
DEBUG off, the API throttles raised out of the way).

- datafeed: an --items ClaimReview DataFeed (bench/claimreview_items.py's shapes, 200 publishers)
  served by a local HTTP server with an ETag, followed (`manage.py follow`) and polled twice, each
  time in a fresh child process: the first poll imports everything, the second is answered 304.
  Seconds of the poll itself (Django's start-up left out) and the process's peak RSS. Floor:
  parsing the same feed's items, no database (validate_stream).
- tips: gunicorn (bench/cases/load.py's server) with the tip line's own throttle raised
  (FACTCHECK_THROTTLE_TIPS=100000000/min; it is 10/min per client otherwise, and wrk is one
  client), and wrk POSTing JSON tips to /api/v1/tips/ for --duration seconds: texts vary per
  request, some repeating the published claims' wording (answered "already checked"), the others
  new or near each other (new claims or added demand). Tips per second, p50/p99, errors (socket
  errors plus non-2xx). Floor: the trivial view on the same server.
- latency: a real procrastinate worker (child process), a local HTTP webhook receiver and an
  aiosmtpd server; --publications verdicts published one after another, each on a claim with one
  confirmed tipster and one webhook subscription; time from the publishing transaction's commit to
  the webhook's arrival and to the email's arrival, p50/p95.

Writes bench/results/<date>-intake.json and prints the numbers.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BENCH_DB = "factcheck_bench_intake"
CASES = ("datafeed", "tips", "latency")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000, help="ClaimReview items in the DataFeed")
    parser.add_argument("--duration", type=int, default=15, help="seconds of tip-line load under wrk")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections for the tip line")
    parser.add_argument("--publications", type=int, default=40, help="verdicts published for the latency")
    parser.add_argument("--only", default="", help=f"comma-separated subset of: {', '.join(CASES)}")
    parser.add_argument("--poll-child", type=int, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def setup() -> None:
    """A fresh scratch database, production-like settings, Django set up, migrated."""
    os.environ["FACTCHECK_BENCH_DATABASE"] = BENCH_DB
    os.environ["FACTCHECK_FETCH_ALLOW_HOSTS"] = "127.0.0.1"
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    from bench import environment

    url = environment.bench_database_url(0)
    with psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    environment.setup_django(0)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def child_env(**extra) -> dict:
    return {**os.environ, "DATABASE_POOL": "0", **extra}


def polled_in_child(source_id: int) -> dict:
    """One poll in a fresh process (this script with --poll-child): its seconds (Django's start-up
    left out), the process's RSS before it and its peak RSS, and the poll's outcome."""
    command = [sys.executable, str(Path(__file__).resolve()), "--poll-child", str(source_id)]
    done = subprocess.run(command, env=child_env(), check=True, cwd=ROOT, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def poll_child(source_id: int) -> None:
    import resource

    from bench import environment

    environment.setup_django(0)
    from claims.intake import follow

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    outcome = follow.poll(source_id)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss_before_mib": before, "peak_rss_mib": peak, "outcome": outcome}))


# --- A local HTTP server for feeds and webhooks -------------------------------------------------


@contextlib.contextmanager
def http_server(handler_class):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def feed_handler(body: bytes, etag: str):
    class Handler(BaseHTTPRequestHandler):
        statuses: list[int] = []

        def do_GET(self):
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                Handler.statuses.append(304)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            Handler.statuses.append(200)

        def log_message(self, *args):
            pass

    return Handler


def datafeed_body(count: int) -> bytes:
    import claimreview_items

    rng = random.Random(7)
    elements = [{"@type": "DataFeedItem", "item": [claimreview_items.item(n, rng)]} for n in range(count)]
    return json.dumps({"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": elements}).encode()


def run_datafeed(items: int) -> dict:
    import io

    from django.core.management import call_command

    from claims.claimreview import validate_stream
    from claims.intake.follow_models import FollowedSource
    from claims.models import Verdict

    body = datafeed_body(items)
    started = time.perf_counter()
    summary = validate_stream(io.BytesIO(body), filename="feed.json")
    parse_seconds = time.perf_counter() - started
    handler = feed_handler(body, f'"{hashlib.sha256(body).hexdigest()[:16]}"')
    with http_server(handler) as base:
        call_command("follow", f"{base}/feed.json", "--kind", "datafeed", stdout=io.StringIO())
        source_id = FollowedSource.objects.get(url=f"{base}/feed.json").pk
        first = polled_in_child(source_id)
        second = polled_in_child(source_id)
    verdicts = Verdict.objects.count()
    assert handler.statuses == [200, 304], handler.statuses
    assert first["outcome"]["new"] == summary.items and not first["outcome"]["error"], first
    assert second["outcome"]["status"] == 304 and not second["outcome"]["error"], second
    return {
        "items": summary.items,
        "feed_mb": round(len(body) / 1e6, 1),
        "floor_parse_s": round(parse_seconds, 2),
        "first_poll_s": round(first["seconds"], 1),
        "first_poll_items_per_s": round(summary.items / first["seconds"]),
        "first_poll_peak_rss_mib": round(first["peak_rss_mib"]),
        "first_poll_rss_before_mib": round(first["rss_before_mib"]),
        "first_poll_outcome": first["outcome"],
        "ratio_to_parse_floor": round(first["seconds"] / parse_seconds, 1),
        "second_poll_304_s": round(second["seconds"], 3),
        "second_poll_peak_rss_mib": round(second["peak_rss_mib"]),
        "verdicts_after": verdicts,
    }


# --- The tip line under wrk ----------------------------------------------------------------------

TIP_LUA = r"""
words = {"port", "cargo", "tonnes", "record", "minister", "border", "gas", "exports", "prices",
  "petrol", "wheat", "imports", "drones", "corridor", "railway", "budget", "inflation", "wages",
  "refugees", "pipeline", "election", "turnout", "villages", "schools", "hospital", "tariffs"}
published = {PUBLISHED}
counter = 0
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  counter = counter + 1
  local text
  if counter % 4 == 0 then
    text = published[math.random(#published)]
  else
    local parts = {}
    for k = 1, 10 do parts[k] = words[math.random(#words)] end
    text = "Someone says the " .. table.concat(parts, " ") .. " rose by " .. math.random(1, 100000) .. " last year."
  end
  local body = '{"text": "' .. text .. '"}'
  return wrk.format("POST", "/api/v1/tips/", {["Content-Type"] = "application/json"}, body)
end
"""


def publish_claims(count: int, *, reviewer, editor, text) -> list:
    from claims import services
    from claims.models import RatingLevel

    rating = RatingLevel.objects.get(slug="false")
    claims = []
    for n in range(count):
        claim = services.create_claim(text=text(n), by=reviewer)
        verdict = services.create_verdict(claim=claim, rating=rating, summary="Checked against the data.", by=reviewer)
        verdict = services.submit_verdict(verdict=verdict, by=reviewer)
        services.publish_verdict(verdict=verdict, by=editor)
        claims.append(claim)
    return claims


def staff():
    from django.contrib.auth.models import Group, User

    users = []
    for name, group in (("bench-reviewer", "Reviewers"), ("bench-editor", "Editors")):
        user, created = User.objects.get_or_create(username=name, defaults={"is_staff": True})
        if created:
            user.groups.add(Group.objects.get(name=group))
        users.append(user)
    return users


def run_tips(duration: int, connections: int) -> dict:
    import urllib.request

    from bench.cases.load import _server, ensure_wrk, parse_wrk  # the load benchmark's gunicorn and wrk
    from claims.models import Claim, Tip

    wrk = ensure_wrk()
    reviewer, editor = staff()
    topics = [("oil imports", 2019), ("wheat harvest", 2021), ("gas exports", 2023), ("railway freight", 2024)]
    texts = [f"The {topic} figure for {year} was the highest ever recorded." for topic, year in topics]
    publish_claims(len(texts), reviewer=reviewer, editor=editor, text=texts.__getitem__)
    published = ", ".join(json.dumps(t) for t in texts)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(TIP_LUA.replace("{PUBLISHED}", "{" + published + "}"))
    try:
        with _server(FACTCHECK_THROTTLE_TIPS="100000000/min") as (base, _process):
            for _ in range(3):  # warm both workers (the sentence encoder loads on first use)
                request = urllib.request.Request(
                    base + "/api/v1/tips/", data=b'{"text": "Warming up the tip line."}', method="POST"
                )
                request.add_header("Content-Type", "application/json")
                urllib.request.urlopen(request, timeout=60).read()
            claims_before, tips_before = Claim.objects.count(), Tip.objects.count()
            answered_before = Tip.objects.filter(claim__text__in=texts).count()
            command = [wrk, "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "60s", "--latency"]
            raw = subprocess.run([*command, "-s", script.name, base], check=True, capture_output=True, text=True).stdout
            tips = parse_wrk(raw)
            trivial_cmd = [wrk, "-t2", f"-c{connections}", f"-d{min(duration, 5)}s", "--latency"]
            trivial = parse_wrk(
                subprocess.run(
                    [*trivial_cmd, base + "/bench/trivial/"], check=True, capture_output=True, text=True
                ).stdout
            )
    finally:
        os.unlink(script.name)
    return {
        "tips_per_s": round(tips["rps"], 1),
        "p50_ms": tips["p50_ms"],
        "p99_ms": tips["p99_ms"],
        "requests": tips["requests"],
        "errors": tips["errors"],
        "tips_stored": Tip.objects.count() - tips_before,
        "new_claims": Claim.objects.count() - claims_before,
        "onto_published_claims": Tip.objects.filter(claim__text__in=texts).count() - answered_before,
        "floor_trivial_rps": round(trivial["rps"]),
        "connections": connections,
        "duration_s": duration,
        "wrk_output": raw,
    }


# --- Publish-to-webhook and publish-to-email ------------------------------------------------------


def run_latency(publications: int) -> dict:
    import statistics

    from aiosmtpd.controller import Controller
    from django.utils import timezone

    from bench.cases.load import _free_port
    from claims import services
    from claims.intake.models import WebhookSubscription
    from claims.models import RatingLevel, TipSubscription

    arrivals: dict[str, float] = {}
    lock = threading.Lock()

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            now = time.time()
            self.send_response(204)
            self.end_headers()
            review = json.loads(body)["claimreview"]
            with lock:
                arrivals.setdefault("hook:" + review["claimReviewed"], now)

        def log_message(self, *args):
            pass

    class Inbox:
        async def handle_DATA(self, server, session, envelope):
            now = time.time()
            with lock:
                for to in envelope.rcpt_tos:
                    arrivals.setdefault("mail:" + to, now)
            return "250 OK"

    reviewer, editor = staff()
    from django.contrib.auth.models import User

    owner, _ = User.objects.get_or_create(username="bench-hook-owner")
    rating = RatingLevel.objects.get(slug="false")
    drafts = []
    for n in range(publications):
        text = f"Bench claim {n}: the port handled {1000 + n} tonnes in a single day."
        claim = services.create_claim(text=text, by=reviewer)
        now = timezone.now()
        TipSubscription.objects.create(claim=claim, email=f"tipster{n}@example.org", consented_at=now, confirmed_at=now)
        verdict = services.create_verdict(claim=claim, rating=rating, summary="Checked.", by=reviewer)
        drafts.append((text, n, services.submit_verdict(verdict=verdict, by=reviewer)))
    smtp = Controller(Inbox(), hostname="127.0.0.1", port=_free_port())
    smtp.start()
    webhook, email = [], []
    try:
        with http_server(Hook) as base:
            WebhookSubscription.objects.create(
                owner=owner, url=f"{base}/hook", secret="s" * 32, events=["verdict.published"]
            )
            env = child_env(
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=str(smtp.port),
            )
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "procrastinate", "worker", "--concurrency=2"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                time.sleep(3)  # the worker connects and starts listening
                for text, n, draft in drafts:
                    services.publish_verdict(verdict=draft, by=editor)  # commits on return
                    published_at = time.time()
                    keys = ("hook:" + text, f"mail:tipster{n}@example.org")
                    deadline = time.monotonic() + 60
                    while not all(k in arrivals for k in keys):
                        if time.monotonic() > deadline:
                            raise RuntimeError(f"publication {n} did not arrive: {keys}")
                        time.sleep(0.002)
                    webhook.append((arrivals[keys[0]] - published_at) * 1000)
                    email.append((arrivals[keys[1]] - published_at) * 1000)
            finally:
                worker.terminate()
                worker.wait(30)
    finally:
        smtp.stop()

    def quantiles(values):
        cuts = statistics.quantiles(values, n=20)
        return {"p50_ms": round(statistics.median(values), 1), "p95_ms": round(cuts[18], 1)}

    return {"publications": publications, "webhook": quantiles(webhook), "email": quantiles(email)}


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.poll_child:
        os.environ["FACTCHECK_BENCH_DATABASE"] = BENCH_DB
        poll_child(args.poll_child)
        return 0
    selected = [c for c in (args.only.split(",") if args.only else CASES) if c]
    load_at_start = os.getloadavg()
    setup()
    report = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "load_average_at_start": load_at_start}
    if "datafeed" in selected:
        report["datafeed"] = run_datafeed(args.items)
        print("datafeed:", json.dumps(report["datafeed"], indent=1), flush=True)
    if "tips" in selected:
        report["tips"] = run_tips(args.duration, args.connections)
        print("tips:", json.dumps(report["tips"], indent=1), flush=True)
    if "latency" in selected:
        report["latency"] = run_latency(args.publications)
        print("latency:", json.dumps(report["latency"], indent=1), flush=True)
    report["load_average_at_end"] = os.getloadavg()
    out = ROOT / "bench" / "results" / f"{datetime.now(UTC):%Y-%m-%d-%H%M}-intake.json"
    out.write_text(json.dumps(report, indent=2))
    print(f"Written {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
