"""`cxmaturity clients create` and `cxmaturity assessments import` (DESIGN §6)."""

import json

import pytest
from click.testing import CliRunner
from factories import (
    cx_maturity,
    make_assessment,
    make_organization,
    make_respondent,
    make_workspace,
)
from sqlalchemy import func, select

from cxmaturity.cli import cli
from cxmaturity.store.database import make_engine, session_factory, transaction
from cxmaturity.store.models import (
    Answer,
    Assessment,
    Organization,
    Respondent,
    ResultSnapshot,
)


@pytest.fixture
def sessions(migrated_database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("CXM_DATABASE_URL", migrated_database_url)
    monkeypatch.setenv("CXM_INSTANCE_PATH", str(tmp_path / "instance"))
    engine = make_engine(migrated_database_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def client_id(sessions):
    with transaction(sessions) as session:
        workspace = make_workspace(session, slug="nord")
        make_workspace(session, slug="sued")
        return make_organization(session, name="Alpha AG", workspace=workspace).id


def run(*args):
    return CliRunner().invoke(cli, list(args))


def answers_document(tmp_path, period="2026-Q4", respondents=None):
    questions = list(cx_maturity().questions)
    document = {
        "questionnaire": "cx-maturity",
        "organization": "Alpha AG",
        "period": period,
        "respondents": respondents
        or [
            {
                "name": "Anna",
                "email": "anna@example.com",
                "group": "executive",
                "answers": dict.fromkeys(questions, 2),
                "comments": {questions[0]: "Budget fehlt."},
            },
            {"name": "Ben", "answers": dict.fromkeys(questions, 4)},
        ],
    }
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def counts(sessions):
    with transaction(sessions) as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (Assessment, Respondent, Answer, ResultSnapshot)
        )


def test_clients_create_prints_the_new_clients_id(sessions, client_id):
    result = run(
        "clients", "create", "--workspace", "nord", "--name", "Gamma KG",
        "--industry", "retail", "--size", "50-249", "--tag", "Pilot", "--tag", "pilot",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed["tags"] == ["pilot"]
    with transaction(sessions) as session:
        created = session.get(Organization, printed["id"])
        assert (created.name, created.industry, created.size) == ("Gamma KG", "retail", "50-249")


def test_clients_create_refuses_an_unknown_workspace_or_size_with_exit_code_2(sessions, client_id):
    unknown = run("clients", "create", "--workspace", "nope", "--name", "X")
    assert unknown.exit_code == 2 and "no workspace 'nope'" in unknown.output
    bad_size = run("clients", "create", "--workspace", "nord", "--name", "X", "--size", "9")
    assert bad_size.exit_code == 2
    with transaction(sessions) as session:
        assert session.scalar(select(func.count()).select_from(Organization)) == 1


def test_import_makes_the_periods_assessment_every_respondent_submitted(
    sessions, client_id, tmp_path
):
    path = answers_document(tmp_path)
    result = run("assessments", "import", str(path), "--workspace", "nord", "--client", client_id)
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed["period"] == "2026-Q4" and printed["status"] == "open"
    assert printed["respondents"] == 2
    with transaction(sessions) as session:
        assessment = session.get(Assessment, printed["id"])
        assert assessment.organization_id == client_id
        statuses = {r.name: (r.status, r.email) for r in assessment.respondents}
        assert statuses == {
            "Anna": ("submitted", "anna@example.com"),
            "Ben": ("submitted", None),
        }
        assert session.get(ResultSnapshot, assessment.id).overall_score == "3"


def test_import_with_close_closes_the_assessment(sessions, client_id, tmp_path):
    path = answers_document(tmp_path)
    args = ("assessments", "import", str(path), "--workspace", "nord", "--client", client_id)
    result = run(*args, "--close")
    assert json.loads(result.output)["status"] == "closed"
    again = run(*args)
    assert again.exit_code == 2 and "already has respondents" in again.output


def test_import_fills_a_draft_without_respondents(sessions, client_id, tmp_path):
    with transaction(sessions) as session:
        draft = make_assessment(session, session.get(Organization, client_id), status="draft")
    path = answers_document(tmp_path)
    result = run("assessments", "import", str(path), "--workspace", "nord", "--client", client_id)
    assert json.loads(result.output)["id"] == draft.id


def test_import_into_a_period_with_answers_is_refused_and_writes_nothing(
    sessions, client_id, tmp_path
):
    with transaction(sessions) as session:
        assessment = make_assessment(session, session.get(Organization, client_id))
        make_respondent(session, assessment, answers={"x": 1})
    before = counts(sessions)
    path = answers_document(tmp_path)
    result = run("assessments", "import", str(path), "--workspace", "nord", "--client", client_id)
    assert result.exit_code == 2
    assert "already has respondents" in result.output
    assert counts(sessions) == before


@pytest.mark.parametrize(
    "args, message",
    [
        (("--workspace", "sued", "--client", "CLIENT"), "has no client"),
        (("--workspace", "nope", "--client", "CLIENT"), "no workspace"),
    ],
)
def test_import_refuses_a_client_of_another_workspace(sessions, client_id, tmp_path, args, message):
    path = answers_document(tmp_path)
    args = tuple(str(client_id) if arg == "CLIENT" else arg for arg in args)
    result = run("assessments", "import", str(path), *args)
    assert result.exit_code == 2 and message in result.output
    assert counts(sessions) == (0, 0, 0, 0)


def test_import_refuses_a_bad_file_or_twice_the_same_email_writing_nothing(
    sessions, client_id, tmp_path
):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    args = ("--workspace", "nord", "--client", str(client_id))
    assert run("assessments", "import", str(bad), *args).exit_code == 2
    twice = [
        {"name": "A", "email": "x@example.com", "answers": {}},
        {"name": "B", "email": "X@example.com", "answers": {}},
    ]
    result = run("assessments", "import", str(answers_document(tmp_path, respondents=twice)), *args)
    assert result.exit_code == 2 and "appears twice" in result.output
    unknown = [{"name": "A", "answers": {"no-such-question": 3}}]
    result = run(
        "assessments", "import", str(answers_document(tmp_path, respondents=unknown)), *args
    )
    assert result.exit_code == 2 and "unknown question id" in result.output
    no_period = answers_document(tmp_path, period=None)
    assert run("assessments", "import", str(no_period), *args).exit_code == 2
    assert counts(sessions) == (0, 0, 0, 0)
