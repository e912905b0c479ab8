"""Workspace API tokens (DESIGN §9): create, list, revoke, and the actor a token stands for.

A token's secret is shown once and only its SHA-256 is stored. A token acts
as its creator with the creator's *current* grants in its workspace alone,
capped at a viewer's for the `read` scope: a viewer's token never writes, and
a creator who left the workspace leaves a token that no longer works.
"""

from __future__ import annotations

import contextlib
import datetime
import secrets
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor, Decision, Permission
from cxmaturity.domain.statuses import AuditAction, TokenScope, WorkspaceRole
from cxmaturity.domain.text import TextRefused, clean_text
from cxmaturity.services import audit
from cxmaturity.services.access import actor_in, workspace_for
from cxmaturity.services.accounts import UnknownUser
from cxmaturity.services.errors import InvalidInput, NotVisible, StorageUnavailable
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import ApiToken, hash_token, utc_now
from cxmaturity.store.queries import accounts as account_queries
from cxmaturity.store.queries import api_tokens as queries

PREFIX = "cxm_"
"""Marks a secret as ours, so that secret scanners and people recognise a leaked one."""
NAME_MAX_LENGTH = 100
OBJECT_TYPE = "api_token"
# Writing the last use on every request would make each read a write; a minute is enough.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    id: int
    secret: str
    """Shown once; never stored."""


@dataclass(frozen=True)
class TokenLine:
    id: int
    name: str
    scope: TokenScope
    creator_email: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None


@dataclass(frozen=True)
class TokensPage:
    workspace_slug: str
    workspace_name: str
    tokens: list[TokenLine]


@dataclass(frozen=True)
class TokenActor:
    """What one API request may do: the creator's grants as far as the token allows."""

    token_id: int
    workspace_slug: str
    scope: TokenScope
    actor: Actor


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def tokens_page(sessions: sessionmaker[Session], actor: Actor | None, slug: str) -> TokensPage:
    """The workspace's tokens, for its owners; NotVisible or Forbidden for anyone else."""

    def read(session: Session) -> TokensPage:
        workspace = workspace_for(session, actor, slug, Permission.MANAGE_TOKENS)
        lines = [
            TokenLine(
                id=token.id,
                name=token.name,
                scope=TokenScope(token.scope),
                creator_email=token.creator.email,
                created_at=token.created_at,
                last_used_at=token.last_used_at,
                revoked_at=token.revoked_at,
            )
            for token in queries.tokens_of(session, workspace.id)
        ]
        return TokensPage(workspace.slug, workspace.name, lines)

    return run_reading(sessions, read)


def create_token(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, name: object, scope: object
) -> NewToken:
    """An owner makes a token of their own in the workspace."""

    def create(session: Session) -> NewToken:
        workspace = workspace_for(session, actor, slug, Permission.MANAGE_TOKENS)
        assert actor is not None
        return _add(session, actor, workspace.id, actor.user_id, name, scope)

    return run_in_transaction(sessions, create)


def create_token_as_operator(
    sessions: sessionmaker[Session], slug: str, email: str, scope: object, name: object
) -> NewToken:
    """The operator (CLI) makes a token for a member of the workspace.

    Raises NotVisible for an unknown workspace or a user who is not a member there,
    UnknownUser for an unknown address, InvalidInput for a bad name or scope.
    """

    def create(session: Session) -> NewToken:
        workspace = account_queries.workspace_by_slug(session, slug)
        if workspace is None:
            raise NotVisible
        user = account_queries.user_by_email(session, email.strip().lower())
        if user is None:
            raise UnknownUser(email)
        creator = actor_in(session, user.id)
        if creator is None or creator.role_in(workspace.id) is None:
            raise NotVisible
        return _add(session, None, workspace.id, user.id, name, scope)

    return run_in_transaction(sessions, create)


def revoke_token(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, token_id: int
) -> None:
    """An owner ends a token of the workspace; revoking it again changes nothing."""

    def revoke(session: Session) -> None:
        workspace = workspace_for(session, actor, slug, Permission.MANAGE_TOKENS)
        token = queries.token_in(session, workspace.id, token_id)
        if token is None:
            raise NotVisible
        _revoke(session, actor, token)

    run_in_transaction(sessions, revoke)


