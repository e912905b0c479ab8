"""A consultancy of many clients for bench/portfolio.py, written in bulk.

Each client has `quarters` closed assessments of cx-maturity with `respondents`
submitted respondents answering every question. The result snapshots are what the
app itself would store: scored by the domain (`score_assessment`, `compare`) and
mapped by the snapshot service's own `figures_of` / `comparison_of`; only the
writing is done here in bulk, because 8,000 imports through the service take half
an hour and would measure the import, not the portfolio.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from fractions import Fraction

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from cxmaturity.domain.comparison import compare
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.scoring import Participant, score_assessment
from cxmaturity.domain.statuses import ORGANIZATION_SIZES
from cxmaturity.services.snapshots import comparison_of, figures_of
from cxmaturity.store.models import (
    Action,
    Answer,
    Assessment,
    DimensionSnapshot,
    KpiValue,
    Organization,
    OrganizationTag,
    Respondent,
    ResultSnapshot,
    Target,
    Workspace,
    WorkspaceMember,
)

INDUSTRIES = ("retail", "banking", "insurance", "telecom", "utilities", "software")
SIZES = ORGANIZATION_SIZES
NOW = datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC)


def quarters(count: int, last_year: int = 2026) -> list[str]:
    """`count` periods ending with last_year-Q4."""
    first = last_year * 4 + 3 - (count - 1)
    return [f"{n // 4}-Q{n % 4 + 1}" for n in range(first, first + count)]


def seed_workspace(
    session: Session,
    questionnaire: Questionnaire,
    *,
    slug: str,
    clients: int,
    periods: list[str],
    respondents: int,
    member_user_id: int,
    seed: int = 1,
) -> int:
    """Write the workspace and return its id. The caller commits."""
    workspace = Workspace(slug=slug, name=f"Bench {slug}", kind="consultancy")
    session.add(workspace)
    session.flush()
    session.add(WorkspaceMember(workspace_id=workspace.id, user_id=member_user_id, role="owner"))
    ids = _Ids(session)
    rows: dict[str, list[dict]] = {name: [] for name in _TABLES}
    for number in range(clients):
        client_id = ids.next("organizations")
        rows["organizations"].append(
            {
                "id": client_id,
                "workspace_id": workspace.id,
                "name": f"Kunde {number:04d}",
                "industry": INDUSTRIES[number % len(INDUSTRIES)],
                "size": SIZES[number % len(SIZES)],
                "created_at": NOW,
            }
        )
        rows["organization_tags"].append(
            {"id": ids.next("organization_tags"), "organization_id": client_id, "tag": "dach"}
        )
        trajectory = (number * 7 + seed) % TRAJECTORIES
        _client_quarters(rows, ids, trajectory, questionnaire, client_id, periods, respondents)
        _client_plans(rows, ids, questionnaire, client_id, periods[-1], number)
    for table, values in rows.items():
        for start in range(0, len(values), 5000):
            session.execute(insert(_TABLES[table]), values[start : start + 5000])
    return workspace.id


_TABLES = {
    "organizations": Organization.__table__,
    "organization_tags": OrganizationTag.__table__,
    "assessments": Assessment.__table__,
    "respondents": Respondent.__table__,
    "answers": Answer.__table__,
    "result_snapshots": ResultSnapshot.__table__,
    "dimension_snapshots": DimensionSnapshot.__table__,
    "targets": Target.__table__,
    "actions": Action.__table__,
    "kpi_values": KpiValue.__table__,
}


def advance_sequences(session: Session) -> None:
    """On PostgreSQL, move each table's id sequence past the ids written here, so that the
    app's own inserts afterwards (a load run's answers) do not take an id already used."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in _TABLES.values():
        if "id" not in table.c:
            continue  # keyed by its assessment (result and dimension snapshots)
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )


class _Ids:
    """Ids handed out here, after the highest already in each table."""

    def __init__(self, session: Session) -> None:
        self._next: dict[str, int] = {}
        self._session = session

    def next(self, table: str) -> int:
        if table not in self._next:
            column = _TABLES[table].c.id
            highest = self._session.query(column).order_by(column.desc()).limit(1).scalar()
            self._next[table] = (highest or 0) + 1
        value = self._next[table]
        self._next[table] += 1
        return value


TRAJECTORIES = 40
"""Clients follow one of this many answer histories: each is scored once by the domain and
its snapshots are reused, so that seeding takes seconds rather than the domain's minutes."""


