"""A client with a bit of everything for the bundle tests, and its stored rows for comparing.

`seed_client` gives "Alpha AG" of workspace "nord" three closed quarters (2024-Q1 named,
2024-Q2 confidential, 2024-Q3 anonymous, each with a snapshot that compares with the one
before), an open 2024-Q4 with a revoked, a reminded and a submitted respondent, comments
and "not applicable" answers, default targets, actions with events and key figures.
`client_rows` reads every stored row of a client with ids and foreign keys replaced by
what they point at, so that two clients compare row by row.
"""

from __future__ import annotations

import datetime

from factories import make_respondent
from history_quarters import import_all, same_version
from sqlalchemy import select, update

from cxmaturity.services import kpis, plans, targets
from cxmaturity.store.database import reading, transaction
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
    utc_now,
)

TODAY = datetime.date(2024, 11, 5)
# Not part of the client: ids, the workspace, link secrets, and who (an account of the
# workspace) set a target, changed an action or entered a key figure.
NOT_COMPARED = {
    "id",
    "organization_id",
    "workspace_id",
    "assessment_id",
    "respondent_id",
    "action_id",
    "previous_assessment_id",
    "token_hash",
    "token_nonce",
    "set_by_user_id",
    "user_id",
    "updated_by_user_id",
}


def seed_client(sessions, catalogue, actor, client_id: int) -> None:
    import_all(sessions, catalogue, "nord", client_id, same_version(catalogue, 3))
    with transaction(sessions) as session:
        session.execute(
            update(Organization)
            .where(Organization.id == client_id)
            .values(external_reference="CRM-4711")
        )
        session.add_all(
            OrganizationTag(organization_id=client_id, tag=t) for t in ("pilot", "retail")
        )
        by_period = {
            a.period: a
            for a in session.scalars(
                select(Assessment).where(Assessment.organization_id == client_id)
            )
        }
        by_period["2024-Q1"].anonymity = "named"
        anonymous = by_period["2024-Q3"]
        anonymous.anonymity = "anonymous"
        for respondent in session.scalars(
            select(Respondent).where(Respondent.assessment_id == anonymous.id)
        ):
            respondent.name = respondent.email = respondent.role = None
        first = session.scalars(
            select(Answer)
            .join(Respondent)
            .where(Respondent.assessment_id == by_period["2024-Q2"].id)
            .order_by(Answer.id)
        ).first()
        first.comment = "Budget für 2025 ist \u201eunklar\u201c"
        open_one = Assessment(
            organization_id=client_id,
            questionnaire_id="cx-maturity",
            questionnaire_version="1.0",
            period="2024-Q4",
            status="open",
            anonymity="named",
            due_date=datetime.date(2024, 12, 15),
            opened_at=utc_now(),
        )
        session.add(open_one)
        session.flush()
        done, _ = make_respondent(
            session,
            open_one,
            name="Anna",
            answers={"strategy-cem-strategy": 4, "strategy-budget": "na"},
            comments={"strategy-cem-strategy": "Wir haben eine Strategie."},
            submitted=True,
        )
        done.email, done.respondent_group = "anna@example.com", "executive"
        reminded, _ = make_respondent(session, open_one, name="Ben", language="de")
        reminded.email, reminded.reminder_count = "ben@example.com", 2
        reminded.last_reminded_at, reminded.delivery = utc_now(), "sent"
        revoked, _ = make_respondent(session, open_one, name="Cem")
        revoked.revoked_at = utc_now()
    targets.set_default_targets(sessions, catalogue, actor, "nord", client_id)
    first_action = plans.create_action(
        sessions, catalogue, actor, "nord", client_id, "cx-maturity",
        plans.NewAction("strategy", "CX-Strategie mit dem Vorstand abstimmen", owner="Anna",
                        due_date=datetime.date(2024, 12, 31)),
        TODAY,
    )  # fmt: skip
    plans.create_action(
        sessions, catalogue, actor, "nord", client_id, "cx-maturity",
        plans.NewAction("customer-understanding", "Personas schreiben"), TODAY,
    )  # fmt: skip
    plans.update_action(
        sessions, catalogue, actor, "nord", client_id, first_action,
        plans.ActionChanges(status="in_progress", title="CX-Strategie abstimmen"), TODAY,
    )  # fmt: skip
    kpis.save_kpis(
        sessions, actor, "nord", client_id, "2024-Q3",
        {"nps": {"promoters": "40", "passives": "35", "detractors": "25"},
         "response_time": {"total_hours": "12,5", "inquiries": "4"}},
        {"nps": "Umfrage im September"},
    )  # fmt: skip
    kpis.save_kpis(
        sessions, actor, "nord", client_id, "2024-Q2",
        {"csat": {"satisfied": "0", "responses": "0"}},
    )  # fmt: skip


