"""`python -m bench [--claims N]`: load synthetic data once per size, run every benchmark with its
floor, print a markdown table and write bench/results/<date>-<claims>.json."""

import argparse
import json
import os
import platform
import resource
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from bench import environment

RESULTS_DIR = Path(__file__).resolve().parent / "results"
CASES = ("api", "search", "pages", "admin", "credibility", "claimreview", "matching", "load")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--claims", type=int, default=100_000, help="synthetic claims (default 100,000)")
    parser.add_argument("--runs", type=int, default=25, help="timed runs per in-process benchmark")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL under wrk")
    parser.add_argument("--only", default="", help=f"comma-separated subset of: {', '.join(CASES)}")
    parser.add_argument("--skip", default="", help="comma-separated cases to leave out")
    return parser.parse_args(argv)


def ensure_data(claims: int) -> dict:
    """Migrate the bench database, collect static files and top it up to `claims` synthetic claims."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)  # DEBUG is off: hashed static names
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM claims_claim")
        present = cursor.fetchone()[0]
    loaded = {"present_before": present}
    if present < claims:
        started = time.perf_counter()
        call_command("generate_synthetic", claims=claims - present, no_progress=not sys.stderr.isatty())
        loaded.update(generated=claims - present, seconds=time.perf_counter() - started)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM claims_claim")
        loaded["claims"] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database())), version()")
        loaded["database_size"], loaded["postgres"] = cursor.fetchone()
    return loaded


def machine() -> dict:
    import psutil

    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_start": os.getloadavg(),
    }


def run_cases(ctx, selected) -> tuple[list, dict]:
    from bench.cases import api, batch, load, matching, pages, search
    from bench.timing import Skip

    runners = {
        "api": api.run,
        "search": search.run,
        "pages": pages.run,
        "admin": pages.run_admin,
        "credibility": batch.run_credibility,
        "claimreview": batch.run_claimreview,
        "matching": matching.run,
        "load": load.run,
    }
    results, skipped = [], {}
    for name in selected:
        started = time.perf_counter()
        print(f"· {name} …", file=sys.stderr, flush=True)
        try:
            results.extend(runners[name](ctx))
        except Skip as reason:
            skipped[name] = str(reason)
        except Exception as error:  # report and go on: one broken piece must not hide the others
            traceback.print_exc()
            skipped[name] = f"failed: {error!r}"
        print(f"  {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return results, skipped


def markdown(results, skipped) -> str:
    lines = [
        "| benchmark | ours (median) | ours p95 | floor (median) | ratio | target | peak Python alloc | notes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        floor = f"{r.floor.median_ms:.2f} ms ({r.floor_label})" if r.floor else "—"
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "—"
        target = f"≤ {r.target}" + (" ✅" if r.met else " ❌") if r.target else "—"
        peak = f"{r.ours.peak_kib / 1024:.1f} MiB" if r.ours.peak_kib else "—"
        notes = "; ".join(filter(None, [r.note, *(f"{q} queries" for q in [r.extra.get("queries")] if q)]))
        lines.append(
            f"| {r.name} | {r.ours.median_ms:.2f} ms | {r.ours.p95_ms:.2f} ms | {floor} | {ratio} | {target} "
            f"| {peak} | {notes} |"
        )
    for name, reason in skipped.items():
        lines.append(f"| {name} | skipped | | | | | | {reason} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    selected = [c for c in (args.only.split(",") if args.only else CASES) if c and c not in args.skip.split(",")]
    unknown = set(selected) - set(CASES)
    if unknown:
        raise SystemExit(f"unknown cases: {', '.join(sorted(unknown))}")
    environment.setup_django(args.claims)
    from django.conf import settings

    settings.ROOT_URLCONF = "bench.urls"  # adds the trivial view and the naive list
    started = time.perf_counter()
    data = ensure_data(args.claims)
    from bench.context import build_context

    ctx = build_context(claims=data["claims"], runs=args.runs, duration=args.duration)
    results, skipped = run_cases(ctx, selected)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "data": data,
        "database": os.environ["DATABASE_URL"].rsplit("/", 1)[-1].split("?")[0],
        "results": [r.as_dict() for r in results],
        "skipped": skipped,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "total_seconds": time.perf_counter() - started,
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"{datetime.now(UTC):%Y-%m-%d-%H%M}-{data['claims']}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    print(
        f"\n{data['claims']:,} claims ({data['database_size']}), {report['machine']['cpus']} CPUs, "
        f"{report['date']}; bench process peak RSS {report['peak_rss_mib']:.0f} MiB; "
        f"{report['total_seconds']:.0f} s in all\n"
    )
    print(markdown(results, skipped))
    print(f"\nWritten {out.relative_to(environment.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
