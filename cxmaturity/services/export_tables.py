"""The seven export tables (DESIGN §9): their columns, and their rows shaped from the queries.

Scores come from the result snapshots, never scored again. Each score appears twice
(DESIGN §4.8): `…score` is the exact value as a number (the level is decided on it),
`…score_shown` the value the pages and the PDF show, one decimal rounded down.
Spreads, changes and KPI values have one decimal, rounded half up (KPIs: as many
decimals as the pages show). The columns are in export_columns.py, and
docs/exports.md describes every one.

What leaves here about respondents follows the assessment's anonymity mode (DESIGN §8):

- answers: named → the respondent's name (alias if they gave none), group and comment;
  confidential → aliases R1…Rn in order of submission, no group, no comment;
  anonymous → no person at all: the rows of an assessment are sorted by question and
  level so no row leads to another of the same person, questions answered with a level
  by fewer than three are left out, and there are no groups or comments.
- participation: named and confidential → one row per invited person, as the
  participation page lists them; anonymous → no rows (the page shows counts only; the
  counts are in the assessments table).
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy.orm import Session

from cxmaturity.domain import invitations as invitation_rules
from cxmaturity.domain.anonymity import MIN_ANSWERS_FOR_RANGE, alias
from cxmaturity.domain.loader import Catalogue, QuestionnaireMissing
from cxmaturity.domain.statuses import Anonymity, RespondentStatus
from cxmaturity.exports.tabular import Cell, Table
from cxmaturity.locale import KPI_PLACES, round_down, round_half_up
from cxmaturity.services.export_columns import COLUMNS
from cxmaturity.store.queries import exports as queries


@dataclass(frozen=True)
class Source:
    """What every table reads from: a session, the scope, the questionnaires, the time."""

    session: Session
    workspace_id: int
    clients: Collection[int] | None
    catalogue: Catalogue
    now: datetime.datetime


def table(name: str, source: Source) -> Table:
    """The table `name` (one of TABLE_NAMES); its rows run one query when first read."""
    return Table(name, COLUMNS[name], _ROWS[name](source))


def _number(text: str | None) -> float | None:
    return None if text is None else float(Fraction(text))


def _shown(text: str | None) -> Decimal | None:
    return None if text is None else round_down(Fraction(text))


def _half_up(text: str | None, places: int = 1) -> Decimal | None:
    return None if text is None else round_half_up(Fraction(text), places)


def _assessment_rows(source: Source) -> Iterator[list[Cell]]:
    for r in queries.assessments(source.session, source.workspace_id, source.clients):
        yield [
            r.assessment_id, r.client_id, r.client, r.period, r.industry, r.size,
            r.questionnaire_id, r.questionnaire_version, r.status, r.anonymity, r.due_date,
            r.opened_at, r.closed_at, r.invited, r.submitted,
            _number(r.overall_score), _shown(r.overall_score), r.overall_level,
            bool(r.capped) if r.overall_score is not None else None,
            _half_up(r.overall_change), r.overall_comparability,
        ]  # fmt: skip


class _Orders:
    """Questionnaire order of dimensions and questions, per questionnaire version, cached."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.cache: dict[tuple[str, str], tuple[dict[str, int], dict[str, tuple[int, str]]]] = {}

    def of(
        self, questionnaire_id: str, version: str
    ) -> tuple[dict[str, int], dict[str, tuple[int, str]]]:
        """(dimension id → place, question id → (place, dimension id)); empty if file is gone."""
        key = (questionnaire_id, version)
        if key not in self.cache:
            try:
                found = self.catalogue.get(questionnaire_id, version)
            except QuestionnaireMissing:
                self.cache[key] = ({}, {})
            else:
                dimensions = {d.id: place for place, d in enumerate(found.dimensions)}
                questions = {
                    q.id: (place, d.id)
                    for place, (d, q) in enumerate(
                        (d, q) for d in found.dimensions for q in d.questions
                    )
                }
                self.cache[key] = (dimensions, questions)
        return self.cache[key]


def _by_assessment(rows: Iterable[Any]) -> Iterator[tuple[Any, list[Any]]]:
    """Rows grouped per assessment (the queries return them so): one assessment in memory."""
    for _, group in itertools.groupby(rows, key=lambda row: row.assessment_id):
        batch = list(group)
        yield batch[0], batch


def _dimension_rows(source: Source) -> Iterator[list[Cell]]:
    orders = _Orders(source.catalogue)
    rows = queries.dimension_scores(source.session, source.workspace_id, source.clients)
    for first, batch in _by_assessment(rows):
        places, _ = orders.of(first.questionnaire_id, first.questionnaire_version)
        batch.sort(key=lambda row: (places.get(row.dimension_id, len(places)), row.dimension_id))
        for r in batch:
            yield [
                r.assessment_id, r.client_id, r.client, r.period, r.questionnaire_id,
                r.questionnaire_version, r.status, r.dimension_id,
                _number(r.score), _shown(r.score), r.level, r.respondents,
                _half_up(r.spread), bool(r.disagreement), r.comparability, _half_up(r.change),
                _half_up(r.like_for_like_change), _half_up(r.stable_panel_change),
            ]  # fmt: skip


