"""`cxmaturity users …` and `workspaces …` (DESIGN §6): JSON with the id, or one line and exit 2
with nothing written. Run as a real subprocess and through the app's `flask cx` runner."""

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from cxmaturity.cli import cli
from cxmaturity.services import accounts
from cxmaturity.store.database import make_engine, session_factory, transaction
from cxmaturity.store.models import AuditEntry, User, Workspace, WorkspaceMember

PASSWORD = "a long enough password"


@pytest.fixture
def db_sessions(migrated_database_url):
    engine = make_engine(migrated_database_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def invoke(migrated_database_url, tmp_path):
    """Runs `cxmaturity ARGS…` in this process (quicker, for the many cases of bad input)."""
    env = {
        "CXM_DATABASE_URL": migrated_database_url,
        "CXM_INSTANCE_PATH": str(tmp_path / "instance"),
    }

    def invoke_command(*args, stdin=""):
        result = CliRunner().invoke(cli, list(args), input=stdin, env=env)
        return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)

    return invoke_command


@pytest.fixture
def run(migrated_database_url, tmp_path):
    """Runs `cxmaturity ARGS…` as its own process on the test's database."""
    env = {
        **os.environ,
        "CXM_DATABASE_URL": migrated_database_url,
        "CXM_INSTANCE_PATH": str(tmp_path / "instance"),
    }

    def run_command(*args, stdin=""):
        return subprocess.run(
            [sys.executable, "-m", "cxmaturity.cli", *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )

    return run_command


def counts(sessions):
    with transaction(sessions) as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (User, Workspace, WorkspaceMember)
        )


def one_line_exit_2(result, *words):
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr
    assert result.stdout == ""


def test_users_create_reads_the_password_from_stdin_and_prints_the_id(run, db_sessions):
    result = run(
        "users",
        "create",
        "Anna@Example.com",
        "--name",
        "Anna Berger",
        "--language",
        "de",
        stdin=PASSWORD + "\n",
    )
    assert result.returncode == 0, result.stderr
    created = json.loads(result.stdout)
    with transaction(db_sessions) as session:
        stored = session.get(User, created["id"])
        assert (stored.email, stored.display_name, stored.language) == (
            "Anna@Example.com",
            "Anna Berger",
            "de",
        )
    logged_in = accounts.log_in(db_sessions, "anna@example.com", PASSWORD)
    assert logged_in.user_id == created["id"]


def test_users_create_refuses_a_taken_address_whatever_its_case(run, db_sessions):
    assert run("users", "create", "anna@example.com", "--name", "A", stdin=PASSWORD).returncode == 0
    before = counts(db_sessions)
    result = run("users", "create", "ANNA@example.com", "--name", "B", stdin=PASSWORD)
    one_line_exit_2(result, "exists already")
    assert counts(db_sessions) == before


@pytest.mark.parametrize(
    ("args", "stdin", "words"),
    [
        (("not-an-address", "--name", "A"), PASSWORD, ["email"]),
        (("a@example.com", "--name", "A"), "short\n", ["password", "10"]),
        (("a@example.com", "--name", "A"), "", ["standard input"]),
        (("a@example.com", "--name", "   "), PASSWORD, ["name"]),
        (("a@example.com", "--name", "A", "--language", "fr"), PASSWORD, ["language"]),
    ],
)
def test_users_create_refuses_bad_input_with_one_line(invoke, db_sessions, args, stdin, words):
    one_line_exit_2(invoke("users", "create", *args, stdin=stdin), *words)
    assert counts(db_sessions) == (0, 0, 0)


def test_the_password_is_never_an_argument(run):
    result = run("users", "create", "a@example.com", "--name", "A", "--password", PASSWORD)
    assert result.returncode == 2
    assert "--password" in result.stderr


def test_set_password_changes_it_and_ends_the_other_sessions(run, db_sessions):
    user_id = accounts.create_user(db_sessions, "anna@example.com", "Anna", PASSWORD)
    version = accounts.session_user(db_sessions, user_id).session_version
    result = run("users", "set-password", "anna@example.com", stdin="an even newer password\n")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == user_id
    assert accounts.session_user(db_sessions, user_id).session_version == version + 1
    with pytest.raises(accounts.LoginRefused):
        accounts.log_in(db_sessions, "anna@example.com", PASSWORD)
    accounts.log_in(db_sessions, "anna@example.com", "an even newer password")


def test_set_password_of_an_unknown_address_is_one_line(run):
    one_line_exit_2(run("users", "set-password", "nobody@example.com", stdin=PASSWORD), "nobody")


