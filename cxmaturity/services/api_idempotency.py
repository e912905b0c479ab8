"""Stored answers of POSTs sent with an `Idempotency-Key` (DESIGN §9), kept 24 hours.

A key is reserved before the request runs, so that two requests with the same
key at once cannot both act; the answer is stored when it is known. The same
key with another request (method, path or body) is refused.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from enum import Enum

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.store.database import run_in_transaction
from cxmaturity.store.models import IdempotentResponse, utc_now
from cxmaturity.store.queries import api_tokens as queries

KEPT_FOR = datetime.timedelta(hours=24)
KEY_MAX_LENGTH = 200
IN_PROGRESS = 0
"""The status of a reserved key whose request has not answered yet."""


class Outcome(Enum):
    RESERVED = "reserved"
    """The key is new: run the request, then `store` its answer."""
    REPLAY = "replay"
    CONFLICT = "conflict"
    """The key was used for another request."""
    IN_PROGRESS = "in_progress"
    """The first request with this key has not answered yet."""


@dataclass(frozen=True)
class Reservation:
    outcome: Outcome
    status: int = 0
    body: str = ""


def request_hash(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256(f"{method} {path}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def reserve(
    sessions: sessionmaker[Session], token_id: int, key: str, fingerprint: str
) -> Reservation:
    """Reserve `key` for this request, or say what was answered to it before."""
    now = utc_now()

    def look(session: Session) -> Reservation:
        queries.forget_responses_before(session, now - KEPT_FOR)
        stored = queries.stored_response(session, token_id, key)
        if stored is None:
            session.add(
                IdempotentResponse(
                    token_id=token_id,
                    key=key,
                    request_hash=fingerprint,
                    status=IN_PROGRESS,
                    body="",
                    created_at=now,
                )
            )
            return Reservation(Outcome.RESERVED)
        if stored.request_hash != fingerprint:
            return Reservation(Outcome.CONFLICT)
        if stored.status == IN_PROGRESS:
            return Reservation(Outcome.IN_PROGRESS)
        return Reservation(Outcome.REPLAY, stored.status, stored.body)

    try:
        return run_in_transaction(sessions, look)
    except IntegrityError:
        # Reserved by a request of the same key a moment ago.
        return Reservation(Outcome.IN_PROGRESS)


def store(sessions: sessionmaker[Session], token_id: int, key: str, status: int, body: str) -> None:
    """Keep the answer to the reserved key, for replays."""

    def keep(session: Session) -> None:
        stored = queries.stored_response(session, token_id, key)
        if stored is not None:
            stored.status, stored.body = status, body

    run_in_transaction(sessions, keep)


def release(sessions: sessionmaker[Session], token_id: int, key: str) -> None:
    """Forget the reserved key: its request failed in a way a retry may fix (a fault)."""

    def forget(session: Session) -> None:
        stored = queries.stored_response(session, token_id, key)
        if stored is not None:
            session.delete(stored)

    run_in_transaction(sessions, forget)
