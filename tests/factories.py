"""Builders for the tests: questionnaires and answers files, and database rows.

Plain functions rather than factory_boy: each model built in one visible call inside
the caller's own transaction (`with transaction(sessions) as session: …`), with no session
registry or class per model to learn.
"""

from __future__ import annotations

import copy
import functools
import json
import secrets
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from cxmaturity.domain.loader import load_questionnaire, parse_questionnaire
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.scoring import RespondentAnswers
from cxmaturity.domain.statuses import WorkspaceKind, WorkspaceRole
from cxmaturity.services.passwords import hash_password
from cxmaturity.store.models import (
    Answer,
    Assessment,
    MemberClient,
    Membership,
    Organization,
    Respondent,
    User,
    Workspace,
    WorkspaceMember,
    hash_token,
    utc_now,
)

# The password every user made by `make_user` has, unless the test says otherwise.
PASSWORD = "correct horse battery staple"

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CX_MATURITY_FILE = PROJECT_ROOT / "questionnaires" / "cx-maturity.yaml"
# The shipped 1.1 (issue 13), beside 1.0; new assessments of the app use it.
CX_MATURITY_1_1_FILE = PROJECT_ROOT / "questionnaires" / "cx-maturity-1.1.yaml"


def text(label: str) -> dict:
    return {"de": f"{label} (de)", "en": f"{label} (en)"}


def question(question_id: str, weight: str = "1", allow_na: bool = False) -> dict:
    return {
        "id": question_id,
        "text": text(f"Question {question_id}"),
        "weight": weight,
        "allow_na": "true" if allow_na else "false",
        "options": [
            {"level": str(level), "text": text(f"Option {level}")} for level in range(1, 6)
        ],
    }


def dimension(dimension_id: str, questions: list[dict], weight: str = "1") -> dict:
    return {
        "id": dimension_id,
        "title": text(f"Dimension {dimension_id}"),
        "description": text(f"About {dimension_id}"),
        "weight": weight,
        "questions": questions,
        "recommendations": {
            str(level): [text(f"{dimension_id} step {level}.{n}") for n in (1, 2)]
            for level in range(1, 6)
        },
    }


LEVEL_KEYS = ("initial", "development", "definition", "managed", "optimized")
THRESHOLDS = ("1.0", "1.8", "2.6", "3.4", "4.2")


def questionnaire_data(**overrides) -> dict:
    """A small valid questionnaire: three dimensions with different weights.

    a (weight 2): a1 (weight 1), a2 (weight 1), a3 (weight 2, N/A allowed)
    b (weight 1): b1, b2
    c (weight 1): c1, c2
    """
    data = {
        "id": "test-q",
        "version": "1.0",
        "languages": ["de", "en"],
        "title": text("Test questionnaire"),
        "description": text("For tests"),
        "cap_above_weakest": "1",
        "levels": [
            {
                "level": str(number),
                "key": key,
                "name": text(f"Level {number}"),
                "description": text(f"Level {number} description"),
                "threshold": threshold,
            }
            for number, (key, threshold) in enumerate(
                zip(LEVEL_KEYS, THRESHOLDS, strict=True), start=1
            )
        ],
        "dimensions": [
            dimension(
                "a",
                [question("a1"), question("a2"), question("a3", weight="2", allow_na=True)],
                weight="2",
            ),
            dimension("b", [question("b1"), question("b2")]),
            dimension("c", [question("c1"), question("c2")]),
        ],
    }
    data.update(overrides)
    return copy.deepcopy(data)


