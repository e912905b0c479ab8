"""`cxmaturity clients purge-expired`: cron deletes clients archived 30 days ago, and no others."""

import datetime
import json

import pytest
from click.testing import CliRunner
from factories import make_member, make_workspace
from purge_fixtures import client_rows, populate_client

from cxmaturity.cli import cli
from cxmaturity.services import clients
from cxmaturity.services.access import load_actor
from cxmaturity.services.container import Services
from cxmaturity.store.database import make_engine, reading, session_factory, transaction
from cxmaturity.store.models import AuditEntry, utc_now


@pytest.fixture
def sessions(migrated_database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("CXM_DATABASE_URL", migrated_database_url)
    monkeypatch.setenv("CXM_INSTANCE_PATH", str(tmp_path / "instance"))
    engine = make_engine(migrated_database_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def move_clock(monkeypatch):
    """Move the clock of the command's Services (`Services.now`) by some days."""
    build = Services.build.__func__

    def moved(days: float) -> None:
        def now() -> datetime.datetime:
            return utc_now() + datetime.timedelta(days=days)

        monkeypatch.setattr(
            Services, "build", classmethod(lambda cls, **kw: build(cls, **{**kw, "now": now}))
        )

    return moved


@pytest.fixture
def archived(sessions):
    """Alpha AG archived now, Beta GmbH not archived, in workspace "nord"."""
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord")
        owner_id = make_member(session, nord, role="owner").id
        beta = populate_client(session, nord, "Beta GmbH")
        alpha = populate_client(session, nord, "Alpha AG")
    clients.archive_client(sessions, load_actor(sessions, owner_id), "nord", alpha["id"])
    return alpha, beta


def purge_expired(*options):
    result = CliRunner().invoke(cli, ["clients", "purge-expired", *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_before_30_days_nothing_is_purged_and_after_them_the_archived_client_is(
    sessions, archived, move_clock, tmp_path
):
    alpha, beta = archived
    cache = tmp_path / "instance" / "report-cache"
    cache.mkdir(parents=True)
    report, kept = (cache / f"{c['assessments'][0]}-{'a' * 64}.pdf" for c in (alpha, beta))
    for path in (report, kept):
        path.write_bytes(b"%PDF-1.7 %%EOF")
    alpha, beta = alpha["id"], beta["id"]

    move_clock(29)
    assert purge_expired() == {"dry_run": False, "purged": []}
    move_clock(31)
    assert purge_expired("--dry-run") == {
        "dry_run": True,
        "purged": [{"id": alpha, "reports_removed": 0}],
    }
    with reading(sessions) as session:
        assert all(client_rows(session, alpha).values())

    output = purge_expired()

    assert output["purged"][0]["id"] == alpha and "Alpha" not in json.dumps(output)
    assert not report.exists() and kept.exists()
    with reading(sessions) as session:
        assert not any(client_rows(session, alpha).values())
        assert all(client_rows(session, beta).values())
        last = session.query(AuditEntry).order_by(AuditEntry.id.desc()).first()
    assert (last.action, last.detail, last.actor_email) == ("deleted", f"client #{alpha}", None)
    assert purge_expired() == {"dry_run": False, "purged": []}
