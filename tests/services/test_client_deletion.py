"""Deleting a client: an owner purges an archived one, all or nothing; cron after 30 days."""

import datetime

import pytest
from factories import make_member, make_workspace
from purge_fixtures import (
    NOT_A_CLIENTS,
    all_rows,
    audit_line,
    client_rows,
    populate_client,
    tables_of_metadata,
)
from sqlalchemy import select, text

from cxmaturity.reports.pdf import ReportCache
from cxmaturity.services import client_deletion, clients
from cxmaturity.services.access import load_actor
from cxmaturity.services.errors import Forbidden, InvalidInput, NotVisible
from cxmaturity.store.database import reading, transaction
from cxmaturity.store.models import AuditEntry, Organization, utc_now

DAY = datetime.timedelta(days=1)


@pytest.fixture
def world(sessions):
    """Workspace "nord" with clients Alpha AG and Beta GmbH, each with a row in every table,
    an owner and a consultant; workspace "sued" with its own owner and client Gamma KG."""
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord")
        sued = make_workspace(session, slug="sued")
        owner = make_member(session, nord, role="owner")
        consultant = make_member(session, nord, role="consultant")
        other = make_member(session, sued, role="owner")
        alpha = populate_client(session, nord, "Alpha AG")
        beta = populate_client(session, nord, "Beta GmbH")
        gamma = populate_client(session, sued, "Gamma KG")
        # Lines that name the client or its people, as exports and link changes write them.
        audit_line(
            session,
            nord,
            action="exported",
            object_type="client",
            object_id=alpha["id"],
            detail="alpha ag: answers.csv",
            actor_email=owner.email,
        )
        audit_line(
            session,
            nord,
            action="link_revoked",
            object_type="respondent",
            object_id=None,
            detail=f"{alpha['respondent_email']} of Alpha AG",
        )
        audit_line(
            session,
            nord,
            action="kpis_saved",
            object_type="client",
            object_id=alpha["id"],
            detail="2026-Q3: nps",
            actor_user_id=alpha["staff"].id,
            actor_email=alpha["staff_email"],
        )
        audit_line(
            session,
            nord,
            action="exported",
            object_type="client",
            object_id=beta["id"],
            detail="Beta GmbH: answers.csv",
        )
        ids = {"owner": owner.id, "consultant": consultant.id, "other": other.id}
    actors = {name: load_actor(sessions, user_id) for name, user_id in ids.items()}
    clients.archive_client(sessions, actors["owner"], "nord", alpha["id"])
    return actors, {"alpha": alpha, "beta": beta, "gamma": gamma}


@pytest.fixture
def cache(tmp_path):
    """A report cache with a file for each assessment of the world (as the cache names them)."""
    return ReportCache(tmp_path / "report-cache")


def cached_reports(cache, assessments):
    paths = []
    for assessment_id in assessments:
        for language in ("de", "en"):
            path = cache.directory / f"{assessment_id}-{language * 32}.pdf"
            path.write_bytes(b"%PDF-1.7 report %%EOF")
            paths.append(path)
    return paths


def test_every_table_is_known_to_the_purge_tests():
    assert tables_of_metadata() == set(client_rows.__globals__["CLIENT_ROWS"]) | NOT_A_CLIENTS


def test_an_owner_purges_an_archived_client_and_no_table_keeps_a_row_of_it(sessions, world, cache):
    actors, ids = world
    alpha, beta = ids["alpha"], ids["beta"]
    alpha_files = cached_reports(cache, alpha["assessments"])
    other_files = cached_reports(cache, beta["assessments"] + ids["gamma"]["assessments"])
    with reading(sessions) as session:
        before = all_rows(session)
        alpha_before = client_rows(session, alpha["id"])
    assert all(alpha_before.values()), "the world gives Alpha a row in every client table"

    purged = client_deletion.purge_client(
        sessions, cache, actors["owner"], "nord", alpha["id"], "  alpha  ag "
    )

    assert purged.client_id == alpha["id"] and purged.reports_removed == 4
    with reading(sessions) as session:
        after = all_rows(session)
        assert not any(client_rows(session, alpha["id"]).values())
    for table, rows in before.items():
        if table == "audit_log":
            continue
        expected = rows - alpha_before.get(table, set())
        assert after[table] == expected, f"{table}: only Alpha's rows are gone"
    assert not any(path.exists() for path in alpha_files)
    assert all(path.exists() for path in other_files)


