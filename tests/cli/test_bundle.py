"""`cxmaturity export --format json` and `cxmaturity import-bundle` (DESIGN §6)."""

import json

import pytest
from click.testing import CliRunner
from factories import PROJECT_ROOT, make_organization, make_workspace
from history_quarters import import_all, same_version
from sqlalchemy import func, select

from cxmaturity.cli import cli
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.store.database import make_engine, reading, session_factory, transaction
from cxmaturity.store.models import Base, Organization


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
        nord = make_workspace(session, slug="nord")
        make_workspace(session, slug="sued")
        client_id = make_organization(session, name="Alpha AG", workspace=nord).id
    catalogue = catalogue_for(PROJECT_ROOT / "questionnaires")
    import_all(sessions, catalogue, "nord", client_id, same_version(catalogue, 2))
    return client_id


def run(*args):
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def counts(sessions) -> dict[str, int]:
    with reading(sessions) as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
            if table.name != "audit_log"  # an export is audited
        }


def test_a_bundle_written_by_one_workspace_is_read_by_another(sessions, client_id, tmp_path):
    path = tmp_path / "alpha.json"
    written = run(
        "export", "--workspace", "nord", "--format", "json", "--client", client_id, "-o", path
    )
    assert written.exit_code == 0, written.output
    bundle = json.loads(path.read_text(encoding="utf-8"))
    assert bundle["format"] == "cxmaturity-export/1"
    result = run("import-bundle", path, "--workspace", "sued")
    assert result.exit_code == 0, result.output
    new_id = json.loads(result.stdout)["id"]
    with reading(sessions) as session:
        imported = session.get_one(Organization, new_id)
        assert (imported.name, imported.workspace.slug) == ("Alpha AG", "sued")
        assert len(imported.assessments) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"format": ', "the file is not JSON"),
        ('{"format": "cxmaturity-export/0"}', "'cxmaturity-export/0'"),
        ("[]", "not a cxmaturity bundle"),
    ],
)
def test_a_file_that_is_no_bundle_ends_with_one_line_and_exit_2(
    sessions, client_id, tmp_path, content, message
):
    path = tmp_path / "bundle.json"
    path.write_text(content, encoding="utf-8")
    before = counts(sessions)
    result = run("import-bundle", path, "--workspace", "sued")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: bundle: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert counts(sessions) == before


def test_an_existing_client_name_or_a_missing_file_is_refused(sessions, client_id, tmp_path):
    path = tmp_path / "alpha.json"
    run("export", "--workspace", "nord", "--format", "json", "--client", client_id, "-o", path)
    before = counts(sessions)
    result = run("import-bundle", path, "--workspace", "nord")
    assert result.exit_code == 2 and "already has a client 'Alpha AG'" in result.stderr
    missing = run("import-bundle", tmp_path / "nothing.json", "--workspace", "sued")
    assert missing.exit_code == 2 and "cannot read" in missing.stderr
    unknown = run(
        "export", "--workspace", "sued", "--format", "json", "--client", client_id, "-o", path
    )
    assert unknown.exit_code == 2 and "has no client" in unknown.stderr
    assert counts(sessions) == before
