"""The collaborators one process works with — app, CLI or job worker — built once at its start.

Views and commands take what a service needs from here and pass it on
(`assessments.save_answers(services.sessions, services.catalogue, …)`), so a
service names its collaborators and a test can hand it others.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.loader import Catalogue
from cxmaturity.jobs.queue import JobQueue
from cxmaturity.reports.pdf import ReportCache
from cxmaturity.services.background import JobContext
from cxmaturity.services.bulk_jobs import BulkJobs
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.services.export_job_runs import ExportJobs
from cxmaturity.services.mailer import Mailer
from cxmaturity.services.results import ReportPrerender
from cxmaturity.store.database import make_engine, session_factory
from cxmaturity.store.models import utc_now


@dataclass(frozen=True)
class Services:
    engine: Engine
    sessions: sessionmaker[Session]
    catalogue: Catalogue
    report_cache: ReportCache
    report_prerender: ReportPrerender
    today: Callable[[], datetime.date]
    """The date reports are dated with; a test may fix it."""
    mailer: Mailer
    base_url: str | None
    """CXM_BASE_URL: where links in e-mails point (never the request's Host)."""
    now: Callable[[], datetime.datetime]
    """The time expiry and reminder rules go by (UTC); a test may move it on."""
    bulk_jobs: BulkJobs
    """Bulk-report jobs: run in this process's background thread, their ZIPs in a folder."""
    jobs: JobQueue
    """Background jobs, sent after their transaction commits: to RQ with CXM_REDIS_URL,
    else run by this process (`job_context`)."""
    job_context: JobContext
    export_jobs: ExportJobs
    """Workspace-export jobs: run by this process's background thread without Redis; their
    files in a folder (and in Redis with it)."""

    @classmethod
    def build(
        cls,
        *,
        database_url: str,
        questionnaires_dir: Path,
        report_cache_dir: Path,
        today: Callable[[], datetime.date] = datetime.date.today,
        smtp_url: str | None = None,
        mail_from: str | None = None,
        base_url: str | None = None,
        now: Callable[[], datetime.datetime] = utc_now,
        bulk_reports_dir: Path | None = None,
        redis_url: str | None = None,
        exports_dir: Path | None = None,
    ) -> Services:
        """Connect to the database (nothing is opened yet) and load the questionnaires.

        Raises QuestionnaireError for an invalid questionnaire file, ValueError for a
        CXM_SMTP_URL that is not an SMTP address.
        """
        engine = make_engine(database_url)
        sessions = session_factory(engine)
        catalogue = catalogue_for(questionnaires_dir)
        jobs = JobQueue(redis_url)
        jobs.watch(sessions)
        report_cache = ReportCache(report_cache_dir, redis=jobs.redis)
        services = cls(
            engine=engine,
            sessions=sessions,
            catalogue=catalogue,
            report_cache=report_cache,
            report_prerender=ReportPrerender(sessions, catalogue, report_cache, today),
            today=today,
            mailer=Mailer(smtp_url, mail_from),
            base_url=base_url,
            now=now,
            # Beside the report cache (the instance folder) unless told otherwise.
            bulk_jobs=BulkJobs(
                bulk_reports_dir or report_cache_dir.parent / "bulk-reports", redis=jobs.redis
            ),
            jobs=jobs,
            job_context=JobContext(),
            export_jobs=ExportJobs(
                exports_dir or report_cache_dir.parent / "exports", redis=jobs.redis
            ),
        )
        # Without Redis (or while it is down) this process runs the jobs itself.
        services.job_context.services = services
        jobs.run_inline_with(services.job_context.run_inline)
        return services

    def close(self) -> None:
        """Finish the reports, bulk and export jobs under way and close the database
        connections."""
        self.report_prerender.shutdown()
        self.bulk_jobs.shutdown()
        self.export_jobs.shutdown()
        self.job_context.shutdown()
        if self.jobs.redis is not None:
            self.jobs.redis.close()
        self.engine.dispose()


EXTENSION = "cxmaturity"
"""Where an app keeps its Services (`app.extensions[EXTENSION]`), for the web and the API."""


class _App(Protocol):
    extensions: dict[str, Any]


def services_of(app: _App) -> Services:
    """The Services installed in a Flask app (typed loosely: the services know no Flask)."""
    services: Services = app.extensions[EXTENSION]
    return services
