"""The start page of a workspace with many clients: paged, and in a constant number of queries."""

import pytest
from factories import (
    make_assessment,
    make_member,
    make_organization,
    make_respondent,
    make_workspace,
)
from sqlalchemy import event
from web_helpers import log_in

from cxmaturity.store.database import transaction
from cxmaturity.store.models import Workspace
from cxmaturity.web.context import services_of


def add_clients(sessions, workspace_id, count, start=0):
    with transaction(sessions) as session:
        workspace = session.get(Workspace, workspace_id)
        for number in range(start, start + count):
            organization = make_organization(
                session, name=f"Kunde {number:03d}", workspace=workspace
            )
            assessment = make_assessment(session, organization)
            make_respondent(session, assessment, submitted=True)
            make_respondent(session, assessment)


@pytest.fixture
def consultant(sessions):
    with transaction(sessions) as session:
        workspace = make_workspace(session, slug="gross")
        return workspace.id, make_member(session, workspace, role="consultant").email


def count_queries(app, client, url):
    statements = []

    def count(_connection, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    engine = services_of(app).engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements)


def test_the_start_page_needs_as_many_queries_for_60_clients_as_for_3(
    app, client, sessions, consultant
):
    workspace_id, email = consultant
    add_clients(sessions, workspace_id, 3)
    log_in(client, email)
    client.get("/w/gross/")
    few = count_queries(app, client, "/w/gross/")
    add_clients(sessions, workspace_id, 57, start=3)
    many = count_queries(app, client, "/w/gross/")
    assert few == many


def test_the_start_page_shows_fifty_clients_a_page_with_links_between_pages(
    client, sessions, consultant
):
    workspace_id, email = consultant
    add_clients(sessions, workspace_id, 55)
    log_in(client, email)
    first = client.get("/w/gross/").get_data(as_text=True)
    assert "55 clients" in first and "Page 1 of 2" in first
    assert "Kunde 049" in first and "Kunde 050" not in first
    assert 'href="/w/gross/?page=2"' in first
    second = client.get("/w/gross/?page=2").get_data(as_text=True)
    assert "Kunde 050" in second and "Kunde 054" in second and "Kunde 049" not in second
    assert 'href="/w/gross/?page=1"' in second
    assert client.get("/w/gross/?page=9").status_code == 200
