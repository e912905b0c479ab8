"""Whether this host can serve: the answer behind `/healthz` for a load balancer."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.store.database import run_reading
from cxmaturity.store.faults import StorageUnavailable


def database_answers(sessions: sessionmaker[Session]) -> bool:
    """True when the database answers a query now; never raises.

    Any error counts as "no": a health check is asked to say whether to send visitors
    here, not to tell a fault of the storage from a bug.
    """
    try:
        run_reading(sessions, lambda session: session.execute(text("SELECT 1")).scalar_one())
    except (StorageUnavailable, SQLAlchemyError):
        return False
    return True
