"""Real servers for the tests that check behaviour across processes: a production-mode gunicorn
with two workers over the test database (scripts/harness.py's), and a redis-server.

A test that needs a program this machine lacks is skipped locally, and fails instead when
FACTCHECK_REQUIRE_SERVICES=1 or FACTCHECK_REQUIRE_BROWSER=1 (CI, .ci/run) is set.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import harness  # noqa: E402

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def require_program(path: str, what: str) -> None:
    if os.path.exists(path):
        return
    if os.environ.get("FACTCHECK_REQUIRE_SERVICES") == "1" or os.environ.get("FACTCHECK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{what} is required here (FACTCHECK_REQUIRE_SERVICES/BROWSER=1) but {path} is missing")
    pytest.skip(f"{what} not installed ({path})")


def database_url(settings_dict: dict) -> str:
    """postgres:// URL of a Django DATABASES entry (the test database on the embedded server)."""
    user = quote(settings_dict["USER"] or "")
    password = f":{quote(settings_dict['PASSWORD'])}" if settings_dict["PASSWORD"] else ""
    host, port = settings_dict["HOST"] or "", settings_dict["PORT"] or ""
    if host.startswith("/"):
        return f"postgresql://{user}{password}@/{settings_dict['NAME']}?host={quote(host)}" + (
            f"&port={port}" if port else ""
        )
    return f"postgresql://{user}{password}@{host}:{port or 5432}/{settings_dict['NAME']}"


@contextlib.contextmanager
def gunicorn(database: str, **env: str):
    """gunicorn (DEBUG off, 2 workers x 4 threads) on 127.0.0.1, with both workers booted."""
    app_env = harness.app_environment(database, **env)
    log_path = Path(tempfile.mkstemp(prefix="gunicorn-test-", suffix=".log")[1])
    server = harness.Gunicorn(app_env, log_path=log_path)
    with server:
        deadline = time.monotonic() + 60
        # Both workers must be serving, or one process would answer everything and a per-process
        # limit would look shared.
        while log_path.read_text().count("Booting worker") < 2 or len(server.worker_pids()) < 2:
            if time.monotonic() > deadline:
                raise RuntimeError(log_path.read_text()[-2000:])
            time.sleep(0.2)
        get_many(server.base_url + "/methodology/", total=32, threads=8)
        yield server
    log_path.unlink(missing_ok=True)


get_many = harness.count_statuses


def wait_for_a_fresh_window(seconds: int = 60, needed: float = 20) -> None:
    """Exact counts from a burst: start it early enough in a window to finish inside it, so that no
    previous-window weighting or window change splits it."""
    while time.time() % seconds > seconds - needed:
        time.sleep(0.5)


@contextlib.contextmanager
def redis_server():
    """A throwaway redis-server on 127.0.0.1 and a free port, no persistence; yields its URL."""
    require_program(REDIS_SERVER, "redis-server")
    port = harness.free_port()
    with tempfile.TemporaryDirectory() as workdir:
        process = subprocess.Popen(
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
             "--dir", workdir, "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            import redis

            client = redis.Redis(host="127.0.0.1", port=port)
            deadline = time.monotonic() + 10
            while True:
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise
                    time.sleep(0.1)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            process.wait(10)


def fetch(url: str, *, data: bytes | None = None, headers: dict | None = None):
    """One request on a new connection (so consecutive ones reach either worker): status, headers,
    the whole body as text."""
    import urllib.error
    import urllib.request

    req = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", "replace")
