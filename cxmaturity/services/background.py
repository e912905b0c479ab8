"""The app's background jobs by name: what each does, and how this process runs one itself.

`jobs/queue.py` sends a job by name after its transaction commits: to a `cxmaturity worker`
(jobs/tasks.py calls the functions below) when Redis is configured, else to `run_inline`,
which runs it in this process's background threads as before the queue existed (the
report pre-render, the bulk-report thread, the export thread, a mail thread). Both take
the same arguments.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cxmaturity.domain.statuses import Delivery
from cxmaturity.services import bulk_jobs, export_job_runs
from cxmaturity.services.emails import Postage, send_mail_job
from cxmaturity.services.results import render_reports

if TYPE_CHECKING:
    from cxmaturity.services.container import Services

logger = logging.getLogger(__name__)


@dataclass
class JobContext:
    """What a job runs with in this process."""

    services: Services | None = None
    """Set by `Services.build` once the Services are made."""
    postage: Postage | None = None
    """What mails need besides, set by the process root that knows the link secret (app.py,
    the CLI); a process without it sends no mail jobs."""
    _mail_thread: ThreadPoolExecutor | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def own_services(self) -> Services:
        if self.services is None:
            raise RuntimeError("a JobContext without Services")
        return self.services

    def own_postage(self) -> Postage:
        if self.postage is None:
            raise RuntimeError("this process sends no e-mail jobs (no Postage given)")
        return self.postage

    def run_inline(self, name: str, args: tuple[Any, ...]) -> None:
        """Run job `name` in this process's background threads; returns at once."""
        services = self.own_services()
        if name == "render_reports":
            services.report_prerender.schedule(*args)
        elif name == "bulk_report":
            services.bulk_jobs.submit(services, *args)
        elif name == "workspace_export":
            services.export_jobs.submit(services, *args)
        elif name == "send_mail":
            with self._lock:
                if self._mail_thread is None:
                    self._mail_thread = ThreadPoolExecutor(1, thread_name_prefix="mail")
                self._mail_thread.submit(self._send_inline, args)
        else:
            raise ValueError(f"no job named {name!r}")

    def _send_inline(self, args: tuple[Any, ...]) -> None:
        try:
            send_mail(self, *args, last_try=True)
        except Exception:  # logged in the e-mail log where it got that far
            logger.exception("the e-mail job for respondent %s failed", args[1])

    def shutdown(self) -> None:
        """Send the mails under way, then stop the mail thread."""
        with self._lock:
            thread, self._mail_thread = self._mail_thread, None
        if thread is not None:
            thread.shutdown(wait=True)


_worker: JobContext | None = None


def start_worker(context: JobContext) -> None:
    """Make `context` the one the worker process's jobs run with (jobs/tasks.py)."""
    global _worker
    _worker = context


def worker_context() -> JobContext:
    if _worker is None:
        raise RuntimeError("jobs run in `cxmaturity worker`, which builds their Services")
    return _worker


def render(
    context: JobContext,
    assessment_id: int,
    languages: Sequence[str],
    respondent_id: int | None = None,
) -> None:
    """Render the assessment's reports into the report cache; raises when it fails."""
    services = context.own_services()
    render_reports(
        services.sessions,
        services.catalogue,
        services.report_cache,
        services.today(),
        assessment_id,
        tuple(languages),
        respondent_id,
    )


def bulk_report(context: JobContext, job_id: int) -> None:
    """Render the bulk job's ZIP (its row says how it went, see bulk_jobs.run_job)."""
    services = context.own_services()
    bulk_jobs.remove_old_zips(services, services.now())
    bulk_jobs.run_job(services, job_id, pool=services.bulk_jobs.pool)


def workspace_export(context: JobContext, job_id: int) -> None:
    """Make the export job's file (its row says how it went, see export_job_runs.run_job)."""
    services = context.own_services()
    export_job_runs.remove_old_files(services, services.now())
    export_job_runs.run_job(services, job_id)


def send_mail(
    context: JobContext,
    kind: str,
    respondent_id: int,
    previous_count: int | None = None,
    previous_at: str | None = None,
    *,
    last_try: bool,
) -> Delivery | None:
    """Send one invitation or reminder and log it once; None when it is no longer to be
    sent. Before the last try a refusal of the moment raises emails.MailDeferred and logs
    nothing, so that the queue tries again."""
    return send_mail_job(
        context.own_postage(), kind, respondent_id, previous_count, previous_at, last_try=last_try
    )
