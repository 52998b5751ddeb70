"""The background engine: jobs are enqueued in the writing transaction and a real worker
(`manage.py procrastinate worker` over the test database) runs them; `make run`'s supervisor
starts the web server and a worker together and stops both."""

import signal
import subprocess
import sys
import time

import pytest
from django.db import connection, transaction

from claims.intake import jobs
from claims.models import Source
from claims.tests import servers
from claims.tests.factories import SourceFactory
from claims.tests.workers import job_rows, job_worker, wait_for, wait_for_job

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _no_waiting_recompute():
    """procrastinate's tables are not flushed between tests (they are not Django-managed): a
    recompute left waiting by an earlier test or run would hold the queueing lock."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs WHERE task_name = 'recompute_credibility' AND status = 'todo'")


def test_a_job_deferred_in_a_rolled_back_write_never_exists():
    before = len(job_rows("recompute_credibility"))
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.defer(jobs.recompute_credibility)
        assert len(job_rows("recompute_credibility")) == before + 1  # visible inside the transaction
        raise RuntimeError("the write fails")
    assert len(job_rows("recompute_credibility")) == before


def test_the_real_worker_runs_a_job_committed_with_the_write():
    source = SourceFactory()
    # A stale cached score, as after a bulk change that bypassed the per-claim recompute.
    Source.objects.filter(pk=source.pk).update(credibility_score=0.42, credibility_low=0.1, credibility_high=0.9)
    with transaction.atomic():
        job_id = jobs.defer(jobs.recompute_credibility)
    assert job_id is not None
    with job_worker() as worker:
        result = wait_for_job(job_id, worker=worker)
    assert result["status"] == "succeeded"
    source.refresh_from_db()
    assert source.credibility_score is None  # no rated claims: back to "not enough data"


def test_a_queueing_lock_keeps_one_waiting_recompute():
    first = jobs.defer(jobs.recompute_credibility)
    second = jobs.defer(jobs.recompute_credibility)
    assert first is not None and second is None
    assert [row["status"] for row in job_rows("recompute_credibility") if row["status"] == "todo"] == ["todo"]


def test_make_run_starts_the_server_and_a_worker_and_ctrl_c_stops_both():
    port = servers.harness.free_port()
    env = servers.harness.app_environment(servers.database_url(connection.settings_dict), DJANGO_DEBUG="1")
    process = subprocess.Popen(
        [sys.executable, "scripts/run_dev.py", f"127.0.0.1:{port}"],
        cwd=servers.ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:

        def serving():
            try:
                return servers.fetch(f"http://127.0.0.1:{port}/methodology/")[0] == 200
            except OSError:
                return False

        wait_for(serving, what="runserver")

        # The worker registers itself (procrastinate_workers, with heartbeats) once it is polling.
        def worker_registered():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM procrastinate_workers WHERE last_heartbeat > now() - interval '1 minute'"
                )
                return cursor.fetchone()[0] >= 1

        wait_for(worker_registered, what="the worker to register")
        source = SourceFactory()
        Source.objects.filter(pk=source.pk).update(credibility_score=0.42, credibility_low=0.1, credibility_high=0.9)
        job_id = jobs.defer(jobs.recompute_credibility, queueing_lock=f"make-run-{time.time()}")
        wait_for(lambda: Source.objects.get(pk=source.pk).credibility_score is None, what=f"job {job_id}")
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0
        children = subprocess.run(["pgrep", "-s", str(process.pid)], capture_output=True, text=True).stdout.split()
        assert children == []  # neither runserver nor the worker is left behind
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_job_left_doing_by_a_dead_worker_is_run_again():
    source = SourceFactory()
    Source.objects.filter(pk=source.pk).update(credibility_score=0.42, credibility_low=0.1, credibility_high=0.9)
    job_id = jobs.defer(jobs.recompute_credibility)
    with connection.cursor() as cursor:
        # A worker that took the job, then stopped sending heartbeats (killed) an hour ago.
        cursor.execute(
            "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now() - interval '1 hour') RETURNING id"
        )
        dead_worker = cursor.fetchone()[0]
        cursor.execute(
            "UPDATE procrastinate_jobs SET status = 'doing', worker_id = %s WHERE id = %s", [dead_worker, job_id]
        )
    sweep = jobs.defer(jobs.retry_stalled_jobs, queueing_lock=f"sweep-{time.time()}")
    with job_worker() as worker:
        wait_for_job(sweep, worker=worker)
        assert wait_for_job(job_id, worker=worker)["status"] == "succeeded"
    source.refresh_from_db()
    assert source.credibility_score is None
