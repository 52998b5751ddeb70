"""Under load: gunicorn (gthread) on 127.0.0.1 driven by wrk for a bounded time per URL. Requests
per second and p99 of the claim page and the API list, as ratios to a trivial view on the same server."""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from bench.environment import ROOT
from bench.timing import Result, Skip, Timing

WORKERS, THREADS, CONNECTIONS = 2, 4, 16


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, capture_output=True)
        path = shutil.which("wrk")
    if not path:
        raise Skip("wrk is not installed (Debian: apt-get install -y wrk)")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse_wrk(output: str) -> dict:
    latencies = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", output, re.M))
    if "99" not in latencies:
        raise RuntimeError(f"wrk reported no latency distribution (no request completed?):\n{output}")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": _ms(latencies["50"]),
        "p99_ms": _ms(latencies["99"]),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "errors": (sum(int(n) for n in errors.groups()) if errors else 0) + (int(non_2xx.group(1)) if non_2xx else 0),
    }


def _wrk(wrk: str, base: str, paths: list[str], duration: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        quoted = ", ".join(f'"{path}"' for path in paths)
        script.write(
            f"paths = {{{quoted}}}\ni = 0\n"
            "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
        )
    try:
        output = subprocess.run(
            [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", "-s", script.name, base],
            check=True,
            capture_output=True,
            text=True,
            timeout=duration + 30,
        ).stdout
    finally:
        os.unlink(script.name)
    return parse_wrk(output)


def _worker_rss_mib(server: subprocess.Popen) -> float | None:
    try:
        import psutil
    except ImportError:
        return None
    children = psutil.Process(server.pid).children()
    return max((child.memory_info().rss for child in children), default=0) / 2**20


@contextmanager
def _server(**env):
    """gunicorn on a free port with `env` added to the environment; yields (base URL, process)."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "gunicorn", "bench.wsgi", "-k", "gthread", "--workers", str(WORKERS),
        "--threads", str(THREADS), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip
    log = Path(tempfile.gettempdir()) / f"factcheck-bench-gunicorn-{port}.log"
    with open(log, "w") as log_file:
        server = subprocess.Popen(
            command, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT, env={**os.environ, **env}
        )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/bench/trivial/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise Skip(f"gunicorn did not start (see {log})")
        yield base, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a worker still inside a very slow request
            import psutil

            for worker in psutil.Process(server.pid).children():
                worker.kill()
            server.kill()
            server.wait(timeout=30)


def _load(wrk: str, base: str, targets, duration: int, too_slow: list[str]) -> dict:
    measured = {}
    for label, paths in targets:
        try:
            for path in paths:  # warm every worker's caches and connections
                urllib.request.urlopen(base + path, timeout=30).read()
        except TimeoutError:  # one request over 30 s: wrk would only count timeouts
            too_slow.append(label)
            continue
        numbers = _wrk(wrk, base, paths, duration)
        if numbers["rps"] > 0:
            measured[label] = numbers
        else:
            too_slow.append(label)
    return measured


def run(ctx) -> list[Result]:
    wrk = ensure_wrk()
    claim_paths = [ctx.url("claims:claim-detail", slug=slug) for slug in ctx.claim_slugs]
    targets = [("trivial view", ["/bench/trivial/"])]
    try:
        targets.append(("API claim list", [ctx.url("api:claim-list")]))
    except Skip:
        pass
    targets.append(("claim page (page cache on)", claim_paths))  # last: a page too slow to warm up keeps a thread busy
    too_slow, rss = [], {}
    with _server() as (base, server):
        measured = _load(wrk, base, targets, ctx.duration, too_slow)
        rss["cached"] = _worker_rss_mib(server)
    # The render under load: the page cache off, so every request draws the page.
    with _server(FACTCHECK_PAGE_CACHE_SECONDS="0") as (base, server):
        measured.update(_load(wrk, base, [("claim page (page cache off)", claim_paths)], ctx.duration, too_slow))
        rss["uncached"] = _worker_rss_mib(server)
    rss = max((value for value in rss.values() if value is not None), default=None)
    trivial = measured.pop("trivial view")
    results = [
        Result(
            "Load: trivial view (gunicorn + wrk)",
            Timing(1000 / trivial["rps"], trivial["p99_ms"], trivial["requests"]),
            note=f"{trivial['rps']:,.0f} req/s, p99 {trivial['p99_ms']:.1f} ms, {trivial['errors']} errors",
            extra=trivial,
        )
    ]
    for label, numbers in measured.items():
        results.append(
            Result(
                f"Load: {label} (gunicorn {WORKERS}×{THREADS} gthread, wrk {CONNECTIONS} connections, "
                f"{ctx.duration} s)",
                # "median" here is the mean service time 1/throughput, so the ratio is the throughput ratio
                Timing(1000 / numbers["rps"], numbers["p99_ms"], numbers["requests"]),
                Timing(1000 / trivial["rps"], trivial["p99_ms"], trivial["requests"]),
                "trivial view on the same server (ratio = its req/s ÷ ours)",
                note=(
                    f"{numbers['rps']:,.0f} req/s (trivial {trivial['rps']:,.0f}), p99 {numbers['p99_ms']:.1f} ms "
                    f"(trivial {trivial['p99_ms']:.1f} ms), {numbers['errors']} errors"
                ),
                extra={**numbers, "worker_rss_mib": rss},
            )
        )
    if too_slow:
        results[0].note += f"; not measured (a request took over 30 s or none finished): {', '.join(too_slow)}"
    if rss is not None:
        results[0].extra["worker_rss_mib"] = rss
        results[0].note += f"; largest worker RSS after the run {rss:.0f} MiB"
    return results
