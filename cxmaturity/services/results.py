"""Results of an assessment: its outcome over the submitted respondents, the page model,
and the PDF report, rendered in the background so that a download is served from the cache.
"""

from __future__ import annotations

import datetime
import logging
import re
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from fractions import Fraction

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity import locale
from cxmaturity.domain.actions import moved_since
from cxmaturity.domain.anonymity import as_consultant_sees, as_respondent_sees
from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.outcome import Comment, Outcome, Participant, outcome_of
from cxmaturity.domain.questionnaire import Dimension, Level, LocalizedText
from cxmaturity.domain.scoring import AssessmentResult, DimensionResult
from cxmaturity.domain.statuses import Language
from cxmaturity.reports.cohort import CohortView, cohort_view
from cxmaturity.reports.kpis import KpiRow, kpi_rows
from cxmaturity.reports.pdf import ReportCache
from cxmaturity.reports.pdf import ReportRenderError as ReportRenderError  # for the web layer
from cxmaturity.reports.pdf import render_report as render_report  # for the CLI
from cxmaturity.reports.plan import PlanView, plan_view
from cxmaturity.reports.since import SinceView, reconfirmed_of, since_view
from cxmaturity.reports.targets import TargetLine, target_lines
from cxmaturity.reports.texts import ReportText
from cxmaturity.services.cohorts import PeriodPeers, position_of_assessment
from cxmaturity.services.participants import participant_of, previous_period, reconfirmed_counts
from cxmaturity.store import queries
from cxmaturity.store.database import reading
from cxmaturity.store.models import Assessment, Respondent
from cxmaturity.store.queries import plans

GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)
logger = logging.getLogger(__name__)


def assessment_outcome(
    sessions: sessionmaker[Session], catalogue: Catalogue, assessment_id: int
) -> Outcome:
    """Everything about the assessment's results, with every name, in its anonymity mode.

    Not for showing as it is: pages and reports show `respondent_outcome` or
    `domain.anonymity.as_consultant_sees(...)` of it (the reports also print names only
    where the mode is named).
    """
    with reading(sessions) as session:
        return _outcome(session, catalogue, session.get_one(Assessment, assessment_id))[0]


def respondent_outcome(
    sessions: sessionmaker[Session], catalogue: Catalogue, assessment_id: int, respondent_id: int
) -> Outcome:
    """The results as this respondent may see them: the aggregate and their own comments."""
    with reading(sessions) as session:
        assessment = session.get_one(Assessment, assessment_id)
        outcome, submitted = _outcome(session, catalogue, assessment)
    own = next(
        ((number, found) for number, found in enumerate(submitted, 1) if found[0] == respondent_id),
        None,
    )
    if own is None:
        return as_respondent_sees(outcome, None, ())
    return as_respondent_sees(outcome, own[0], own[1][1])


def consultant_outcome(
    session: Session,
    catalogue: Catalogue,
    assessment: Assessment,
    peers: PeriodPeers | None = None,
) -> Outcome:
    """The results as the workspace sees them, in the assessment's anonymity mode; `peers`
    keeps the period's cohort for a job that reports on many of its clients."""
    found, _submitted_ids = _outcome(session, catalogue, assessment, peers)
    return as_consultant_sees(found, assessment.anonymity)


_Submitted = list[tuple[int, tuple[Comment, ...]]]
"""Per submitted respondent, in the outcome's order: their id and their comments."""


def _outcome(
    session: Session,
    catalogue: Catalogue,
    assessment: Assessment,
    peers: PeriodPeers | None = None,
) -> tuple[Outcome, _Submitted]:
    questionnaire = catalogue.get(assessment.questionnaire_id, assessment.questionnaire_version)
    stored = queries.submitted_respondents_with_answers(session, assessment.id)
    respondents, comments, submitted = _submitted(stored)
    previous = previous_period(session, catalogue, assessment)
    organization_id = assessment.organization_id
    outcome = outcome_of(
        questionnaire,
        assessment.organization.name,
        assessment.period,
        respondents,
        comments,
        previous=previous[1] if previous is not None else None,
        anonymity=assessment.anonymity,
        reconfirmed=reconfirmed_counts(stored),
        targets=plans.active_targets(session, organization_id, questionnaire.id, assessment.period),
        actions=plans.planned_actions(
            session, organization_id, questionnaire.id, assessment.period
        ),
        kpis=plans.kpi_readings(session, organization_id, assessment.period),
    )
    # Peers are other clients' closed results, so a peer closing its quarter changes
    # this outcome, and with it the key of every cached report of this client.
    cohort = position_of_assessment(session, assessment, outcome.result, peers)
    outcome = replace(outcome, cohort=cohort)
    return outcome, submitted


