"""The Alembic migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import CheckConstraint, inspect, text
from sqlalchemy.exc import IntegrityError

from cxmaturity import locale
from cxmaturity.cli import cli
from cxmaturity.domain.statuses import (
    Anonymity,
    AssessmentStatus,
    AuditAction,
    BulkJobStatus,
    ClientRole,
    Delivery,
    EmailKind,
    ExportFormat,
    ExportJobStatus,
    Language,
    RespondentGroup,
    RespondentStatus,
    TokenScope,
    WorkspaceKind,
    WorkspaceRole,
)
from cxmaturity.store.database import (
    current_revision,
    downgrade_database,
    head_revision,
    make_engine,
    upgrade_database,
)
from cxmaturity.store.models import Base

TABLES = {
    "organizations",
    "api_tokens",
    "idempotent_responses",
    "organization_tags",
    "users",
    "workspaces",
    "workspace_members",
    "member_clients",
    "memberships",
    "login_failures",
    "password_resets",
    "assessments",
    "respondents",
    "answers",
    "result_snapshots",
    "dimension_snapshots",
    "email_log",
    "audit_log",
    "targets",
    "actions",
    "action_events",
    "kpi_values",
    "bulk_report_jobs",
    "export_jobs",
    "cohorts",
}


def inspect_schema(url, look):
    engine = make_engine(url)
    try:
        with engine.connect() as connection, warnings.catch_warnings():
            # SQLite cannot reflect the indexes on lower(email), so inspection
            # and autogenerate skip them there, with a warning; the store tests
            # check what they do (one account per address, whatever the case).
            warnings.filterwarnings("ignore", message=".*expression-based index")
            return look(connection)
    finally:
        engine.dispose()


def table_names(url):
    return set(inspect_schema(url, lambda connection: inspect(connection).get_table_names()))


def test_upgrade_creates_every_table_on_an_empty_database(database_url):
    assert current_revision(database_url) is None

    upgrade_database(database_url)

    assert table_names(database_url) == TABLES | {"alembic_version"}
    assert current_revision(database_url) == head_revision()


def test_upgrade_twice_changes_nothing(database_url):
    upgrade_database(database_url)
    upgrade_database(database_url)
    assert current_revision(database_url) == head_revision()


def test_the_constraints_exist_with_their_conventional_names(database_url):
    upgrade_database(database_url)

    def constraints(connection):
        schema = inspect(connection)
        return {
            "answers checks": {c["name"] for c in schema.get_check_constraints("answers")},
            "answers unique": {c["name"] for c in schema.get_unique_constraints("answers")},
            "respondents unique": {c["name"] for c in schema.get_unique_constraints("respondents")},
            "answers foreign keys": [
                (fk["name"], fk["options"].get("ondelete"))
                for fk in schema.get_foreign_keys("answers")
            ],
            "memberships key": schema.get_pk_constraint("memberships")["constrained_columns"],
        }

    assert inspect_schema(database_url, constraints) == {
        "answers checks": {"ck_answers_level", "ck_answers_level_or_na"},
        "answers unique": {"uq_answers_respondent_id_question_id"},
        "respondents unique": {"uq_respondents_token_hash"},
        "answers foreign keys": [("fk_answers_respondent_id_respondents", "CASCADE")],
        "memberships key": ["user_id", "organization_id"],
    }


def test_downgrade_to_nothing_and_upgrade_again(database_url):
    upgrade_database(database_url)
    downgrade_database(database_url, "base")
    assert table_names(database_url) <= {"alembic_version"}
    assert current_revision(database_url) is None

    upgrade_database(database_url)
    assert table_names(database_url) == TABLES | {"alembic_version"}


def test_the_models_match_the_migrated_schema(database_url):
    upgrade_database(database_url)

    def differences(connection):
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)

    assert inspect_schema(database_url, differences) == []


MODELS_SCHEMA = "built_from_models"


def check_constraints(connection, schema=None) -> dict[str, dict[str, str]]:
    """Per table, each CHECK constraint's name and its SQL as this database reports it."""
    inspector = inspect(connection)
    return {
        table: {
            check["name"]: " ".join(check["sqltext"].split())
            for check in inspector.get_check_constraints(table, schema=schema)
        }
        for table in sorted(TABLES)
    }


