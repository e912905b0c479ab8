"""What the command groups share: failing with one line, JSON output, the database, the Services."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn

import click

from cxmaturity.config import MissingSecretKey, Settings

if TYPE_CHECKING:
    from cxmaturity.services.container import Services
    from cxmaturity.services.emails import Postage

BAD_INPUT = 2


def fail(message: str) -> NoReturn:
    """One line on stderr and exit code 2 (DESIGN §6)."""
    click.echo(f"error: {message}", err=True)
    sys.exit(BAD_INPUT)


def print_json(data: dict) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@contextmanager
def process_services(*, sends_mail: bool = False) -> Iterator[Services]:
    """The Services of this command's process, on the configured database; closed at the end.

    `sends_mail`: the command sends invitations or reminders (the worker, `reminders send`),
    so it needs the web app's link secret; without a shared CXM_SECRET_KEY on a server
    database it fails with the reason, as the app refuses to start."""
    from cxmaturity.services.container import Services

    settings = Settings.from_environment()
    url = database_url()
    with database_errors(url):
        services = Services.build(
            database_url=url,
            questionnaires_dir=settings.questionnaires_dir,
            report_cache_dir=settings.instance_path / "report-cache",
            smtp_url=settings.smtp_url,
            mail_from=settings.mail_from,
            base_url=settings.base_url,
            redis_url=settings.redis_url,
        )
        try:
            if sends_mail:
                services.job_context.postage = postage_for(services, settings, url)
        except MissingSecretKey as missing:
            services.close()
            fail(str(missing))
        try:
            yield services
        finally:
            services.close()


def postage_for(services: Services, settings: Settings, url: str) -> Postage:
    """What sending e-mail needs besides the Services: the link secret (CXM_SECRET_KEY, or
    the SQLite instance folder's key, as the app has it) and the footer links. Raises
    MissingSecretKey on a server database without CXM_SECRET_KEY."""
    from cxmaturity.config import fallback_secret_key
    from cxmaturity.services.emails import Postage

    # The web app's key: links are derived from it, so the same links are sent again.
    link_secret = settings.secret_key or fallback_secret_key(url, settings.instance_path)
    return Postage(
        sessions=services.sessions,
        mailer=services.mailer,
        base_url=services.base_url,
        link_secret=link_secret,
        now=services.now,
        imprint_url=settings.imprint_url,
        privacy_url=settings.privacy_url,
        jobs=services.jobs,
    )


def database_url() -> str:
    settings = Settings.from_environment()
    if settings.database_url is None:
        try:
            settings.instance_path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            fail(f"cannot create the instance folder {settings.instance_path}: {error.strerror}")
    return settings.resolved_database_url()


@contextmanager
def database_errors(url: str) -> Iterator[None]:
    from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError

    from cxmaturity.store.database import display_url

    try:
        yield
    except ArgumentError as error:
        fail(f"not a usable database URL: {display_url(url)} ({error})")
    except ImportError as error:
        fail(f"not a usable database URL: {display_url(url)} (no driver {error.name!r})")
    except (OperationalError, InterfaceError) as error:
        fail(f"cannot reach the database at {display_url(url)}: {first_line(error.orig)}")
    except DBAPIError as error:
        fail(f"the database at {display_url(url)} refused: {first_line(error.orig)}")


def first_line(error: BaseException | None) -> str:
    return (str(error).strip().splitlines() or [""])[0]