def test_the_audit_log_keeps_client_id_purged_by_whom_and_earlier_lines_only_ids(
    sessions, world, cache
):
    actors, ids = world
    alpha = ids["alpha"]
    client_deletion.purge_client(sessions, cache, actors["owner"], "nord", alpha["id"], "Alpha AG")
    with reading(sessions) as session:
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    last = entries[-1]
    assert (last.action, last.object_type, last.object_id) == ("deleted", "client", alpha["id"])
    assert last.detail == f"client #{alpha['id']}"
    assert last.actor_email == actors["owner"].email
    text_of_log = " ".join(f"{e.detail} {e.actor_email}" for e in entries).casefold()
    assert "alpha" not in text_of_log
    assert alpha["respondent_email"].casefold() not in text_of_log
    assert alpha["staff_email"].casefold() not in text_of_log
    assert f"client #{alpha['id']}: answers.csv" in [e.detail for e in entries]
    assert "Beta GmbH: answers.csv" in [e.detail for e in entries]
    archived = [e for e in entries if e.action == "client_archived"]
    assert [(e.object_type, e.object_id) for e in archived] == [("client", alpha["id"])]


def test_a_purge_that_fails_halfway_leaves_every_row_and_report_as_it_was(sessions, world, cache):
    actors, ids = world
    alpha = ids["alpha"]
    files = cached_reports(cache, alpha["assessments"])
    with transaction(sessions) as session:
        session.execute(text(fail_on_delete_of_organizations(session)))
    with reading(sessions) as session:
        before = all_rows(session)
    with pytest.raises(Exception, match="disk"):
        client_deletion.purge_client(
            sessions, cache, actors["owner"], "nord", alpha["id"], "Alpha AG"
        )
    with reading(sessions) as session:
        assert all_rows(session) == before
    assert all(path.exists() for path in files)


def fail_on_delete_of_organizations(session):
    """A trigger that fails the last delete of a purge, after all the others ran."""
    if session.get_bind().dialect.name == "sqlite":
        return (
            "CREATE TRIGGER no_delete BEFORE DELETE ON organizations "
            "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
        )
    session.execute(
        text(
            "CREATE FUNCTION no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'could not write: disk full' USING ERRCODE = 'disk_full'; END $$"
        )
    )
    return (
        "CREATE TRIGGER no_delete BEFORE DELETE ON organizations "
        "FOR EACH ROW EXECUTE FUNCTION no_delete()"
    )


@pytest.mark.parametrize(
    ("who", "client", "confirmation", "refused"),
    [
        ("consultant", "alpha", "Alpha AG", Forbidden),
        ("other", "alpha", "Alpha AG", NotVisible),
        ("owner", "gamma", "Gamma KG", NotVisible),
        ("owner", "beta", "Beta GmbH", InvalidInput),  # not archived
        ("owner", "alpha", "Alpha", InvalidInput),  # not its name
        ("owner", "alpha", "", InvalidInput),
    ],
)
def test_a_purge_refused_deletes_nothing(
    sessions, world, cache, who, client, confirmation, refused
):
    actors, ids = world
    with reading(sessions) as session:
        before = all_rows(session)
    with pytest.raises(refused):
        client_deletion.purge_client(
            sessions, cache, actors[who], "nord", ids[client]["id"], confirmation
        )
    with reading(sessions) as session:
        assert all_rows(session) == before