def _submitted(
    stored: Sequence[Respondent],
) -> tuple[tuple[Participant, ...], tuple[Comment, ...], _Submitted]:
    respondents = []
    comments: list[Comment] = []
    submitted: _Submitted = []
    for respondent in stored:
        person = participant_of(respondent)
        respondents.append(person)
        own = tuple(
            Comment(respondent=person.name, question_id=answer.question_id, text=answer.comment)
            for answer in respondent.answers
            if answer.comment
        )
        comments.extend(own)
        submitted.append((respondent.id, own))
    return tuple(respondents), tuple(comments), submitted


def radar_chart(outcome: Outcome, language: str) -> str:
    """The results page's radar chart (SVG): sized for the page, labels readable on a phone."""
    from cxmaturity.reports.charts import WEB, radar_svg  # matplotlib loads only when drawing

    return radar_svg(
        outcome.questionnaire,
        outcome.result,
        language,
        outcome.previous,
        WEB,
        targets=outcome.targets,
    )


def cohort_chart(outcome: Outcome, language: str) -> str | None:
    """The results page's cohort band (SVG), with "fewer than 5 comparable clients" in a
    row without one; None where the client has no peers at all (a team workspace)."""
    view = cohort_view(outcome, language)
    if view is None:
        return None
    from cxmaturity.reports.cohort_chart import WEB, cohort_svg  # matplotlib only to draw

    return cohort_svg(view, language, WEB)


def report_pdf(
    outcome: Outcome,
    language: str,
    cache: ReportCache,
    today: datetime.date,
    *,
    assessment_id: int,
) -> bytes:
    """The PDF report of assessment `assessment_id`, from the cache when it was rendered
    before (or is being rendered); filed under that id so a purge finds it.

    Raises ReportRenderError when rendering fails or overruns its time limit.
    """
    return cache.get_or_render(outcome, language, today, assessment_id=assessment_id)


def render_reports(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    cache: ReportCache,
    day: datetime.date,
    assessment_id: int,
    languages: Sequence[str],
    respondent_id: int | None = None,
) -> None:
    """Render the assessment's report in each language into the cache (the job
    "render_reports"); raises what goes wrong.

    With a respondent, their view of the results (`respondent_outcome`), the report their
    download asks for; without, the workspace's report.
    """
    if respondent_id is None:
        with reading(sessions) as session:
            assessment = session.get_one(Assessment, assessment_id)
            outcome = consultant_outcome(session, catalogue, assessment)
    else:
        outcome = respondent_outcome(sessions, catalogue, assessment_id, respondent_id)
    for language in languages:
        cache.get_or_render(outcome, language, day, assessment_id=assessment_id)