def revoke_token_as_operator(sessions: sessionmaker[Session], token_id: int) -> None:
    """The operator (CLI) ends token `token_id`; NotVisible if there is none."""

    def revoke(session: Session) -> None:
        token = queries.token_by_id(session, token_id)
        if token is None:
            raise NotVisible
        _revoke(session, None, token)

    run_in_transaction(sessions, revoke)


def token_actor(sessions: sessionmaker[Session], secret: str) -> TokenActor | None:
    """The actor of a request that presents `secret`; None for an unknown, revoked or
    orphaned token (its creator deactivated or no longer a member of its workspace)."""

    def load(session: Session) -> tuple[TokenActor, datetime.datetime | None] | None:
        token = queries.token_by_hash(session, hash_token(secret))
        if token is None or token.revoked_at is not None:
            return None
        creator = actor_in(session, token.creator_user_id)
        grant = creator.workspaces.get(token.workspace_id) if creator is not None else None
        if creator is None or grant is None:
            return None
        scope = TokenScope(token.scope)
        if scope is TokenScope.READ:
            grant = replace(grant, role=WorkspaceRole.VIEWER)
        actor = Actor(creator.user_id, creator.email, workspaces={token.workspace_id: grant})
        found = TokenActor(token.id, token.workspace.slug, scope, actor)
        return found, token.last_used_at

    loaded = run_reading(sessions, load)
    if loaded is None:
        return None
    found, last_used_at = loaded
    now = utc_now()
    if last_used_at is None or now - last_used_at >= LAST_USED_PRECISION:
        # A read-only database still serves reads; the last use is a hint only.
        with contextlib.suppress(StorageUnavailable):
            run_in_transaction(
                sessions, lambda session: queries.mark_used(session, found.token_id, now)
            )
    return found


def _add(
    session: Session,
    actor: Actor | None,
    workspace_id: int,
    creator_user_id: int,
    name: object,
    scope: object,
) -> NewToken:
    checked_name = _checked_name(name)
    if not isinstance(scope, str) or scope not in tuple(TokenScope):
        raise InvalidInput("scope", "must be read or write")
    secret = new_secret()
    token = ApiToken(
        workspace_id=workspace_id,
        creator_user_id=creator_user_id,
        name=checked_name,
        scope=scope,
        token_hash=hash_token(secret),
    )
    session.add(token)
    session.flush()
    detail = f"{checked_name} ({scope})"
    audit.record(
        session,
        actor,
        AuditAction.TOKEN_CREATED,
        OBJECT_TYPE,
        token.id,
        detail,
        workspace_id=workspace_id,
    )
    return NewToken(token.id, secret)


def _revoke(session: Session, actor: Actor | None, token: ApiToken) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = utc_now()
    audit.record(
        session,
        actor,
        AuditAction.TOKEN_REVOKED,
        OBJECT_TYPE,
        token.id,
        token.name,
        workspace_id=token.workspace_id,
    )


def _checked_name(name: object) -> str:
    if name is None or (isinstance(name, str) and not name.strip()):
        return "API token"
    if not isinstance(name, str):
        raise InvalidInput("name", "must be text")
    try:
        return clean_text(name, max_length=NAME_MAX_LENGTH)
    except TextRefused as refused:
        raise InvalidInput("name", str(refused)) from None


def owned_slugs(sessions: sessionmaker[Session], actor: Actor | None) -> frozenset[str]:
    """The slugs of the workspaces where `actor` may manage tokens (for the navigation)."""
    if actor is None:
        return frozenset()
    ids = [
        workspace_id
        for workspace_id in actor.workspaces
        if actor.decide(Permission.MANAGE_TOKENS, workspace_id) is Decision.ALLOWED
    ]
    if not ids:
        return frozenset()
    return run_reading(sessions, lambda session: frozenset(queries.slugs_of(session, ids)))