def _client_quarters(rows, ids, trajectory, questionnaire, client_id, periods, respondents) -> None:
    previous_id: int | None = None
    for step, period in enumerate(periods):
        assessment_id = ids.next("assessments")
        rows["assessments"].append(
            {
                "id": assessment_id,
                "organization_id": client_id,
                "questionnaire_id": questionnaire.id,
                "questionnaire_version": questionnaire.version,
                "period": period,
                "status": "closed",
                "anonymity": "confidential",
                "opened_at": NOW,
                "closed_at": NOW,
                "created_at": NOW,
            }
        )
        people, figures, comparison = _scored(questionnaire, trajectory, step, respondents)
        for person, participant in enumerate(people):
            respondent_id = ids.next("respondents")
            token = hashlib.sha256(f"{assessment_id}/{person}".encode()).hexdigest()
            rows["respondents"].append(
                {
                    "id": respondent_id,
                    "assessment_id": assessment_id,
                    "name": participant.name,
                    "email": f"r{person}.{client_id}@bench.example",
                    "language": "de",
                    "token_hash": token,
                    "status": "submitted",
                    "submitted_at": NOW,
                    "invited_at": NOW,
                    "reminder_count": 0,
                    "delivery_attempts": 0,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            )
            rows["answers"].extend(
                {
                    "id": ids.next("answers"),
                    "respondent_id": respondent_id,
                    "question_id": question,
                    "level": level,
                    "not_applicable": False,
                    "prefilled": False,
                    "offered": False,
                    "updated_at": NOW,
                }
                for question, level in participant.answers.items()
            )
        change = comparison_of(previous_id, comparison) if previous_id and comparison else None
        _snapshot(rows, assessment_id, figures, change)
        previous_id = assessment_id


def _people(questionnaire, trajectory: int, step: int, respondents: int) -> tuple:
    rng = random.Random(trajectory * 1000 + step)
    base = 1 + trajectory % 4
    return tuple(
        Participant(
            name=f"R{person}",
            email=f"r{person}@bench.example",
            answers={
                question: max(1, min(5, base + step // 3 + rng.randint(-1, 1)))
                for question in questionnaire.questions
            },
        )
        for person in range(respondents)
    )


_SCORED: dict[tuple, tuple] = {}


def _scored(questionnaire, trajectory: int, step: int, respondents: int):
    key = (questionnaire.id, questionnaire.version, trajectory, step, respondents)
    if key not in _SCORED:
        _SCORED[key] = _score(questionnaire, trajectory, step, respondents)
    return _SCORED[key]


def _score(questionnaire, trajectory: int, step: int, respondents: int):
    people = _people(questionnaire, trajectory, step, respondents)
    figures = figures_of(score_assessment(questionnaire, people), len(people))
    comparison = None
    if step > 0:
        then = _people(questionnaire, trajectory, step - 1, respondents)
        comparison = compare(questionnaire, then, questionnaire, people, "earlier")
    return people, figures, comparison


def _snapshot(rows, assessment_id, figures, change) -> None:
    changes = {c.dimension_id: c for c in change.dimensions} if change else {}
    rows["result_snapshots"].append(
        {
            "assessment_id": assessment_id,
            "overall_score": _exact(figures.overall_score),
            "overall_score_value": _float(figures.overall_score),
            "overall_level": figures.overall_level,
            "capped": figures.capped,
            "submitted_respondents": figures.submitted_respondents,
            "previous_assessment_id": change.previous_assessment_id if change else None,
            "overall_change": _exact(change.overall_change) if change else None,
            "overall_comparability": change.overall_comparability if change else None,
            "previous_respondents": change.previous_respondents if change else None,
            "matched_respondents": change.matched_respondents if change else None,
            "computed_at": NOW,
        }
    )
    for dimension in figures.dimensions:
        moved = changes.get(dimension.dimension_id)
        rows["dimension_snapshots"].append(
            {
                "assessment_id": assessment_id,
                "dimension_id": dimension.dimension_id,
                "score": _exact(dimension.score),
                "score_value": _float(dimension.score),
                "level": dimension.level,
                "spread": _exact(dimension.spread),
                "respondents": dimension.respondents,
                "disagreement": dimension.disagreement,
                "comparability": moved.comparability if moved else None,
                "change": _exact(moved.change) if moved else None,
                "like_for_like_change": _exact(moved.like_for_like_change) if moved else None,
                "stable_panel_change": _exact(moved.stable_panel_change) if moved else None,
                "changed_questions": moved.changed_questions if moved else None,
                "question_ids": moved.question_ids if moved else None,
            }
        )


def _client_plans(rows, ids, questionnaire, client_id, period, number) -> None:
    """A target on the first two dimensions, two actions (one overdue) and an NPS."""
    for dimension in questionnaire.dimensions[:2]:
        rows["targets"].append(
            {
                "id": ids.next("targets"),
                "organization_id": client_id,
                "questionnaire_id": questionnaire.id,
                "dimension_id": dimension.id,
                "target_level": 4,
                "baseline_score": "2",
                "baseline_period": period,
                "status": "active",
                "created_at": NOW,
                "updated_at": NOW,
            }
        )
    for n, due in enumerate((datetime.date(2026, 10, 1), datetime.date(2027, 3, 1))):
        rows["actions"].append(
            {
                "id": ids.next("actions"),
                "organization_id": client_id,
                "questionnaire_id": questionnaire.id,
                "dimension_id": questionnaire.dimensions[n].id,
                "title": f"Schritt {n + 1}",
                "due_date": due,
                "status": "planned",
                "source": "manual",
                "opened_period": period,
                "times_carried": 0,
                "carried_unchanged": 0,
                "created_at": NOW,
                "updated_at": NOW,
            }
        )
    nps = Fraction(number % 120 - 40)
    rows["kpi_values"].append(
        {
            "id": ids.next("kpi_values"),
            "organization_id": client_id,
            "period": period,
            "kpi": "nps",
            "inputs": "{}",
            "value": str(nps),
            "value_number": float(nps),
            "updated_at": NOW,
        }
    )


def _exact(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)
