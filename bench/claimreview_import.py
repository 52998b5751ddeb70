"""Import throughput: N generated ClaimReview items into an empty database, items/s and peak RSS.

    DJANGO_DEBUG=1 python bench/claimreview_import.py [N]

Runs `manage.py import_claimreview` in a child process against a scratch database on the same
PostgreSQL (factcheck_bench_ingest, recreated each run), then a re-import of the same file (all
updates-or-unchanged). The floor is the parse-only rate of the same file (validate_stream, no
database), measured in the same run: the ratio says how much the database side costs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import django  # noqa: E402

django.setup()

import claimreview_items  # noqa: E402
import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402

from claims.claimreview import validate_stream  # noqa: E402

BENCH_DB = os.environ.get("FACTCHECK_BENCH_INGEST_DATABASE", "factcheck_bench_ingest")


def scratch_database_url() -> str:
    parts = urlsplit(settings.DATABASE_URL)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    return urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def run(args: list[str], env: dict) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one child process (GNU time when present)."""
    started = time.perf_counter()
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    with tempfile.NamedTemporaryFile("r", suffix=".time") as times:
        if os.path.exists("/usr/bin/time"):
            command = ["/usr/bin/time", "-f", "%M", "-o", times.name, *command]
        subprocess.run(command, env=env, check=True, cwd=ROOT)
        seconds = time.perf_counter() - started
        text = times.read().strip().splitlines()
    peak = int(text[-1]) / 1024 if text and text[-1].isdigit() else float("nan")
    return seconds, peak


def main(count: int) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as out:
        claimreview_items.main(count, out)
        path = out.name
    size_mb = os.path.getsize(path) / 1e6
    started = time.perf_counter()
    with open(path, "rb") as stream:
        summary = validate_stream(stream, filename=path)
    parse_seconds = time.perf_counter() - started
    env = {**os.environ, "DATABASE_URL": scratch_database_url(), "DATABASE_POOL": "0"}
    run(["migrate", "--noinput", "-v0"], env)
    first, first_peak = run(["import_claimreview", path, "--no-progress"], env)
    second, second_peak = run(["import_claimreview", path, "--no-progress"], env)
    parse_rate = summary.items / parse_seconds
    print(f"items: {summary.items} ({size_mb:.1f} MB JSON Lines)")
    print(f"floor, parse only (validate_stream): {parse_rate:,.0f} items/s")
    print(
        f"first import (creates): {first:.1f} s = {summary.items / first:,.0f} items/s "
        f"(ratio to floor {summary.items / first / parse_rate:.3f})"
    )
    print(f"re-import (no changes): {second:.1f} s = {summary.items / second:,.0f} items/s")
    print(f"peak RSS: first import {first_peak:.0f} MB, re-import {second_peak:.0f} MB")
    os.unlink(path)
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "case": "claimreview_import",
        "items": summary.items,
        "file_mb": round(size_mb, 1),
        "load_average": os.getloadavg(),
        "parse_items_per_s": round(parse_rate),
        "first_import_s": round(first, 1),
        "first_import_items_per_s": round(summary.items / first),
        "first_import_peak_rss_mb": round(first_peak),
        "reimport_s": round(second, 1),
        "reimport_items_per_s": round(summary.items / second),
        "reimport_peak_rss_mb": round(second_peak),
        "label": os.environ.get("FACTCHECK_BENCH_LABEL", ""),
    }
    out = ROOT / "bench" / "results" / f"{datetime.now(UTC):%Y-%m-%d-%H%M}-claimreview-import-{count}.json"
    out.write_text(json.dumps(result, indent=2))
    print(f"Written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
