"""Quarters of a client built fast: answers documents stored with `assessments import --close`.

`four_versions()` are the quarters 2026-Q1…Q4 answered with the questionnaire versions
1.0 → 1.1 → 1.2 → 2.0 of tests/questionnaire_versions.py, with answers simple enough
to score by hand (every respondent gives one level everywhere, except Anna's
strategy-budget):

- Q1 (1.0): Anna 2 (strategy-budget 5), Ben 3.
- Q2 (1.1): Anna 3 (strategy-budget 1), Ben 3 — the same two people.
- Q3 (1.2): Anna 3 (strategy-budget 1), Carla 4, Dora 4, Emil 2 — one of four known.
- Q4 (2.0): the same four as Q3, the same answers.
"""

from __future__ import annotations

from sqlalchemy import event

from cxmaturity.domain.loader import Catalogue
from cxmaturity.services.assessment_import import import_answers

PEOPLE = {
    "Anna": ("anna@example.com", "executive"),
    "Ben": ("ben@example.com", "manager"),
    "Carla": ("carla@example.com", "manager"),
    "Dora": ("dora@example.com", "frontline"),
    "Emil": ("emil@example.com", "other"),
}


def person(catalogue: Catalogue, version: str, name: str, level: int, **overrides: int) -> dict:
    """A respondent answering every question of `version` with `level`, but `overrides`
    (question ids with "_" for "-")."""
    questionnaire = catalogue.get("cx-maturity", version)
    answers = dict.fromkeys(questionnaire.questions, level)
    answers |= {key.replace("_", "-"): value for key, value in overrides.items()}
    email, group = PEOPLE.get(name, (None, None))
    entry: dict = {"name": name, "answers": answers}
    if email:
        entry |= {"email": email, "group": group}
    return entry


def document(period: str, version: str, respondents: list[dict]) -> dict:
    return {
        "questionnaire": "cx-maturity",
        "version": version,
        "organization": "Alpha AG",
        "period": period,
        "respondents": respondents,
    }


def four_versions(catalogue: Catalogue) -> list[dict]:
    def anna(version: str, level: int, budget: int) -> dict:
        return person(catalogue, version, "Anna", level, strategy_budget=budget)

    later = ["Carla", "Dora", "Emil"]
    levels = {"Carla": 4, "Dora": 4, "Emil": 2}
    return [
        document("2026-Q1", "1.0", [anna("1.0", 2, 5), person(catalogue, "1.0", "Ben", 3)]),
        document("2026-Q2", "1.1", [anna("1.1", 3, 1), person(catalogue, "1.1", "Ben", 3)]),
        *(
            document(
                period,
                version,
                [anna(version, 3, 1), *(person(catalogue, version, n, levels[n]) for n in later)],
            )
            for period, version in (("2026-Q3", "1.2"), ("2026-Q4", "2.0"))
        ),
    ]


def quarters(count: int, first_year: int = 2024) -> list[str]:
    return [f"{first_year + n // 4}-Q{n % 4 + 1}" for n in range(count)]


def same_version(catalogue: Catalogue, count: int) -> list[dict]:
    """`count` quarters of 1.0 from 2024-Q1, two respondents each, slowly better."""
    return [
        document(
            period,
            "1.0",
            [
                person(catalogue, "1.0", "Anna", 1 + (n // 3) % 5),
                person(catalogue, "1.0", "Ben", 1 + (n // 2) % 5),
            ],
        )
        for n, period in enumerate(quarters(count))
    ]


def import_all(sessions, catalogue, slug: str, client_id: int, documents, close=True) -> list:
    return [
        import_answers(sessions, catalogue, slug, client_id, data, close=close)
        for data in documents
    ]


class QueryCounter:
    """Counts the SQL statements an engine sends (not BEGIN, PRAGMA or SET)."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.statements: list[str] = []

    def _seen(self, _connection, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "SET")):
            self.statements.append(statement)

    def __enter__(self) -> QueryCounter:
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)

    @property
    def count(self) -> int:
        return len(self.statements)
