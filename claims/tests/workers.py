"""A real procrastinate worker (`manage.py procrastinate worker`, a subprocess) over the test
database, and waiting for jobs it runs. Tests using it need committed data: `transaction=True`."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.db import connection

from claims.tests import servers

ROOT = servers.ROOT


@contextlib.contextmanager
def job_worker(*, queues: str = "", concurrency: int = 2, **env: str):
    """Yields the worker process; its log (stdout and stderr) is in `process.log_path`."""
    app_env = servers.harness.app_environment(servers.database_url(connection.settings_dict), **env)
    app_env.setdefault("DJANGO_LOG_LEVEL", "INFO")
    log_path = Path(tempfile.mkstemp(prefix="worker-test-", suffix=".log")[1])
    command = [sys.executable, "manage.py", "procrastinate", "worker", f"--concurrency={concurrency}"]
    if queues:
        command.append(f"--queues={queues}")
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=app_env, stdout=log, stderr=subprocess.STDOUT)
    process.log_path = log_path
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log_path.unlink(missing_ok=True)


def job_rows(task_name: str) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, status, attempts, args FROM procrastinate_jobs WHERE task_name = %s ORDER BY id", [task_name]
        )
        rows = cursor.fetchall()
    # Django's psycopg setup reads jsonb as text.
    return [
        {"id": pk, "status": status, "attempts": attempts, "args": json.loads(args) if isinstance(args, str) else args}
        for pk, status, attempts, args in rows
    ]


def wait_for(predicate, *, worker=None, timeout: float = 90, what: str = "the worker"):
    """Poll `predicate()` until it returns something truthy; fail with the worker's log if not."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if worker is not None and worker.poll() is not None:
            raise AssertionError(f"worker exited ({worker.returncode}):\n{worker.log_path.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            log = worker.log_path.read_text()[-3000:] if worker is not None else ""
            raise AssertionError(f"timed out waiting for {what}\n{log}")
        time.sleep(0.2)


def wait_for_job(job_id: int, *, worker, statuses=("succeeded",), timeout: float = 90) -> dict:
    def status():
        with connection.cursor() as cursor:
            cursor.execute("SELECT status, attempts FROM procrastinate_jobs WHERE id = %s", [job_id])
            row = cursor.fetchone()
        return row if row and row[0] in statuses else None

    status_, attempts = wait_for(status, worker=worker, timeout=timeout, what=f"job {job_id} to reach {statuses}")
    return {"status": status_, "attempts": attempts}