def checks_built_from_the_models(database_url, tmp_path):
    """The CHECK constraints of the schema the models create, reported by the same backend."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'from-models.sqlite3'}"
        engine = make_engine(url)
        try:
            Base.metadata.create_all(engine)
            with engine.connect() as connection:
                return check_constraints(connection)
        finally:
            engine.dispose()
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {MODELS_SCHEMA}"))
            mapped = connection.execution_options(schema_translate_map={None: MODELS_SCHEMA})
            Base.metadata.create_all(mapped)
        with engine.connect() as connection:
            return check_constraints(connection, schema=MODELS_SCHEMA)
    finally:
        engine.dispose()


def test_the_migrated_check_constraints_are_those_of_the_models(database_url, tmp_path):
    # compare_metadata above ignores CHECK constraints: compare them here,
    # each database reporting both schemas in its own normal form.
    upgrade_database(database_url)
    migrated = inspect_schema(database_url, check_constraints)
    from_models = checks_built_from_the_models(database_url, tmp_path)

    assert migrated == from_models
    assert migrated["assessments"].keys() == {"ck_assessments_status", "ck_assessments_anonymity"}
    assert "ck_respondents_respondent_group" in migrated["respondents"]


@pytest.mark.parametrize(
    ("table", "column", "enum"),
    [
        ("assessments", "status", AssessmentStatus),
        ("bulk_report_jobs", "status", BulkJobStatus),
        ("assessments", "anonymity", Anonymity),
        ("respondents", "status", RespondentStatus),
        ("respondents", "respondent_group", RespondentGroup),
        ("respondents", "language", Language),
        ("memberships", "role", ClientRole),
        ("workspaces", "kind", WorkspaceKind),
        ("workspace_members", "role", WorkspaceRole),
        ("respondents", "delivery", Delivery),
        ("email_log", "kind", EmailKind),
        ("audit_log", "action", AuditAction),
        ("api_tokens", "scope", TokenScope),
        ("export_jobs", "status", ExportJobStatus),
        ("export_jobs", "format", ExportFormat),
    ],
)
def test_each_stored_vocabulary_is_checked_with_exactly_the_values_of_its_enum(table, column, enum):
    checks = [
        str(constraint.sqltext)
        for constraint in Base.metadata.tables[table].constraints
        if isinstance(constraint, CheckConstraint) and f"{column} IN" in str(constraint.sqltext)
    ]
    assert len(checks) == 1, checks
    listed = checks[0].split(f"{column} IN (", 1)[1].split(")", 1)[0]
    assert listed == ", ".join(f"'{value}'" for value in enum)


def test_the_schema_stores_exactly_the_languages_the_app_offers():
    assert tuple(Language) == locale.LANGUAGES
    assert tuple(Language) == tuple(locale.LANGUAGE_NAMES)


INSERT_ASSESSMENT = text(
    "INSERT INTO assessments (organization_id, questionnaire_id, questionnaire_version,"
    " period, status, anonymity, created_at)"
    " VALUES (1, 'q', :period, '2026-Q4', :status, :anonymity, '2026-01-01')"
)


@pytest.mark.parametrize(
    ("status", "anonymity", "allowed"),
    [
        ("draft", "named", True),
        ("closed", "anonymous", True),
        ("archived", "named", False),
        ("open", "public", False),
    ],
)
def test_the_migrated_database_refuses_a_value_outside_its_enum(
    database_url, status, anonymity, allowed
):
    upgrade_database(database_url)
    engine = make_engine(database_url)
    values = {"status": status, "anonymity": anonymity, "period": f"{status}-{anonymity}"}
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO workspaces (slug, name, kind, cohort_min_n, claimable, created_at)"
                    " VALUES ('w', 'W', 'team', 5, false, '2026-01-01')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO organizations (name, workspace_id, created_at)"
                    " VALUES ('A', 1, '2026-01-01')"
                )
            )
        if allowed:
            with engine.begin() as connection:
                connection.execute(INSERT_ASSESSMENT, values)
        else:
            with pytest.raises(IntegrityError), engine.begin() as connection:
                connection.execute(INSERT_ASSESSMENT, values)
    finally:
        engine.dispose()


def run_command(*arguments, **environment):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CXM_")}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-m", "cxmaturity.cli", *arguments],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_the_db_upgrade_command_migrates_the_configured_database(database_url):
    upgraded = run_command("db", "upgrade", CXM_DATABASE_URL=database_url)
    current = run_command("db", "current", CXM_DATABASE_URL=database_url)

    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stdout.startswith("ok: ")
    assert table_names(database_url) == TABLES | {"alembic_version"}
    assert current.stdout.strip() == f"{head_revision()} (head)"


def test_the_db_upgrade_command_defaults_to_sqlite_in_the_instance_folder(tmp_path):
    instance = tmp_path / "instance"
    result = run_command("db", "upgrade", CXM_INSTANCE_PATH=str(instance))

    assert result.returncode == 0, result.stderr
    assert (instance / "cxmaturity.sqlite3").exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://postgres@127.0.0.1:1/nothing", "error: cannot reach the database at "),
        ("not a url", "error: not a usable database URL: "),
        ("mysql://someone@localhost/db", "error: not a usable database URL: "),
    ],
)
def test_the_db_commands_report_a_bad_database_in_one_line(url, message, monkeypatch):
    monkeypatch.setenv("CXM_DATABASE_URL", url)
    for command in ("upgrade", "current"):
        # In process, unlike the tests above: the error path needs no clean interpreter.
        result = CliRunner().invoke(cli, ["db", command])

        assert result.exit_code == 2
        assert result.stderr.startswith(message)
        assert result.stderr.count("\n") == 1


def test_each_organization_from_before_workspaces_gets_a_claimable_team_workspace(database_url):
    upgrade_database(database_url, "0003_last_page")
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            for name in ("Müller GmbH", "Acme AG"):
                connection.execute(
                    text("INSERT INTO organizations (name, created_at) VALUES (:n, '2026-01-01')"),
                    {"n": name},
                )
        upgrade_database(database_url)
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT o.name, w.name, w.kind, w.claimable, w.slug FROM organizations o"
                    " JOIN workspaces w ON w.id = o.workspace_id ORDER BY o.id"
                )
            ).all()
    finally:
        engine.dispose()
    assert [(o, w, kind, bool(claimable)) for o, w, kind, claimable, _slug in rows] == [
        ("Müller GmbH", "Müller GmbH", "team", True),
        ("Acme AG", "Acme AG", "team", True),
    ]
    assert len({slug for *_rest, slug in rows}) == 2
