"""The client bundle (DESIGN §9): export a client as `cxmaturity-export/1`, import it elsewhere.

The bundle is the hand-over when a client leaves: everything stored about the
client, so that `import_bundle` in another workspace (or installation) makes the
same client again and exporting it there gives the same file, apart from
`exported_at`. Left out, on purpose: accounts (users, workspace members, client
staff, who set a target or changed an action) belong to the workspace, not to the
client; link tokens and their hashes are secrets of the installation. Imported
respondents therefore get a new random link nobody knows: "rotate" makes one
that can be sent.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor, Permission
from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.statuses import AuditAction
from cxmaturity.exports import bundle_fields as shape
from cxmaturity.exports.bundle import (
    BundleRefused,
    ReadAssessment,
    derived_number,
    parse_text,
    read_bundle,
    row_json,
    without_person,
)
from cxmaturity.exports.bundle_schema import bundle_schema
from cxmaturity.services import audit
from cxmaturity.services.access import client_for
from cxmaturity.services.clients import ClientDetails, checked_details
from cxmaturity.services.errors import InvalidInput
from cxmaturity.store.database import run_in_transaction
from cxmaturity.store.models import (
    Action,
    ActionEvent,
    Answer,
    Assessment,
    DimensionSnapshot,
    KpiValue,
    Organization,
    OrganizationTag,
    Respondent,
    ResultSnapshot,
    Target,
    Workspace,
    hash_token,
    utc_now,
)
from cxmaturity.store.queries import accounts as account_queries
from cxmaturity.store.queries import bundle as bundle_queries
from cxmaturity.store.queries import clients as client_queries

__all__ = [
    "BundleRefused",
    "bundle_schema",
    "export_bundle",
    "export_bundle_as_operator",
    "import_bundle",
]


def export_bundle(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    client_id: int,
) -> dict:
    """The client's bundle (a JSON-ready dict) if the actor may export it; the export is audited.

    Raises NotVisible for a client outside the actor's sight, Forbidden for a reader.
    `catalogue` is not needed to write the file (it holds what is stored, scored or not);
    it is taken for the signature every export shares.
    """

    def export(session: Session) -> dict:
        workspace, organization = client_for(session, actor, slug, client_id, Permission.HAND_OVER)
        return _exported(session, actor, workspace, organization)

    return run_in_transaction(sessions, export)


def export_bundle_as_operator(
    sessions: sessionmaker[Session], catalogue: Catalogue, slug: str, client_id: int
) -> dict:
    """`cxmaturity export --format json`: the operator exports a client of workspace `slug`."""

    def export(session: Session) -> dict:
        workspace = account_queries.workspace_by_slug(session, slug)
        if workspace is None:
            raise InvalidInput("workspace", f"there is no workspace {slug!r}")
        organization = client_queries.client_in(session, workspace.id, client_id)
        if organization is None:
            raise InvalidInput("client", f"workspace {slug!r} has no client {client_id}")
        return _exported(session, None, workspace, organization)

    return run_in_transaction(sessions, export)


def import_bundle(
    sessions: sessionmaker[Session], catalogue: Catalogue, slug: str, data: object
) -> int:
    """Make the bundle `data` (the file's bytes or text, or parsed JSON) a client of `slug`.

    Returns the new client's id.

    All in one transaction: a refused bundle writes nothing. Raises InvalidInput
    ("bundle") for a file that is not a bundle of this format or breaks a rule,
    ("name") for a client name the workspace already has, ("workspace") for no workspace.
    """
    try:
        if isinstance(data, bytes | str):
            data = parse_text(data)
        bundle = read_bundle(data, catalogue)
    except BundleRefused as refused:
        raise InvalidInput("bundle", str(refused)) from None
    client = bundle.client
    details = checked_details(
        ClientDetails(
            name=client["name"],
            industry=client["industry"],
            size=client["size"],
            external_reference=client["external_reference"],
            tags=bundle.tags,
        )
    )

    def store(session: Session) -> int:
        workspace = account_queries.workspace_by_slug(session, slug)
        if workspace is None:
            raise InvalidInput("workspace", f"there is no workspace {slug!r}")
        if client_queries.name_taken(session, workspace.id, details.name, None):
            raise InvalidInput("name", f"workspace {slug!r} already has a client {details.name!r}")
        organization = Organization(
            workspace_id=workspace.id,
            **(client | {"name": details.name}),
            tags=[OrganizationTag(tag=tag) for tag in details.tags],
        )
        session.add(organization)
        session.flush()
        stored = {_key(read): read for read in bundle.assessments}
        ids = {key: _add_assessment(session, organization.id, read) for key, read in stored.items()}
        session.flush()
        for (questionnaire_id, _period), read in stored.items():
            _add_snapshot(session, ids, questionnaire_id, read)
        for values in bundle.targets:
            session.add(Target(organization_id=organization.id, **values))
        for values, events in bundle.actions:
            action = Action(organization_id=organization.id, **values)
            action.events = [ActionEvent(**event) for event in events]
            session.add(action)
        for values in bundle.kpis:
            number = derived_number(values["value"])
            session.add(KpiValue(organization_id=organization.id, value_number=number, **values))
        session.flush()
        return organization.id

    return run_in_transaction(sessions, store)


def _exported(
    session: Session, actor: Actor | None, workspace: Workspace, organization: Organization
) -> dict:
    tables = bundle_queries.client_tables(session, organization.id)
    client = row_json(shape.CLIENT, _values(organization, shape.CLIENT))
    client["tags"] = [tag.tag for tag in organization.tags]
    periods = {assessment.id: assessment.period for assessment in tables.assessments}
    audit.record(
        session,
        actor,
        AuditAction.EXPORTED,
        "client",
        organization.id,
        "JSON bundle",
        workspace_id=workspace.id,
    )
    return {
        "format": shape.FORMAT,
        "exported_at": utc_now().isoformat(),
        "client": client,
        "assessments": [_assessment_json(tables, periods, a) for a in tables.assessments],
        "targets": [row_json(shape.TARGET, _values(t, shape.TARGET)) for t in tables.targets],
        "actions": [_action_json(tables, action) for action in tables.actions],
        "kpis": [row_json(shape.KPI, _values(kpi, shape.KPI)) for kpi in tables.kpis],
    }


def _assessment_json(
    tables: bundle_queries.ClientTables, periods: Mapping[int, str], assessment: Assessment
) -> dict:
    item = row_json(shape.ASSESSMENT, _values(assessment, shape.ASSESSMENT))
    item["respondents"] = []
    for respondent in tables.respondents[assessment.id]:
        person = row_json(shape.RESPONDENT, _values(respondent, shape.RESPONDENT))
        answers = [
            row_json(shape.ANSWER, _values(a, shape.ANSWER)) for a in tables.answers[respondent.id]
        ]
        item["respondents"].append(
            without_person(person, assessment.anonymity) | {"answers": answers}
        )
    snapshot = tables.snapshots.get(assessment.id)
    item["snapshot"] = None
    if snapshot is not None:
        previous = periods.get(snapshot.previous_assessment_id or 0)
        values = _values(snapshot, shape.SNAPSHOT, previous_period=previous)
        dimensions = [
            row_json(shape.DIMENSION, _values(dimension, shape.DIMENSION))
            for dimension in tables.dimensions[assessment.id]
        ]
        item["snapshot"] = row_json(shape.SNAPSHOT, values) | {"dimensions": dimensions}
    return item


def _action_json(tables: bundle_queries.ClientTables, action: Action) -> dict:
    events = [row_json(shape.EVENT, _values(e, shape.EVENT)) for e in tables.events[action.id]]
    return row_json(shape.ACTION, _values(action, shape.ACTION)) | {"events": events}


def _values(row: object, fields: tuple[shape.Field, ...], **given: Any) -> dict[str, Any]:
    """The row's attributes the bundle holds; `given` supplies those that are not columns."""
    return {
        f.attribute: given[f.attribute] if f.attribute in given else getattr(row, f.attribute)
        for f in fields
    }


def _key(read: ReadAssessment) -> tuple[str, str]:
    return read.values["questionnaire_id"], read.values["period"]


def _add_assessment(session: Session, organization_id: int, read: ReadAssessment) -> int:
    assessment = Assessment(organization_id=organization_id, **read.values)
    for values, answers in read.respondents:
        # A fresh link nobody knows: the tokens of the old installation stay there.
        respondent = Respondent(token_hash=hash_token(secrets.token_urlsafe(32)), **values)
        respondent.answers = [Answer(**answer) for answer in answers]
        assessment.respondents.append(respondent)
    session.add(assessment)
    session.flush()
    return assessment.id


def _add_snapshot(
    session: Session,
    ids: Mapping[tuple[str, str], int],
    questionnaire_id: str,
    read: ReadAssessment,
) -> None:
    if read.snapshot is None:
        return
    own = ids[(questionnaire_id, read.values["period"])]
    previous = None
    if read.previous_period is not None:
        previous = ids[(questionnaire_id, read.previous_period)]
    snapshot = ResultSnapshot(
        assessment_id=own,
        previous_assessment_id=previous,
        overall_score_value=derived_number(read.snapshot["overall_score"]),
        **read.snapshot,
    )
    snapshot.dimensions = [
        DimensionSnapshot(score_value=derived_number(values["score"]), **values)
        for values in read.dimensions
    ]
    session.add(snapshot)
