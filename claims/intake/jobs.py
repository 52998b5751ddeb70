"""Background jobs on procrastinate: jobs live in the same PostgreSQL as the data and are enqueued
on the caller's connection, so a job deferred inside a write's transaction exists only if that
write commits. Workers (`manage.py procrastinate worker`) run on any number of machines against the
same database.

Other parts of the app enqueue through `defer(...)` (one place to name queues and locks), never by
calling procrastinate directly.
"""

from __future__ import annotations

import logging

from procrastinate import BaseRetryStrategy, RetryDecision
from procrastinate.contrib.django import app
from procrastinate.contrib.django.django_connector import DjangoConnector
from procrastinate.manager import JobManager
from procrastinate.tasks import configure_task

logger = logging.getLogger(__name__)

# Queues: webhooks must not wait behind a long maintenance job.
DEFAULT_QUEUE = "default"
DELIVERY_QUEUE = "deliveries"
MAINTENANCE_QUEUE = "maintenance"


# Deferring always goes through Django's connection, in the web process and in workers alike:
# inside a job, the app's own connector is the worker's pool, whose inserts would commit on their
# own, so a job could run before the rows it is about (written in the job's transaction) exist.
_on_django_connection = JobManager(DjangoConnector())


def _deferrer(task, *, queueing_lock: str | None, lock: str | None):
    return configure_task(
        name=task.name,
        job_manager=_on_django_connection,
        queue=task.queue,
        lock=lock or task.lock,
        queueing_lock=queueing_lock or task.queueing_lock,
        priority=task.priority,
    )


def defer(task, *, queueing_lock: str | None = None, lock: str | None = None, **kwargs) -> int | None:
    """Enqueue `task` with keyword arguments (JSON-serialisable) on Django's database
    connection, inside the caller's transaction if there is one. With `queueing_lock`, a second
    job with the same lock is not queued while one waits (returns None then)."""
    from procrastinate.exceptions import AlreadyEnqueued

    try:
        return _deferrer(task, queueing_lock=queueing_lock, lock=lock).defer(**kwargs)
    except AlreadyEnqueued:
        return None


def batch_defer(task, arguments: list[dict]) -> list[int]:
    """Enqueue one job of `task` per keyword-argument dict, in one statement (see `defer`)."""
    if not arguments:
        return []
    return _deferrer(task, queueing_lock=None, lock=None).batch_defer(*arguments)


# --- Maintenance -------------------------------------------------------------------------------


@app.periodic(cron="17 3 * * *", periodic_id="nightly-credibility")
@app.task(
    name="recompute_credibility", queue=MAINTENANCE_QUEUE, queueing_lock="recompute_credibility", pass_context=False
)
def recompute_credibility(timestamp: int | None = None) -> dict:
    """Every source's cached credibility, in a fixed number of set-based statements. Nightly,
    because with recency weighting on, scores drift with time even without new verdicts; also
    deferred after changes that touch many sources at once."""
    from claims.credibility_sql import recompute_all

    stats = recompute_all()
    logger.info("credibility recomputed: %s sources scored", stats.scored)
    return {"scored": stats.scored, "updated": stats.updated, "reset": stats.reset}


# A worker that dies mid-job (machine lost, OOM kill) leaves its jobs "doing" for ever; another
# worker puts them back in the queue once the dead one's heartbeat is old. Receivers of a retried
# webhook can see it twice (same X-Factcheck-Delivery id).
STALLED_AFTER_SECONDS = 120


@app.periodic(cron="*/5 * * * *", periodic_id="retry-stalled")
@app.task(name="retry_stalled_jobs", queue=MAINTENANCE_QUEUE, queueing_lock="retry_stalled_jobs", pass_context=True)
async def retry_stalled_jobs(context, timestamp: int | None = None) -> int:
    manager = context.app.job_manager
    stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_AFTER_SECONDS))
    for job in stalled:
        await manager.retry_job(job)
    if stalled:
        logger.warning("re-queued %s stalled jobs: %s", len(stalled), [job.id for job in stalled])
    return len(stalled)