class _PlainDumper(yaml.SafeDumper):
    """Writes a value used twice out twice: the loader refuses anchors and aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def to_yaml(data: dict) -> str:
    return yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False)


def questionnaire_from(data: dict) -> Questionnaire:
    return parse_questionnaire(to_yaml(data), source="test.yaml")


def make_questionnaire(**overrides) -> Questionnaire:
    return questionnaire_from(questionnaire_data(**overrides))


def respondent(name: str = "R", **answers: int | None) -> RespondentAnswers:
    return RespondentAnswers(name=name, answers=answers)


def answers_file(tmp_path: Path, respondents: list[dict], **fields) -> Path:
    document = {
        "questionnaire": "cx-maturity",
        "organization": "Müller & Söhne GmbH",
        "period": "2026-Q4",
        "respondents": respondents,
        **fields,
    }
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@functools.cache
def cx_maturity() -> Questionnaire:
    """The questionnaire the app ships, as the services load it (read once)."""
    return load_questionnaire(CX_MATURITY_FILE)


# --- database rows ------------------------------------------------------------------------
# Each builder adds its row to `session` and flushes, so that its id is set; the caller's
# transaction commits. Objects stay readable after the commit (expire_on_commit=False).


def make_workspace(
    session: Session,
    slug: str | None = None,
    name: str = "Beratung Nord",
    kind: str = WorkspaceKind.CONSULTANCY,
) -> Workspace:
    workspace = Workspace(slug=slug or f"ws-{secrets.token_hex(4)}", name=name, kind=kind)
    session.add(workspace)
    session.flush()
    return workspace


@functools.cache
def _password_hash(password: str) -> str:
    # argon2 is slow on purpose; the tests' users share one hash per password.
    return hash_password(password)


def make_user(
    session: Session,
    email: str | None = None,
    name: str = "Anna Berger",
    password: str = PASSWORD,
    language: str = "de",
) -> User:
    """A user who can log in with `password`; a unique address unless one is given."""
    user = User(
        email=email or f"user-{secrets.token_hex(4)}@example.com",
        password_hash=_password_hash(password),
        display_name=name,
        language=language,
    )
    session.add(user)
    session.flush()
    return user


def make_member(
    session: Session,
    workspace: Workspace,
    user: User | None = None,
    role: str = WorkspaceRole.CONSULTANT,
    listed_clients: list[Organization] | None = None,
) -> User:
    """A user with `role` in `workspace`; with `listed_clients`, limited to those clients."""
    user = user or make_user(session)
    member = WorkspaceMember(
        workspace=workspace,
        user=user,
        role=role,
        limited_to_clients=listed_clients is not None,
    )
    member.listed_clients = [MemberClient(organization_id=c.id) for c in listed_clients or []]
    session.add(member)
    session.flush()
    return user


def make_client_staff(session: Session, organization: Organization, role: str) -> User:
    """A user of the client's own staff: `client_admin` or `client_viewer` of `organization`."""
    user = make_user(session)
    session.add(Membership(user=user, organization=organization, role=role))
    session.flush()
    return user


def make_organization(
    session: Session,
    name: str = "Müller & Söhne GmbH",
    industry: str | None = "retail",
    size: str | None = "50-249",
    workspace: Workspace | None = None,
) -> Organization:
    """A client of `workspace`; without one, of a new team workspace of its own."""
    organization = Organization(
        name=name,
        industry=industry,
        size=size,
        workspace=workspace or make_workspace(session, name=name, kind=WorkspaceKind.TEAM),
    )
    session.add(organization)
    session.flush()
    return organization


def make_assessment(
    session: Session,
    organization: Organization | None = None,
    questionnaire: Questionnaire | None = None,
    period: str = "2026-Q4",
    status: str = "open",
) -> Assessment:
    """An assessment of the questionnaire (cx-maturity by default), open unless said."""
    questionnaire = questionnaire or cx_maturity()
    assessment = Assessment(
        organization=organization or make_organization(session),
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        period=period,
        status=status,
    )
    session.add(assessment)
    session.flush()
    return assessment


def make_respondent(
    session: Session,
    assessment: Assessment | None = None,
    name: str | None = "CEO",
    language: str = "en",
    answers: dict[str, int | str] | None = None,
    comments: dict[str, str] | None = None,
    submitted: bool = False,
) -> tuple[Respondent, str]:
    """A respondent and their private link token.

    `answers` maps question ids to a level 1–5 or "na"; `comments` adds comments to them.
    """
    token = secrets.token_urlsafe(32)
    respondent = Respondent(
        assessment=assessment or make_assessment(session),
        name=name,
        language=language,
        token_hash=hash_token(token),
    )
    if submitted:
        respondent.status, respondent.submitted_at = "submitted", utc_now()
    comments = comments or {}
    for question_id in {**(answers or {}), **comments}:
        choice = (answers or {}).get(question_id)
        respondent.answers.append(
            Answer(
                question_id=question_id,
                level=choice if isinstance(choice, int) else None,
                not_applicable=choice == "na",
                comment=comments.get(question_id),
            )
        )
    session.add(respondent)
    session.flush()
    return respondent, token
