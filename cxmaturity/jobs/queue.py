"""The job queue: a job by name with plain arguments, sent once its transaction commits.

A service asks for a job inside its transaction with `enqueue(session, "render_reports",
assessment_id, languages)`. Nothing leaves then: the session keeps the job, sends it when
the transaction commits and drops it when it rolls back, so a job never acts on data that
was not written. The hooks sit on the sessionmaker (`JobQueue.watch`), so no service can
forget to wait for the commit. (E-mails are the one job sent with `JobQueue.send`
directly: services/emails.py `send_all` takes only mails of transactions that committed
already, as it did before the queue.)

With CXM_REDIS_URL a job goes to an RQ queue and a `cxmaturity worker` runs it, tried
again with a pause on failure; a job that failed every try lands in RQ's failed registry,
the dead-letter list (`cxmaturity jobs failed|retry|clear`). Without Redis, or while Redis
does not answer, the job runs in this process instead (the inline runner the process
installed), so nothing is lost.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

TASKS_MODULE = "cxmaturity.jobs.tasks"
"""Where the worker finds a job's function: `<TASKS_MODULE>.<name>`."""
QUEUE_OF_JOB = {
    "render_reports": "reports",
    "bulk_report": "reports",
    "workspace_export": "exports",
    "send_mail": "mail",
}
QUEUES = ("mail", "reports", "exports")
"""The worker's queues, in the order it takes jobs: a mail waits for no report, and a
report for no export of a whole workspace (minutes of work for a large one)."""
RETRY_PAUSES = (10, 60, 300)
"""Seconds before the 2nd, 3rd and 4th try: three retries after the first failure."""
KEEP_FAILED = datetime.timedelta(days=14)
"""How long the dead-letter list keeps a failed job."""
JOB_TIMEOUT = 30 * 60
"""Seconds a job may run: a bulk ZIP of many clients, or the XLSX of a workspace of a
thousand clients, takes minutes, never half an hour."""
SOCKET_TIMEOUT = 2.0
PAUSE_AFTER_FAILURE = 10.0
"""Seconds Redis is left alone after it did not answer: requests do not each wait for it."""

_PENDING = "cxmaturity_pending_jobs"
_QUEUE = "cxmaturity_job_queue"
logger = logging.getLogger(__name__)

Inline = Callable[[str, tuple[Any, ...]], None]
"""Runs the job `name` with its arguments in this process (in a background thread)."""


def enqueue(session: Session, name: str, *args: Any) -> None:
    """Send job `name` with `args` (ids, languages: plain JSON-like values) once the
    session's transaction commits; a rollback drops it.

    A session of a sessionmaker no queue watches (a test's or a script's own) runs no
    jobs: the job is dropped, as it would have had nobody to run it.
    """
    if name not in QUEUE_OF_JOB:
        raise ValueError(f"no job named {name!r}")
    if not isinstance(session.info.get(_QUEUE), JobQueue):
        logger.debug("job %s dropped: these sessions have no job queue", name)
        return
    session.info.setdefault(_PENDING, []).append((name, args))


@dataclass(frozen=True)
class FailedJob:
    id: str
    job: str
    arguments: list[Any]
    error: str
    time: str | None