def test_workspaces_create_makes_the_owner_a_member_and_prints_the_id(run, db_sessions):
    owner = accounts.create_user(db_sessions, "anna@example.com", "Anna", PASSWORD)
    result = run(
        "workspaces",
        "create",
        "beratung-nord",
        "--name",
        "Beratung Nord",
        "--owner",
        "ANNA@example.com",
        "--kind",
        "team",
    )
    assert result.returncode == 0, result.stderr
    created = json.loads(result.stdout)
    with transaction(db_sessions) as session:
        workspace = session.get(Workspace, created["id"])
        assert (workspace.slug, workspace.name, workspace.kind) == (
            "beratung-nord",
            "Beratung Nord",
            "team",
        )
        assert [(m.user_id, m.role) for m in workspace.members] == [(owner, "owner")]
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 1


@pytest.mark.parametrize("slug", ["-nord", "Nord", "n", "a" * 61, "nord_süd", "nord süd", ""])
def test_workspaces_create_refuses_a_bad_slug(invoke, db_sessions, slug):
    accounts.create_user(db_sessions, "anna@example.com", "Anna", PASSWORD)
    result = invoke(
        "workspaces", "create", "--name", "N", "--owner", "anna@example.com", "--", slug
    )
    one_line_exit_2(result, "slug")
    assert counts(db_sessions) == (1, 0, 0)


def test_workspaces_create_refuses_an_unknown_owner_and_a_taken_slug(run, db_sessions):
    one_line_exit_2(
        run("workspaces", "create", "nord", "--name", "N", "--owner", "nobody@example.com"),
        "nobody@example.com",
    )
    assert counts(db_sessions) == (0, 0, 0)
    accounts.create_user(db_sessions, "anna@example.com", "Anna", PASSWORD)
    assert (
        run("workspaces", "create", "nord", "--name", "N", "--owner", "anna@example.com").returncode
        == 0
    )
    one_line_exit_2(
        run("workspaces", "create", "nord", "--name", "M", "--owner", "anna@example.com"),
        "exists already",
    )
    assert counts(db_sessions) == (1, 1, 1)


def test_add_member_adds_an_account_with_its_role(run, db_sessions):
    accounts.create_user(db_sessions, "anna@example.com", "Anna", PASSWORD)
    bernd = accounts.create_user(db_sessions, "bernd@example.com", "Bernd", PASSWORD)
    run("workspaces", "create", "nord", "--name", "N", "--owner", "anna@example.com")
    result = run("workspaces", "add-member", "nord", "Bernd@example.com", "--role", "viewer")
    assert result.returncode == 0, result.stderr
    member_id = json.loads(result.stdout)["id"]
    with transaction(db_sessions) as session:
        member = session.get(WorkspaceMember, member_id)
        assert (member.user_id, member.role) == (bernd, "viewer")


def test_add_member_refuses_what_cannot_be_added(invoke, db_sessions):
    accounts.create_user(db_sessions, "anna@example.com", "Anna", PASSWORD)
    invoke("workspaces", "create", "nord", "--name", "N", "--owner", "anna@example.com")
    before = counts(db_sessions)
    one_line_exit_2(
        invoke("workspaces", "add-member", "sued", "anna@example.com", "--role", "viewer"), "sued"
    )
    one_line_exit_2(
        invoke("workspaces", "add-member", "nord", "x@example.com", "--role", "viewer"),
        "x@example.com",
    )
    one_line_exit_2(
        invoke("workspaces", "add-member", "nord", "anna@example.com", "--role", "viewer"),
        "already",
    )
    assert (
        invoke("workspaces", "add-member", "nord", "anna@example.com", "--role", "boss").returncode
        == 2
    )
    assert counts(db_sessions) == before


def test_the_commands_run_through_the_flask_runner_too(runner, monkeypatch, sessions, app):
    monkeypatch.setenv("CXM_DATABASE_URL", app.config["DATABASE_URL"])
    made = runner.invoke(
        args=["cx", "users", "create", "anna@example.com", "--name", "Anna"], input=PASSWORD
    )
    assert made.exit_code == 0, made.output
    created = runner.invoke(
        args=["cx", "workspaces", "create", "nord", "--name", "Nord", "--owner", "anna@example.com"]
    )
    assert created.exit_code == 0, created.output
    workspace_id = json.loads(created.output)["id"]
    refused = runner.invoke(
        args=["cx", "workspaces", "create", "nord", "--name", "Nord", "--owner", "anna@example.com"]
    )
    assert refused.exit_code == 2
    assert accounts.workspaces_of(sessions, json.loads(made.output)["id"])[0].slug == "nord"
    assert workspace_id
