"""One engine and session factory per application."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.store.database import make_engine, session_factory


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions: sessionmaker[Session] = session_factory(self.engine)

    @classmethod
    def init_app(cls, app: Flask) -> None:
        ensure_sqlite_folder(app.config["DATABASE_URL"])
        app.extensions["cxm_database"] = cls(app.config["DATABASE_URL"])


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder of a SQLite file, so a fresh checkout needs no set-up."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def sessions() -> sessionmaker[Session]:
    """The session factory of the current application."""
    return current_app.extensions["cxm_database"].sessions
