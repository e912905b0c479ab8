"""The participation page's data: who was invited, how far each has come, and the totals.

Three queries whatever the number of respondents: the workspace, the
assessment with its client, the respondents with their answer counts. In the
`anonymous` mode (DESIGN §8) only the totals leave this module.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain import invitations as rules
from cxmaturity.domain.access import Actor, Decision, Permission
from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.statuses import Anonymity, Delivery
from cxmaturity.exports.tabular import safe_text
from cxmaturity.services.invitations import NewLink, scope
from cxmaturity.store.database import run_reading
from cxmaturity.store.queries import invitations as queries


@dataclass(frozen=True)
class RespondentLine:
    id: int
    name: str | None
    email: str | None
    group: str | None
    language: str
    stage: rules.Stage
    answered: int
    delivery: str | None
    bounced: bool
    opted_out: bool
    revoked: bool
    expired: bool
    expires_at: datetime.datetime | None
    latest_expiry: datetime.datetime
    reminders: int
    resendable: bool


@dataclass(frozen=True)
class Participation:
    workspace_slug: str
    workspace_name: str
    assessment_id: int
    organization: str
    period: str
    status: str
    anonymity: str
    total_questions: int
    lines: list[RespondentLine]
    """Empty in the anonymous mode: counts only."""
    counts: dict[str, int]
    """invited, opened, in_progress, submitted, bounced, opted_out, revoked, expired, all."""
    may_manage: bool
    mail_configured: bool

    @property
    def names_shown(self) -> bool:
        return self.anonymity != Anonymity.ANONYMOUS


def participation(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    assessment_id: int,
    now: datetime.datetime,
    mail_configured: bool = False,
) -> Participation:
    """The participation of the assessment; raises NotVisible outside the actor's clients."""

    def read(session: Session) -> Participation:
        found = scope(session, actor, slug, assessment_id, Permission.VIEW_WORKSPACE)
        rows = queries.participation(session, found.assessment.id)
        assessment = found.assessment
        questionnaire = catalogue.get(assessment.questionnaire_id, assessment.questionnaire_version)
        lines = [_line(row, now) for row in rows]
        counts: Counter[str] = Counter(all=len(lines))
        for line in lines:
            counts[line.stage.value] += 1
            for flag in ("bounced", "opted_out", "revoked", "expired"):
                counts[flag] += getattr(line, flag)
        assert actor is not None
        may_manage = (
            actor.decide(Permission.MANAGE_ASSESSMENTS, found.workspace.id, found.organization.id)
            is Decision.ALLOWED
        )
        shown = assessment.anonymity != Anonymity.ANONYMOUS
        return Participation(
            workspace_slug=found.workspace.slug,
            workspace_name=found.workspace.name,
            assessment_id=assessment.id,
            organization=found.organization.name,
            period=assessment.period,
            status=assessment.status,
            anonymity=assessment.anonymity,
            total_questions=len(questionnaire.questions),
            lines=lines if shown else [],
            counts=dict(counts),
            may_manage=may_manage,
            mail_configured=mail_configured,
        )

    return run_reading(sessions, read)


def _line(row: queries.ParticipationRow, now: datetime.datetime) -> RespondentLine:
    return RespondentLine(
        id=row.id,
        name=row.name,
        email=row.email,
        group=row.group,
        language=row.language,
        stage=rules.stage(row.submitted, row.answered, row.last_opened_at),
        answered=row.answered,
        delivery=row.delivery,
        bounced=row.delivery == Delivery.BOUNCED,
        opted_out=row.opted_out_at is not None,
        revoked=row.revoked_at is not None,
        expired=row.expires_at is not None and now >= row.expires_at,
        expires_at=row.expires_at,
        latest_expiry=rules.latest_expiry(row.invited_at),
        reminders=row.reminder_count,
        resendable=row.resendable,
    )


def safe_cell(value: str | None) -> str:
    """Formula-safe text for a spreadsheet, the exports' rule (DESIGN §9)."""
    return safe_text(value or "")


def links_csv(links: list[NewLink], header: list[str]) -> bytes:
    """The "copy links" CSV: UTF-8 with BOM, RFC 4180 (CRLF, quotes doubled), formula-safe."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for link in links:
        writer.writerow([safe_cell(link.name), safe_cell(link.email), safe_cell(link.url)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