def _answer_rows(source: Source) -> Iterator[list[Cell]]:
    orders = _Orders(source.catalogue)
    rows = queries.answers(source.session, source.workspace_id, source.clients)
    for first, batch in _by_assessment(rows):
        _, questions = orders.of(first.questionnaire_id, first.questionnaire_version)
        mode = first.anonymity
        if mode == Anonymity.ANONYMOUS:
            batch = _detached(batch, questions)
        people: dict[int, int] = {}
        for r in batch:
            number = people.setdefault(r.respondent_id, len(people) + 1)
            person, group, comment = _person(mode, r, number)
            yield [
                r.assessment_id, r.client_id, person, group,
                questions.get(r.question_id, (0, None))[1], r.question_id,
                r.level, bool(r.not_applicable), comment,
            ]  # fmt: skip


def _person(mode: str, row: Any, number: int) -> tuple[str | None, str | None, str | None]:
    """Respondent, group and comment of an answer row as the mode allows them."""
    if mode == Anonymity.NAMED:
        name = (row.respondent_name or "").strip() or alias(number)
        return name, row.respondent_group, row.comment or None
    if mode == Anonymity.CONFIDENTIAL:
        return alias(number), None, None
    return None, None, None


def _detached(batch: list[Any], questions: dict[str, tuple[int, str]]) -> list[Any]:
    """An anonymous assessment's answers with nothing that ties two rows to one person."""
    levels: dict[str, int] = {}
    for row in batch:
        if row.level is not None:
            levels[row.question_id] = levels.get(row.question_id, 0) + 1
    kept = [row for row in batch if levels.get(row.question_id, 0) >= MIN_ANSWERS_FOR_RANGE]
    # 6 sorts "not applicable" after the levels 1–5.
    return sorted(
        kept,
        key=lambda row: (
            questions.get(row.question_id, (len(questions), ""))[0],
            row.question_id,
            row.level or 6,
        ),
    )


def _participation_rows(source: Source) -> Iterator[list[Cell]]:
    rows = queries.participation(source.session, source.workspace_id, source.clients)
    for r in rows:
        if r.anonymity == Anonymity.ANONYMOUS:
            continue
        submitted = r.status == RespondentStatus.SUBMITTED
        stage = invitation_rules.stage(submitted, r.answered, r.last_opened_at)
        expired = r.expires_at is not None and source.now >= r.expires_at
        yield [
            r.assessment_id, r.client_id, r.client, r.period, r.anonymity, r.name, r.email,
            r.respondent_group, r.language, stage.value, r.answered, r.reminder_count,
            r.delivery, r.revoked_at is not None, expired, r.opted_out_at is not None,
            r.invited_at, r.submitted_at,
        ]  # fmt: skip


def _target_rows(source: Source) -> Iterator[list[Cell]]:
    for r in queries.targets(source.session, source.workspace_id, source.clients):
        yield [
            r.target_id, r.client_id, r.client, r.questionnaire_id, r.dimension_id,
            r.target_level, r.due_period, _number(r.baseline_score), _shown(r.baseline_score),
            r.baseline_period, r.status, r.achieved_period, r.created_at,
        ]  # fmt: skip


def _action_rows(source: Source) -> Iterator[list[Cell]]:
    for r in queries.actions(source.session, source.workspace_id, source.clients):
        yield [
            r.action_id, r.client_id, r.client, r.questionnaire_id, r.dimension_id,
            r.question_id, r.title, r.owner, r.due_date, r.status, r.source, r.opened_period,
            r.closed_period, r.times_carried, r.carried_unchanged, r.effect, r.effect_period,
        ]  # fmt: skip


def _kpi_rows(source: Source) -> Iterator[list[Cell]]:
    for r in queries.kpis(source.session, source.workspace_id, source.clients):
        yield [
            r.client_id, r.client, r.period, r.kpi, _number(r.value),
            _half_up(r.value, KPI_PLACES.get(r.kpi, 1)), r.sample_size, r.note, r.updated_at,
        ]  # fmt: skip


_ROWS: dict[str, Callable[[Source], Iterator[list[Cell]]]] = {
    "assessments": _assessment_rows,
    "dimension_scores": _dimension_rows,
    "answers": _answer_rows,
    "participation": _participation_rows,
    "targets": _target_rows,
    "actions": _action_rows,
    "kpis": _kpi_rows,
}
