"""The two workspaces of the isolation matrix, and the tools to call a route as anyone in them.

`build_world` makes workspaces A and B of the same shape, each with:

- members: an owner, a consultant, a viewer, and a consultant limited to client 1
  ("limited"); client staff of client 1 ("staff1", client_admin);
- clients 1 and 2, each with an open assessment (2026-Q4) and two respondents,
  the first submitted with answers and a comment only it has.

Objects are named by references such as "A.client2" (see `World.refs`): a
row of the matrix names the objects it needs by reference, and the world
knows which client each object belongs to.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
from dataclasses import dataclass, field

from factories import (
    PASSWORD,
    make_assessment,
    make_member,
    make_organization,
    make_respondent,
    make_workspace,
)
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.services.passwords import hash_password
from cxmaturity.store.database import reading, transaction
from cxmaturity.store.models import (
    Action,
    ApiToken,
    Base,
    BulkReportJob,
    ExportJob,
    Membership,
    SavedCohort,
    User,
    WorkspaceMember,
    hash_token,
    utc_now,
)

ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
WORKSPACES = ("A", "B")
CALLERS = ("owner", "consultant", "viewer", "limited", "staff1")


@dataclass(frozen=True)
class Ref:
    value: int | str
    client: str | None = None
    """The reference of the client the object belongs to ("A.client2"); None: the workspace's."""


@dataclass
class World:
    refs: dict[str, Ref] = field(default_factory=dict)
    """"A" → A's slug, "A.client1" → its id, "A.assessment2", "A.respondent1" (its id),
    "A.token1" (the first respondent's link token), "A.cohort1" (a saved cohort),
    "A.member.consultant" (a WorkspaceMember id), "A.user.viewer" (a user id), for A and B alike."""
    emails: dict[str, str] = field(default_factory=dict)
    """"A.owner", "B.viewer", … → the e-mail address that user logs in with."""
    secrets: dict[str, str] = field(default_factory=dict)
    """"A.comment1" → the comment only respondent 1 of A's client 1 wrote."""

    def resolve(self, value: object) -> Ref:
        """A reference to its object; anything else (a number, plain text) as it is."""
        if isinstance(value, str) and value in self.refs:
            return self.refs[value]
        return Ref(value if isinstance(value, int | str) else str(value))


def build_world(sessions: sessionmaker[Session]) -> World:
    world = World()
    for name in WORKSPACES:
        with transaction(sessions) as session:
            _build_workspace(session, world, name)
    return world


def _build_workspace(session: Session, world: World, name: str) -> None:
    workspace = make_workspace(session, slug=f"ws-{name.lower()}", name=f"Workspace {name}")
    world.refs[name] = Ref(workspace.slug)
    clients = {}
    for number in (1, 2):
        client_ref = f"{name}.client{number}"
        organization = make_organization(
            session, name=f"{name} client {number}", workspace=workspace
        )
        clients[number] = organization
        world.refs[client_ref] = Ref(organization.id, client_ref)
        assessment = make_assessment(session, organization=organization)
        world.refs[f"{name}.assessment{number}"] = Ref(assessment.id, client_ref)
        comment = f"secret-{name}-{number}-{secrets.token_hex(4)}"
        world.secrets[f"{name}.comment{number}"] = comment
        first, first_token = make_respondent(
            session,
            assessment,
            name=f"{name} R{number}a",
            answers={"strategy-cem-strategy": 3},
            comments={"strategy-cem-strategy": comment},
            submitted=True,
        )
        second, second_token = make_respondent(session, assessment, name=f"{name} R{number}b")
        world.refs[f"{name}.respondent{number}"] = Ref(first.id, client_ref)
        world.refs[f"{name}.respondent{number}b"] = Ref(second.id, client_ref)
        world.refs[f"{name}.token{number}"] = Ref(first_token, client_ref)
        world.refs[f"{name}.token{number}b"] = Ref(second_token, client_ref)
        # Last quarter, closed, and an action of the client's plan: the quarterly pages
        # (history, next quarter, actions) have something to show and to change.
        closed = make_assessment(
            session, organization=organization, period="2026-Q3", status="closed"
        )
        make_respondent(
            session,
            closed,
            name=f"{name} R{number}a",
            answers={"strategy-budget": 2},
            submitted=True,
        )
        action = Action(
            organization_id=organization.id,
            questionnaire_id="cx-maturity",
            dimension_id="strategy",
            title=f"{name} action {number}",
            opened_period="2026-Q3",
        )
        session.add(action)
        session.flush()
        world.refs[f"{name}.action{number}"] = Ref(action.id, client_ref)
    # A saved cohort of the workspace (issue 11): the portfolio and a client's cohort view pick
    # it by id, so another workspace's id must answer as an unknown one.
    cohort = SavedCohort(
        workspace_id=workspace.id,
        name=f"{name} cohort",
        questionnaire_id="cx-maturity",
        major="1",
        tags=[],
    )
    session.add(cohort)
    session.flush()
    world.refs[f"{name}.cohort1"] = Ref(cohort.id)
    roles = {"owner": "owner", "consultant": "consultant", "viewer": "viewer"}
    for caller, role in roles.items():
        user = make_member(session, workspace, _user(session), role=role)
        _add_member(session, world, name, caller, user)
    limited = make_member(
        session, workspace, _user(session), role="consultant", listed_clients=[clients[1]]
    )
    _add_member(session, world, name, "limited", limited)
    staff = _user(session)
    session.add(Membership(user=staff, organization=clients[1], role="client_admin"))
    session.flush()
    world.emails[f"{name}.staff1"] = staff.email
    world.refs[f"{name}.user.staff1"] = Ref(staff.id, f"{name}.client1")
    # A bulk-report job of the owner's (issue 11), done, over both clients: only its
    # creator sees it, so it counts as client 2's for the limited consultant and staff.
    job = BulkReportJob(
        workspace_id=workspace.id,
        creator_user_id=world.refs[f"{name}.user.owner"].value,
        period="2026-Q3",
        language="de",
        client_ids=json.dumps([clients[1].id, clients[2].id]),
        status="done",
        total=2,
        done_count=2,
        finished_at=utc_now(),
    )
    session.add(job)
    session.flush()
    world.refs[f"{name}.bulkjob"] = Ref(job.id, f"{name}.client2")
    # A workspace export of the owner's (issue 12): only its creator sees it.
    export_job = ExportJob(
        workspace_id=workspace.id,
        creator_user_id=world.refs[f"{name}.user.owner"].value,
        format="xlsx",
        status="done",
        total=7,
        done_count=7,
        finished_at=utc_now(),
    )
    session.add(export_job)
    session.flush()
    world.refs[f"{name}.exportjob"] = Ref(export_job.id, f"{name}.client2")
    # An API token of the owner's (issue 12): only owners see or revoke it.
    api_token = ApiToken(
        workspace_id=workspace.id,
        creator_user_id=world.refs[f"{name}.user.owner"].value,
        name="Matrix",
        scope="read",
        token_hash=hash_token(f"{name}-{secrets.token_hex(8)}"),
    )
    session.add(api_token)
    session.flush()
    world.refs[f"{name}.apitoken"] = Ref(api_token.id)