def test_restoring_works_for_30_days_after_archiving_then_is_refused(sessions, world):
    actors, ids = world
    alpha = ids["alpha"]["id"]
    page = clients.client_page(sessions, actors["owner"], "nord", alpha)
    assert page.restorable and page.may_delete
    assert page.client.purge_due_at is not None
    assert page.client.purge_due_at - utc_now() > 29 * DAY
    later = utc_now() + 30 * DAY
    assert not clients.client_page(sessions, actors["owner"], "nord", alpha, later).restorable
    with pytest.raises(InvalidInput) as refused:
        clients.restore_client(sessions, actors["owner"], "nord", alpha, later)
    assert refused.value.field == "restore"
    clients.restore_client(sessions, actors["owner"], "nord", alpha, utc_now() + 29 * DAY)
    assert not clients.client_page(sessions, actors["owner"], "nord", alpha).client.archived
    consultant_page = clients.client_page(sessions, actors["consultant"], "nord", alpha)
    assert not consultant_page.may_delete


def test_purge_expired_deletes_only_clients_archived_30_days_before_the_clock(
    sessions, world, cache
):
    actors, ids = world
    alpha, beta, gamma = (ids[name]["id"] for name in ("alpha", "beta", "gamma"))
    clients.archive_client(sessions, actors["other"], "sued", gamma)
    with transaction(sessions) as session:
        # Gamma was archived ten days after Alpha.
        session.get_one(Organization, gamma).archived_at = utc_now() + 10 * DAY
    files = cached_reports(cache, ids["alpha"]["assessments"])

    assert client_deletion.purge_expired(sessions, cache, utc_now() + 29 * DAY) == []
    due = client_deletion.purge_expired(sessions, cache, utc_now() + 31 * DAY, dry_run=True)
    assert [(p.client_id, p.name) for p in due] == [(alpha, "Alpha AG")]
    assert all(path.exists() for path in files)

    purged = client_deletion.purge_expired(sessions, cache, utc_now() + 31 * DAY)

    assert [p.client_id for p in purged] == [alpha]
    assert not any(path.exists() for path in files)
    with reading(sessions) as session:
        assert session.get(Organization, alpha) is None
        assert session.get(Organization, beta) is not None
        assert session.get(Organization, gamma) is not None
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (last.action, last.object_id, last.actor_email) == ("deleted", alpha, None)
    assert client_deletion.purge_expired(sessions, cache, utc_now() + 31 * DAY) == []


def test_a_client_made_after_a_purge_never_gets_the_purged_clients_id(sessions, world, cache):
    actors, _ = world
    with transaction(sessions) as session:
        beta = session.scalars(select(Organization).where(Organization.name == "Beta GmbH")).one()
        newest = populate_client(session, beta.workspace, "Delta SE")
    clients.archive_client(sessions, actors["owner"], "nord", newest["id"])
    client_deletion.purge_client(sessions, cache, actors["owner"], "nord", newest["id"], "Delta SE")
    with transaction(sessions) as session:
        again = populate_client(session, session.merge(beta).workspace, "Epsilon AG")
    assert again["id"] > newest["id"]
    assert min(again["assessments"]) > max(newest["assessments"])


def test_a_purge_forgets_the_workspaces_stored_api_answers_which_may_name_the_client(
    sessions, world, cache
):
    from cxmaturity.services.api_tokens import create_token
    from cxmaturity.store.models import IdempotentResponse

    actors, ids = world
    nord = create_token(sessions, actors["owner"], "nord", "CRM", "write")
    sued = create_token(sessions, actors["other"], "sued", "x", "read")
    with transaction(sessions) as session:
        for token_id, body in ((nord.id, '{"name": "Alpha AG"}'), (sued.id, '{"name": "Gamma"}')):
            session.add(
                IdempotentResponse(
                    token_id=token_id, key="k1", request_hash="0" * 64, status=201, body=body
                )
            )

    client_deletion.purge_client(sessions, cache, actors["owner"], "nord", ids["alpha"]["id"],
                                 "Alpha AG")  # fmt: skip

    with reading(sessions) as session:
        kept = session.scalars(select(IdempotentResponse.body)).all()
    assert kept == ['{"name": "Gamma"}']  # another workspace's stay