def client_rows(sessions, client_id: int) -> dict[str, list[dict]]:
    """Every stored row of the client, table by table, ids replaced by what they name."""
    with reading(sessions) as session:
        assessments = list(
            session.scalars(
                select(Assessment)
                .where(Assessment.organization_id == client_id)
                .order_by(Assessment.period)
            )
        )
        periods = {a.id: a.period for a in assessments}
        respondents = list(
            session.scalars(
                select(Respondent)
                .where(Respondent.assessment_id.in_(periods))
                .order_by(Respondent.id)
            )
        )
        people = {r.id: (periods[r.assessment_id], n) for n, r in enumerate(respondents)}
        actions = list(
            session.scalars(
                select(Action).where(Action.organization_id == client_id).order_by(Action.id)
            )
        )
        titles = {a.id: n for n, a in enumerate(actions)}

        def rows(model, where, order, **named) -> list[dict]:
            found = session.scalars(select(model).where(where).order_by(*order))
            return [_row(row, {k: f(row) for k, f in named.items()}) for row in found]

        return {
            "organization": rows(Organization, Organization.id == client_id, [Organization.id]),
            "tags": rows(
                OrganizationTag, OrganizationTag.organization_id == client_id, [OrganizationTag.tag]
            ),
            "assessments": [_row(a, {}) for a in assessments],
            "respondents": [
                _row(r, {"period": periods[r.assessment_id]}) for r in respondents
            ],
            "answers": rows(
                Answer, Answer.respondent_id.in_(people), [Answer.id],
                respondent=lambda a: people[a.respondent_id],
            ),
            "snapshots": sorted(
                rows(
                    ResultSnapshot, ResultSnapshot.assessment_id.in_(periods),
                    [ResultSnapshot.assessment_id],
                    period=lambda s: periods[s.assessment_id],
                    previous=lambda s: periods.get(s.previous_assessment_id),
                ),
                key=lambda row: row["period"],
            ),
            "dimensions": sorted(
                rows(
                    DimensionSnapshot, DimensionSnapshot.assessment_id.in_(periods),
                    [DimensionSnapshot.dimension_id],
                    period=lambda d: periods[d.assessment_id],
                ),
                key=lambda row: (row["period"], row["dimension_id"]),
            ),
            "targets": rows(Target, Target.organization_id == client_id, [Target.id]),
            "actions": [_row(a, {}) for a in actions],
            # Each action's events in their order; the order across actions is not kept.
            "events": sorted(rows(
                ActionEvent, ActionEvent.action_id.in_(titles), [ActionEvent.id],
                action=lambda e: titles[e.action_id],
            ), key=lambda row: row["action"]),
            "kpis": rows(
                KpiValue, KpiValue.organization_id == client_id, [KpiValue.period, KpiValue.kpi]
            ),
        }  # fmt: skip


def _row(row, named: dict) -> dict:
    values = {
        column.key: getattr(row, column.key)
        for column in row.__table__.columns
        if column.key not in NOT_COMPARED
    }
    return values | named
