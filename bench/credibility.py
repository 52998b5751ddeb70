"""Benchmark `manage.py recompute_credibility` on synthetic data (default 100,000 sources and
1,000,000 published verdicts), in a separate embedded PostgreSQL under var/bench-credibility.

    DJANGO_DEBUG=1 .venv/bin/python bench/credibility.py [--sources N] [--verdicts N]

Reports wall time, peak resident memory of the command's process, the SQL statements it issued,
and, as a floor, the time PostgreSQL alone needs for the aggregate query the command starts with.
Data is generated once per size by bench/credibility_data.sql (set-based INSERT … SELECT).
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def child_env(var_dir: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "FACTCHECK_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
    }


def run_django(code: str, env: dict, stdin: str = "") -> str:
    """Run `code` in a fresh Django process; return its stdout."""
    prelude = "import django; django.setup()\n"
    result = subprocess.run(
        [PYTHON, "-c", prelude + code], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(result.stderr)
    return result.stdout


def timed_child(args: list[str], env: dict) -> tuple[float, int, str]:
    """Run a child, return (seconds, peak RSS in MiB, stdout) measured for that process alone."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if status:
        sys.exit(f"{args} failed: {out}")
    return elapsed, usage.ru_maxrss // 1024, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=100_000)
    parser.add_argument("--verdicts", type=int, default=1_000_000)
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var" / "bench-credibility")
    opts = parser.parse_args()
    env = child_env(opts.var_dir)
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)

    existing = int(
        run_django(
            "from claims.models import Verdict\n"
            "print(Verdict.objects.filter(claim__slug__startswith='bench-cred-').count())",
            env,
        )
    )
    if existing != opts.verdicts:
        if existing:
            sys.exit(f"{opts.var_dir} holds a different size ({existing} verdicts); use another --var-dir.")
        sql = (ROOT / "bench" / "credibility_data.sql").read_text()
        sql = sql.replace("{sources}", str(opts.sources)).replace("{verdicts}", str(opts.verdicts))
        started = time.perf_counter()
        run_django(
            "import sys\nfrom django.db import connection\nconnection.cursor().execute(sys.stdin.read())", env, sql
        )
        took = time.perf_counter() - started
        print(f"generated {opts.sources:,} sources and {opts.verdicts:,} verdicts in {took:.1f} s")

    floor = run_django(
        "import time\nfrom django.db import connection\nfrom django.utils import timezone\n"
        "from claims.credibility_sql import aggregate_sql, half_life_days\n"
        "sql = aggregate_sql(today=timezone.localdate(), half_life=half_life_days(), filtered=False)\n"
        "with connection.cursor() as c:\n"
        "    t = time.perf_counter()\n"
        "    c.execute('SELECT count(*) FROM (' + sql + ') agg')\n"
        "    n = c.fetchone()[0]\n"
        "    print(n, time.perf_counter() - t)\n",
        env,
    ).split()
    seconds, peak_mib, out = timed_child([PYTHON, "manage.py", "recompute_credibility"], env)
    statements = re.search(r"(\d+) SQL statements", out).group(1)
    inside = float(re.search(r"recomputed in ([\d.]+) s", out).group(1))
    queries = run_django(
        "from django.db import connection\nfrom django.test.utils import CaptureQueriesContext\n"
        "from claims.credibility_sql import recompute_all\n"
        "with CaptureQueriesContext(connection) as ctx:\n    stats = recompute_all()\n"
        "print(len(ctx.captured_queries), stats.statements)\n",
        env,
    ).split()
    print(out.strip())
    print(
        f"| {opts.sources:,} sources, {opts.verdicts:,} verdicts | {inside:.1f} s ({seconds:.1f} s with start-up) | "
        f"{peak_mib} MiB | {statements} ({queries[0]} captured by Django) | {float(floor[1]):.1f} s for "
        f"{int(floor[0]):,} sources | {inside / float(floor[1]):.1f} |"
    )


if __name__ == "__main__":
    main()
