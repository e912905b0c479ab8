"""The functions a `cxmaturity worker` runs for RQ jobs: thin, over services/background.py.

RQ finds each job's function here by its name (`cxmaturity.jobs.tasks.<name>`, see
queue.py). They use the Services the worker built once at its start
(`background.start_worker`), not one per job: the database pool, the questionnaires and
the warm render processes are kept from job to job.
"""

from __future__ import annotations

from collections.abc import Sequence

from rq import get_current_job

from cxmaturity.domain.statuses import Delivery
from cxmaturity.services import background
from cxmaturity.services.background import worker_context as _own
from cxmaturity.services.emails import MailNotSentInTheEnd


def _last_try() -> bool:
    """Whether RQ will not try this job again if it fails now."""
    job = get_current_job()
    return job is None or not job.retries_left


def render_reports(
    assessment_id: int, languages: Sequence[str], respondent_id: int | None = None
) -> None:
    background.render(_own(), assessment_id, languages, respondent_id)


def bulk_report(job_id: int) -> None:
    background.bulk_report(_own(), job_id)


def workspace_export(job_id: int) -> None:
    background.workspace_export(_own(), job_id)


def send_mail(
    kind: str, respondent_id: int, previous_count: int | None = None, previous_at: str | None = None
) -> str:
    delivery = background.send_mail(
        _own(), kind, respondent_id, previous_count, previous_at, last_try=_last_try()
    )
    if delivery == Delivery.FAILED:
        # Logged as failed; in the dead-letter list an operator sees it and may retry it.
        raise MailNotSentInTheEnd(f"the mail server did not take the mail to #{respondent_id}")
    return str(delivery or "not sent")
