"""API tokens and stored idempotent answers; every token read is scoped by its workspace or hash."""

from __future__ import annotations

import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, joinedload

from cxmaturity.store.models import ApiToken, IdempotentResponse, Workspace


def tokens_of(session: Session, workspace_id: int) -> list[ApiToken]:
    """The workspace's tokens with their creators, newest first."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.workspace_id == workspace_id)
            .options(joinedload(ApiToken.creator))
            .order_by(ApiToken.id.desc())
        )
    )


def token_in(session: Session, workspace_id: int, token_id: int) -> ApiToken | None:
    return session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.workspace_id == workspace_id)
    )


def token_by_id(session: Session, token_id: int) -> ApiToken | None:
    return session.get(ApiToken, token_id)


def token_by_hash(session: Session, token_hash: str) -> ApiToken | None:
    return session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))


def stored_response(session: Session, token_id: int, key: str) -> IdempotentResponse | None:
    return session.scalar(
        select(IdempotentResponse).where(
            IdempotentResponse.token_id == token_id, IdempotentResponse.key == key
        )
    )


def forget_responses_before(session: Session, moment: datetime.datetime) -> None:
    session.execute(delete(IdempotentResponse).where(IdempotentResponse.created_at < moment))


def mark_used(session: Session, token_id: int, moment: datetime.datetime) -> None:
    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=moment))


def slugs_of(session: Session, workspace_ids: list[int]) -> list[str]:
    return list(session.scalars(select(Workspace.slug).where(Workspace.id.in_(workspace_ids))))