@app.periodic(cron="41 4 * * *", periodic_id="remove-old-jobs")
@app.task(name="remove_old_jobs", queue=MAINTENANCE_QUEUE, queueing_lock="remove_old_jobs", pass_context=True)
async def remove_old_jobs(context, timestamp: int | None = None) -> None:
    """Finished jobs are kept a week (for the admin), then deleted, so the table stays small."""
    await context.app.job_manager.delete_old_jobs(nb_hours=7 * 24, include_failed=True, include_cancelled=True)


# --- Webhooks ----------------------------------------------------------------------------------


class WebhookBackoff(BaseRetryStrategy):
    """Retry a failed delivery after base, 2 x base, 4 x base ... seconds, while the delivery
    itself says another attempt is due (claims/intake/webhooks.py decides, from the settings)."""

    def get_retry_decision(self, *, exception: BaseException, job) -> RetryDecision | None:
        from django.conf import settings

        from claims.intake.webhooks import DeliveryFailed

        if not isinstance(exception, DeliveryFailed):
            return None
        if job.attempts + 1 >= settings.FACTCHECK_WEBHOOK_MAX_ATTEMPTS:
            return None
        return RetryDecision(retry_in={"seconds": settings.FACTCHECK_WEBHOOK_RETRY_SECONDS * 2**job.attempts})


@app.task(name="fan_out_webhook_event", queue=DELIVERY_QUEUE, retry=5, pass_context=False)
def fan_out_webhook_event(event: str, payload: dict) -> int:
    from claims.intake.webhooks import fan_out

    return len(fan_out(event, payload))


@app.task(name="deliver_webhook", queue=DELIVERY_QUEUE, retry=WebhookBackoff(), pass_context=True)
def deliver_webhook(context, delivery_id: int) -> str:
    from claims.intake.webhooks import deliver

    return deliver(delivery_id, attempt=context.job.attempts + 1)


# --- Emails ------------------------------------------------------------------------------------


class EmailBackoff(BaseRetryStrategy):
    """Retry a message the mail server did not take after base, 2 x base, 4 x base ... seconds."""

    def get_retry_decision(self, *, exception: BaseException, job) -> RetryDecision | None:
        from django.conf import settings

        from claims.intake.emails import SendFailed

        if not isinstance(exception, SendFailed):
            return None
        if job.attempts + 1 >= settings.FACTCHECK_EMAIL_MAX_ATTEMPTS:
            return None
        return RetryDecision(retry_in={"seconds": settings.FACTCHECK_EMAIL_RETRY_SECONDS * 2**job.attempts})


@app.task(name="fan_out_tip_emails", queue=DELIVERY_QUEUE, retry=5, pass_context=False)
def fan_out_tip_emails(claim_id: int, verdict_id: int, event: str) -> int:
    from claims.intake import emails

    return emails.fan_out(claim_id=claim_id, verdict_id=verdict_id, event=event)


@app.task(name="send_tip_email", queue=DELIVERY_QUEUE, retry=EmailBackoff(), pass_context=False)
def send_tip_email(kind: str, **arguments) -> int:
    """Every email the app sends: `kind` is "confirmation" (subscription_id), "verdict"
    (subscription_id, verdict_id, event) or "plain" (to, subject, body)."""
    from claims.intake import emails

    if kind == "confirmation":
        return emails.send_confirmation(arguments["subscription_id"])
    if kind == "verdict":
        return emails.send_verdict_message(**arguments)
    if kind == "plain":
        return emails.send_plain(**arguments)
    raise ValueError(f"unknown email kind {kind!r}")


# --- Followed fact-checkers -------------------------------------------------------------------


@app.periodic(cron="* * * * *", periodic_id="poll-followed")
@app.task(name="poll_due_followed", queue=DEFAULT_QUEUE, queueing_lock="poll_due_followed", pass_context=False)
def poll_due_followed(timestamp: int | None = None) -> int:
    """Every minute: one poll job per followed source whose next poll is due."""
    from claims.intake.follow import enqueue_due

    return enqueue_due()


@app.task(name="poll_followed_source", queue=DEFAULT_QUEUE, pass_context=False)
def poll_followed_source(source_id: int) -> dict | None:
    from claims.intake.follow import poll

    return poll(source_id, force=False)
