"""Configuration, read from `CXM_*` environment variables with safe defaults.

This is the only module that reads the environment.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PROJECT_ROOT / "templates"
STATIC_DIR = PROJECT_ROOT / "static"
DEFAULT_QUESTIONNAIRES_DIR = PROJECT_ROOT / "questionnaires"
DEFAULT_INSTANCE_DIR = PROJECT_ROOT / "instance"
DEFAULT_QUESTIONNAIRE_ID = "cx-maturity"
DATABASE_FILE_NAME = "cxmaturity.sqlite3"


@dataclass(frozen=True)
class Settings:
    questionnaires_dir: Path
    instance_path: Path
    database_url: str | None
    secret_key: str | None
    https: bool
    """Set CXM_HTTPS=1 behind an HTTPS proxy: cookies become Secure."""
    questionnaire_id: str
    base_url: str | None = None
    """CXM_BASE_URL: every link the app sends or shows for later use starts with it (DESIGN §8)."""
    smtp_url: str | None = None
    """CXM_SMTP_URL: smtp://user:password@host:587 (STARTTLS), smtps://…:465, or smtp://host:25."""
    mail_from: str | None = None
    """CXM_MAIL_FROM: the sender address; the workspace's name is its display name."""
    imprint_url: str | None = None
    privacy_url: str | None = None
    api_rate_limit: str | None = None
    """CXM_API_RATE_LIMIT: requests per API token, e.g. "600 per minute" (the default) or
    "100 per minute; 2000 per hour"."""
    redis_url: str | None = None
    """CXM_REDIS_URL: redis://host:6379/0 — the job queue, the shared report cache and the
    API's rate limits. Without it, jobs run in the app's own background process."""
    proxy_hops: int = 0
    """CXM_PROXY_HOPS: how many reverse proxies stand before the app. Their X-Forwarded-For,
    -Proto, -Host and -Port are believed for that many hops (DESIGN §8), no more: with 0
    (the default) a client could otherwise claim any address or scheme."""

    @classmethod
    def from_environment(cls) -> Settings:
        environ = os.environ
        return cls(
            questionnaires_dir=Path(
                environ.get("CXM_QUESTIONNAIRES_DIR") or DEFAULT_QUESTIONNAIRES_DIR
            ),
            instance_path=Path(environ.get("CXM_INSTANCE_PATH") or DEFAULT_INSTANCE_DIR),
            database_url=environ.get("CXM_DATABASE_URL") or None,
            secret_key=environ.get("CXM_SECRET_KEY") or None,
            https=environ.get("CXM_HTTPS", "").lower() in {"1", "true", "yes"},
            questionnaire_id=environ.get("CXM_QUESTIONNAIRE") or DEFAULT_QUESTIONNAIRE_ID,
            base_url=(environ.get("CXM_BASE_URL") or "").rstrip("/") or None,
            smtp_url=environ.get("CXM_SMTP_URL") or None,
            mail_from=environ.get("CXM_MAIL_FROM") or None,
            imprint_url=environ.get("CXM_IMPRINT_URL") or None,
            privacy_url=environ.get("CXM_PRIVACY_URL") or None,
            redis_url=environ.get("CXM_REDIS_URL") or None,
            api_rate_limit=environ.get("CXM_API_RATE_LIMIT") or None,
            proxy_hops=hop_count(environ.get("CXM_PROXY_HOPS") or "0"),
        )

    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url(self.instance_path)


class InvalidSetting(ValueError):
    """A CXM_* variable holds a value the app cannot use: it does not start."""


def hop_count(value: str) -> int:
    if not value.strip().isdigit() or int(value) > 10:
        raise InvalidSetting(
            f"CXM_PROXY_HOPS must be the number of reverse proxies before the app "
            f"(0 to 10), not {value!r}"
        )
    return int(value)


def default_database_url(instance_path: Path) -> str:
    """The SQLite file in the instance folder: the zero set-up default."""
    return f"sqlite:///{instance_path / DATABASE_FILE_NAME}"


class MissingSecretKey(RuntimeError):
    """The app refuses to start: a server database, and no shared CXM_SECRET_KEY."""


def fallback_secret_key(database_url: str, instance_path: Path) -> str:
    """The key to use when CXM_SECRET_KEY is not set.

    A SQLite file lives on one machine, so the key kept beside it in the instance
    folder is shared by every worker there. A server database (PostgreSQL) may be
    shared by several hosts, each with its own instance folder: their keys would
    differ, and every other request would find the session and the CSRF token
    signed by a stranger, logging people out. The app refuses to start instead.
    """
    if database_url.startswith("sqlite"):
        return instance_secret_key(instance_path)
    raise MissingSecretKey(
        "CXM_SECRET_KEY is not set, and the database is not a SQLite file. Hosts that "
        "share a database must sign sessions and forms with the same key, or people are "
        "logged out on every other request. Set CXM_SECRET_KEY to the same random value on "
        "every host, e.g. the output of: python3 -c 'import secrets; print(secrets.token_hex(32))'"
    )


def instance_secret_key(instance_path: Path) -> str:
    """The secret key kept in the instance folder, generated on first use."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        draft = instance_path / f".secret_key.{os.getpid()}"
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        # link() fails if the key exists: of two workers starting at once,
        # the first one's complete key wins and the other reads it.
        with contextlib.suppress(FileExistsError):
            os.link(draft, key_file)
        draft.unlink()
    return key_file.read_text().strip()