class ReportPrerender:
    """Renders an assessment's reports in a background thread of this process.

    The job "render_reports" without Redis (services/background.py): after a submit or a
    close has committed, so that "Download PDF" finds the report in the cache. One thread:
    reports wait their turn rather than take both cores from the requests. Nothing starts
    until the first report is asked for.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        catalogue: Catalogue,
        cache: ReportCache,
        today: Callable[[], datetime.date],
    ) -> None:
        self.sessions = sessions
        self.catalogue = catalogue
        self.cache = cache
        self.today = today
        self._executor: ThreadPoolExecutor | None = None

    def schedule(
        self,
        assessment_id: int,
        languages: Sequence[str] = tuple(Language),
        respondent_id: int | None = None,
    ) -> Future:
        """Render the assessment's report in each language; returns at once.

        After a submit, pass the language the respondent reads and the respondent: the
        report their download asks for (their view of the results, see
        `respondent_outcome`); without a respondent, the workspace's report.
        """
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="report-prerender")
        return self._executor.submit(self._render, assessment_id, tuple(languages), respondent_id)

    def _render(
        self, assessment_id: int, languages: tuple[str, ...], respondent_id: int | None
    ) -> None:
        try:
            render_reports(
                self.sessions,
                self.catalogue,
                self.cache,
                self.today(),
                assessment_id,
                languages,
                respondent_id,
            )
        except Exception:  # the download renders it again, and reports its failure there
            logger.exception("the background render of assessment %s failed", assessment_id)

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None


def report_file_name(organization: str, period: str, language: str) -> str:
    """A file name that survives every operating system: letters, digits and dashes."""
    german = organization.translate(GERMAN_TRANSLITERATION)
    ascii_name = unicodedata.normalize("NFKD", german).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-")[:60] or "report"
    word = "CX-Reifegrad" if language == "de" else "CX-maturity"
    return f"{word}-{slug}-{period}.pdf"


@dataclass(frozen=True)
class DimensionRow:
    dimension: Dimension
    result: DimensionResult
    level_name: str
    next_steps: Sequence[LocalizedText]


@dataclass(frozen=True)
class ResultsView:
    """The results page in one language; no computing is left to the template."""

    outcome: Outcome
    language: str

    @property
    def result(self) -> AssessmentResult:
        return self.outcome.result

    @property
    def organization(self) -> str:
        return self.outcome.organization

    @property
    def period(self) -> str:
        return self.outcome.period

    @property
    def respondent_count(self) -> int:
        return len(self.outcome.respondents)

    @property
    def overall_level(self) -> Level | None:
        level = self.result.overall_level
        return self.outcome.questionnaire.level(level) if level else None

    @property
    def rows(self) -> list[DimensionRow]:
        questionnaire = self.outcome.questionnaire
        rows = []
        for dimension, result in zip(questionnaire.dimensions, self.result.dimensions, strict=True):
            level = questionnaire.level(result.level) if result.level else None
            rows.append(
                DimensionRow(
                    dimension=dimension,
                    result=result,
                    level_name=level.name.get(self.language) if level else "",
                    next_steps=dimension.recommendations[result.level] if result.level else (),
                )
            )
        return rows

    @property
    def priority_rows(self) -> list[DimensionRow]:
        by_id = {row.dimension.id: row for row in self.rows}
        return [by_id[dimension_id] for dimension_id in self.result.priorities]

    @property
    def other_rows(self) -> list[DimensionRow]:
        priorities = set(self.result.priorities)
        return [row for row in self.rows if row.dimension.id not in priorities]

    @property
    def weakest_title(self) -> str:
        weakest = self.result.weakest
        if weakest is None:
            return ""
        return self.outcome.questionnaire.dimension(weakest.dimension_id).title.get(self.language)

    @property
    def cap(self) -> int | None:
        return self.outcome.questionnaire.cap_above_weakest

    def display(self, value: Fraction | None) -> str:
        """A score as DESIGN §4.8 shows it: one decimal, rounded down; "–" for none."""
        return locale.format_score(value, self.language)

    def display_spread(self, value: Fraction | None) -> str:
        """A spread with one decimal, rounded half up (§4.8); "–" for none."""
        return locale.format_spread(value, self.language)

    # --- since last period (results/since.html) ---

    @property
    def since(self) -> SinceView | None:
        """Since last period, formatted as the PDF's since page shows it; None without one."""
        return since_view(self.outcome, ReportText(self.language))

    # --- targets (results/targets.html) ---

    @property
    def target_lines(self) -> tuple[TargetLine, ...]:
        """The active targets, worded as the PDF words them (reports/targets.py)."""
        return target_lines(self.outcome.questionnaire, self.outcome.targets, self.language)

    # --- action plan (results/actions.html) ---

    @property
    def plan(self) -> PlanView | None:
        """The client's actions as of this period with their effects, as the PDF's roadmap
        lists them; None where the client keeps no action plan."""
        return plan_view(self.outcome, self.language)

    @property
    def moved_without_action(self) -> tuple[str, ...]:
        """Dimensions that rose by at least 0.5 with no done action on them (§4.12)."""
        return moved_since(self.outcome.comparison, self.outcome.actions)

    # --- KPIs (results/kpis.html) ---

    @property
    def kpi_rows(self) -> tuple[KpiRow, ...]:
        """This period's key figures in KpiName order, rounded half up (§4.8), with change."""
        return kpi_rows(self.outcome.kpis, self.language)

    @property
    def kpi_maturity_change(self) -> str:
        """The overall score's change beside the key figures' ("" where not comparable)."""
        comparison = self.outcome.comparison
        return locale.format_change(
            comparison.overall_change if comparison else None, self.language
        )

    # --- your position among the other clients (results/cohort.html) ---

    @property
    def cohort(self) -> CohortView | None:
        """The band of the peers per dimension and overall, as the PDF shows it; None where
        the client has no peers (a team workspace)."""
        return cohort_view(self.outcome, self.language)

    # --- re-confirmed answers ---

    @property
    def reconfirmed(self) -> tuple[int, int] | None:
        """(re-confirmed, offered) pre-filled answers, where any were offered (DESIGN §8)."""
        return reconfirmed_of(self.outcome)
