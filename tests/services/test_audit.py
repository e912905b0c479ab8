"""The audit log: written with the change it records, read by owners newest first, page by page."""

from __future__ import annotations

import pytest
from factories import make_member, make_workspace
from sqlalchemy import event, func, select

from cxmaturity.domain.statuses import AuditAction
from cxmaturity.services import audit
from cxmaturity.services.access import load_actor
from cxmaturity.services.errors import Forbidden, InvalidInput, NotVisible
from cxmaturity.store.database import reading, transaction
from cxmaturity.store.models import AuditEntry


@pytest.fixture
def people(sessions):
    with transaction(sessions) as session:
        workspace = make_workspace(session, slug="nord")
        other = make_workspace(session, slug="sued")
        users = {
            "owner": make_member(session, workspace, role="owner"),
            "consultant": make_member(session, workspace, role="consultant"),
            "viewer": make_member(session, workspace, role="viewer"),
            "stranger": make_member(session, other, role="owner"),
        }
    actors = {name: load_actor(sessions, user.id) for name, user in users.items()}
    return {"actors": actors, "workspace": workspace.id, "other": other.id}


def add_entries(sessions, actor, workspace_id, count, action=AuditAction.EXPORTED):
    with transaction(sessions) as session:
        for number in range(count):
            audit.record(
                session,
                actor,
                action,
                "client",
                number,
                f"entry {number}",
                workspace_id=workspace_id,
            )


def entry_count(sessions):
    with reading(sessions) as session:
        return session.scalar(select(func.count()).select_from(AuditEntry))


def test_an_entry_is_kept_only_if_the_change_it_records_commits(sessions, people):
    owner = people["actors"]["owner"]
    with pytest.raises(RuntimeError), transaction(sessions) as session:
        audit.record(session, owner, AuditAction.DELETED, "client", 7, workspace_id=1)
        raise RuntimeError("the change failed")
    assert entry_count(sessions) == 0
    add_entries(sessions, owner, people["workspace"], 1)
    assert entry_count(sessions) == 1


def test_an_entry_keeps_the_actors_email_as_text_and_the_system_has_none(sessions, people):
    owner = people["actors"]["owner"]
    add_entries(sessions, owner, people["workspace"], 1)
    add_entries(sessions, None, people["workspace"], 1, AuditAction.LINK_REVOKED)
    page = audit.audit_page(sessions, owner, "nord")
    assert [(line.action, line.actor_email) for line in page.lines] == [
        (AuditAction.LINK_REVOKED, None),
        (AuditAction.EXPORTED, owner.email),
    ]


def test_an_unknown_action_is_refused(sessions, people):
    with pytest.raises(ValueError), transaction(sessions) as session:
        audit.record(session, None, "hacked", "client", 1, workspace_id=people["workspace"])


def test_the_log_shows_newest_first_in_pages_with_the_same_number_of_queries(sessions, people):
    owner = people["actors"]["owner"]
    add_entries(sessions, owner, people["workspace"], 2 * audit.PAGE_SIZE + 7)
    add_entries(sessions, owner, people["other"], 3)
    statements = []
    engine = sessions.kw["bind"]
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    pages, before, counts = [], None, []
    while True:
        statements.clear()
        page = audit.audit_page(sessions, owner, "nord", before)
        counts.append(len(statements))
        pages.append([line.detail for line in page.lines])
        if page.older is None:
            break
        before = page.older
    assert [len(lines) for lines in pages] == [audit.PAGE_SIZE, audit.PAGE_SIZE, 7]
    shown = [detail for lines in pages for detail in lines]
    assert shown == [f"entry {n}" for n in reversed(range(2 * audit.PAGE_SIZE + 7))]
    assert len(set(counts)) == 1, counts


@pytest.mark.parametrize(
    ("name", "error"), [("consultant", Forbidden), ("viewer", Forbidden), ("stranger", NotVisible)]
)
def test_only_the_owners_read_the_log(sessions, people, name, error):
    with pytest.raises(error):
        audit.audit_page(sessions, people["actors"][name], "nord")
    with pytest.raises(NotVisible):
        audit.audit_page(sessions, None, "nord")


@pytest.mark.parametrize("before", [0, -3, "12"])
def test_a_page_position_that_is_no_positive_number_is_refused(sessions, people, before):
    with pytest.raises(InvalidInput):
        audit.audit_page(sessions, people["actors"]["owner"], "nord", before)