class JobQueue:
    """RQ on Redis when `redis_url` is given, else this process's inline runner."""

    def __init__(
        self, redis_url: str | None, *, retry_pauses: Sequence[int] = RETRY_PAUSES
    ) -> None:
        self.redis: Redis | None = (
            Redis.from_url(
                redis_url, socket_connect_timeout=SOCKET_TIMEOUT, socket_timeout=SOCKET_TIMEOUT
            )
            if redis_url
            else None
        )
        self.retry_pauses = tuple(retry_pauses)
        self._inline: Inline | None = None
        self._quiet_until = 0.0

    @property
    def configured(self) -> bool:
        """Whether jobs go to Redis (a worker runs them) rather than this process."""
        return self.redis is not None

    def run_inline_with(self, inline: Inline) -> None:
        """How this process runs a job itself: without Redis, or while it is down."""
        self._inline = inline

    def watch(self, sessions: sessionmaker[Session]) -> None:
        """Send the jobs of `sessions`' transactions when they commit, drop them on rollback."""
        sessions.configure(info={_QUEUE: self})
        event.listen(sessions, "after_commit", _send_pending)
        event.listen(sessions, "after_transaction_end", _drop_pending)

    def send(self, name: str, args: tuple[Any, ...]) -> None:
        """Put the job on its RQ queue now; in this process if Redis is absent or down.

        Call it only for work already committed (the hooks of `watch` do). Never raises
        for Redis: a job that cannot be queued runs here.
        """
        if self.redis is not None and time.monotonic() >= self._quiet_until:
            try:
                self.rq_queue(QUEUE_OF_JOB[name]).enqueue_call(
                    f"{TASKS_MODULE}.{name}",
                    args=list(args),
                    retry=Retry(max=len(self.retry_pauses), interval=list(self.retry_pauses)),
                    timeout=JOB_TIMEOUT,
                    failure_ttl=int(KEEP_FAILED.total_seconds()),
                    result_ttl=3600,
                    description=name,
                )
                return
            except RedisError as error:
                self.note_down(error)
        self.run_here(name, args)

    def run_here(self, name: str, args: tuple[Any, ...]) -> None:
        if self._inline is None:
            logger.error("job %s could not be queued and this process runs no jobs", name)
            return
        self._inline(name, args)

    def note_down(self, error: Exception) -> None:
        """One warning line, then Redis is left alone for a few seconds."""
        if time.monotonic() >= self._quiet_until:
            logger.warning("Redis does not answer (%s): jobs run in this process", error)
        self._quiet_until = time.monotonic() + PAUSE_AFTER_FAILURE

    def rq_queue(self, name: str) -> Queue:
        if self.redis is None:
            raise RuntimeError("no Redis is configured (CXM_REDIS_URL)")
        return Queue(name, connection=self.redis)

    # --- the dead-letter list -------------------------------------------------------

    def failed(self) -> list[FailedJob]:
        """The jobs that failed every try, oldest first, over all queues."""
        found = []
        for queue_name in QUEUES:
            registry = FailedJobRegistry(queue=self.rq_queue(queue_name))
            for job_id in registry.get_job_ids():
                try:
                    job = Job.fetch(job_id, connection=self.redis)
                except NoSuchJobError:
                    continue
                found.append(_failed_job(job))
        return sorted(found, key=lambda job: job.time or "")

    def retry(self, job_id: str) -> bool:
        """Put a failed job back on its queue; False when no failed job has this id."""
        for queue_name in QUEUES:
            registry = FailedJobRegistry(queue=self.rq_queue(queue_name))
            if job_id in registry.get_job_ids():
                registry.requeue(job_id)
                return True
        return False

    def clear(self) -> int:
        """Delete every failed job; how many there were."""
        removed = 0
        for queue_name in QUEUES:
            registry = FailedJobRegistry(queue=self.rq_queue(queue_name))
            for job_id in registry.get_job_ids():
                registry.remove(job_id, delete_job=True)
                removed += 1
        return removed


def _failed_job(job: Job) -> FailedJob:
    name = (job.func_name or "").removeprefix(f"{TASKS_MODULE}.")
    last = job.latest_result()
    error_text = (last.exc_string or "").strip().splitlines() if last else []
    ended = last.created_at if last else job.ended_at
    return FailedJob(
        id=job.id,
        job=name,
        arguments=list(job.args),
        error=error_text[-1] if error_text else "",
        time=ended.replace(tzinfo=datetime.UTC).isoformat() if ended else None,
    )


def _send_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    queue = session.info[_QUEUE]
    for name, args in pending:
        try:
            queue.send(name, args)
        except Exception:  # a job's trouble never undoes the commit that is already made
            logger.exception("job %s could not be started", name)


def _drop_pending(session: Session, transaction: SessionTransaction) -> None:
    # Fires after the commit's hook too (nothing is left then) and after every rollback.
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