@functools.cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def _user(session: Session) -> User:
    """A user who logs in with factories.PASSWORD, hashed once per test run (argon2 is slow)."""
    user = User(
        email=f"user-{secrets.token_hex(4)}@example.com",
        password_hash=_password_hash(),
        display_name="Matrix user",
        language="en",
    )
    session.add(user)
    session.flush()
    return user


def _add_member(session: Session, world: World, name: str, caller: str, user) -> None:
    member_id = session.scalar(select(WorkspaceMember.id).where(WorkspaceMember.user_id == user.id))
    world.emails[f"{name}.{caller}"] = user.email
    world.refs[f"{name}.member.{caller}"] = Ref(member_id)
    world.refs[f"{name}.user.{caller}"] = Ref(user.id)


# Keys of a matrix row that are not arguments of the rule.
ROW_OPTIONS = ("form", "query", "internal")


def fill(rule: str, row: dict, world: World, workspace: str = "A") -> tuple[str, dict, set[str]]:
    """The URL of `rule` with the row's objects, its form, and the clients those objects are of.

    `slug` is the workspace's unless the row says otherwise. With `workspace="B"`,
    every reference "A.…" of the row is read as B's object of the same name.
    """
    values = {"slug": workspace, **{k: v for k, v in row.items() if k not in ROW_OPTIONS}}
    clients: set[str] = set()

    def value_of(argument: str) -> str:
        if argument not in values:
            raise KeyError(f"{rule}: the matrix row gives no value for <{argument}>")
        return str(resolved(values[argument]))

    def resolved(value: object) -> int | str:
        if isinstance(value, str) and value.startswith("A.") and workspace != "A":
            value = f"{workspace}.{value[2:]}"
        ref = world.resolve(value)
        if ref.client:
            clients.add(ref.client)
        return ref.value

    url = ARGUMENT.sub(lambda match: value_of(match.group(1)), rule)
    query = {key: resolved(value) for key, value in row.get("query", {}).items()}
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    form = {key: _form_value(resolved, value) for key, value in row.get("form", {}).items()}
    return url, form, clients


def _form_value(resolved, value):
    if isinstance(value, list):
        return [str(resolved(item)) for item in value]
    return str(resolved(value))


def names_objects(row: dict) -> bool:
    """Whether the row's address names an object of A beyond the workspace itself."""
    values = [v for k, v in row.items() if k not in ("form", "query")]
    values += list(row.get("query", {}).values())
    return any(isinstance(v, str) and v.startswith("A.") for v in values)


def dump(sessions: sessionmaker[Session]) -> dict[str, list[tuple]]:
    """Every row of every table, to compare before and after a request."""
    with reading(sessions) as session:
        return {
            table.name: sorted((tuple(row) for row in session.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
        }


def changed_tables(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    return [name for name in before if before[name] != after.get(name)]


def log_in(client, email: str) -> None:
    """Log in through /login (the matrix's app has CSRF checks off)."""
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, f"could not log in {email}"
