"""Publish-to-email latency of the tip line: a verdict is published through the services and its
confirmed tipsters' messages arrive at a real SMTP server (aiosmtpd) on 127.0.0.1.

    DATABASE_URL=postgres://… .venv/bin/python scripts/tip_email_latency.py [--runs 20] [--subscribers 1]

Use a scratch database (scripts/tip_load.py makes `factcheck_tipload`): it writes claims, users
and verdicts. Prints p50/p95 from the publish call to each message's arrival, and the publish
call's own duration. The messages are sent by a job worker (`manage.py procrastinate worker`)
that the script starts and stops; the publish call only enqueues them.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("FACTCHECK_MATCHING_EMBED_ON_WRITE", "0")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--subscribers", type=int, default=1)
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        parser.error("set DATABASE_URL to a scratch database")

    from aiosmtpd.controller import Controller

    arrivals, arrived = [], threading.Condition()

    class Inbox:
        async def handle_DATA(self, server, session, envelope):
            with arrived:
                arrivals.append(time.monotonic())
                arrived.notify_all()
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    os.environ.update(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(port), EMAIL_BACKEND="")
    import subprocess

    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "procrastinate", "worker", "--concurrency=4"],
        cwd=ROOT,
        env={**os.environ, "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(6)  # the worker connects and starts listening before the first publication
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from claims import services
    from claims.models import RatingLevel, TipSubscription

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    reviewer, _ = User.objects.get_or_create(username="latency-reviewer", defaults={"is_staff": True})
    editor, _ = User.objects.get_or_create(username="latency-editor", defaults={"is_staff": True})
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    editor.groups.add(Group.objects.get(name="Editors"))
    rating = RatingLevel.objects.get(slug="false")
    latencies, calls = [], []
    try:
        for run in range(args.runs):
            claim = services.create_tip_claim(text=f"Latency claim {time.time_ns()} number {run}", language="en")
            now = timezone.now()
            TipSubscription.objects.bulk_create(
                TipSubscription(
                    claim=claim,
                    email=f"r{run}-{n}@example.org",
                    consented_at=now,
                    confirmed_at=now,
                )
                for n in range(args.subscribers)
            )
            verdict = services.create_verdict(claim=claim, rating=rating, summary="Not so.", by=reviewer)
            verdict = services.submit_verdict(verdict=verdict, by=reviewer)
            before = len(arrivals)
            started = time.monotonic()
            services.publish_verdict(verdict=verdict, by=editor)
            calls.append(time.monotonic() - started)
            with arrived:
                expected = before + args.subscribers
                arrived.wait_for(lambda expected=expected: len(arrivals) >= expected, timeout=30)
            latencies += [at - started for at in arrivals[before:]]
    finally:
        worker.terminate()
        worker.wait(20)
        controller.stop()

    def pct(values, q):
        values = sorted(values)
        return values[min(len(values) - 1, int(q * len(values)))] * 1000

    print(
        f"{len(latencies)} messages over {args.runs} publications ({args.subscribers} subscriber(s) each): "
        f"publish-to-email p50 {pct(latencies, 0.5):.0f} ms, p95 {pct(latencies, 0.95):.0f} ms; "
        f"publish call p50 {pct(calls, 0.5):.0f} ms, p95 {pct(calls, 0.95):.0f} ms"
    )
    return 0 if len(latencies) == args.runs * args.subscribers else 1


if __name__ == "__main__":
    sys.exit(main())
