"""Engines, sessions, transactions and schema upgrades for SQLite and PostgreSQL.

SQLite is made safe for several writers: WAL journal, a busy timeout, foreign
keys on, and every transaction opened with BEGIN IMMEDIATE so that a second
writer waits for the first instead of failing with "database is locked".

A fault of the storage (read-only or full disk, a connection killed by the
server) leaves these functions as `StorageUnavailable`; `run_in_transaction`
and `run_reading` first try once more where that is safe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn, TypeVar

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.store.faults import StorageUnavailable, is_connection_lost, is_storage_fault

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Long enough to wait out any write the app makes, short enough to report a stuck database.
SQLITE_BUSY_TIMEOUT_MS = 15_000
POSTGRESQL_DRIVER = "postgresql+psycopg"
READ_ONLY_OPTION = "cxm_read_only"
SINGLE_READ_OPTION = "cxm_single_read"
SUPPORTED_BACKENDS = ("sqlite", "postgresql")
# A second attempt only: a fault that outlasts it is reported to the user.
ATTEMPTS = 2

T = TypeVar("T")


def normalize_url(url: str) -> URL:
    """The URL with PostgreSQL pointed at psycopg 3 (`postgres://` and `postgresql://` too).

    Raises `sqlalchemy.exc.ArgumentError` for text that is not a database URL.
    """
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername=POSTGRESQL_DRIVER)
    return parsed


def display_url(url: str) -> str:
    """The URL for messages: the password, if any, replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url)


def make_engine(url: str) -> Engine:
    """An engine for `url`; connections are opened lazily, on first use.

    Raises `sqlalchemy.exc.ArgumentError` for a URL that is not SQLite or PostgreSQL.
    """
    parsed = normalize_url(url)
    if parsed.get_backend_name() not in SUPPORTED_BACKENDS:
        raise ArgumentError(f"cxmaturity runs on SQLite and PostgreSQL, not {parsed.drivername}")
    if parsed.get_backend_name() == "sqlite":
        in_memory = parsed.database in (None, "", ":memory:")
        if not in_memory:
            # A fresh checkout needs no set-up: the file's folder is made here.
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        _prepare_sqlite(engine, in_memory=in_memory)
        return engine
    # pre-ping: a connection dropped by a database restart is replaced, not reported.
    return create_engine(parsed, pool_pre_ping=True)


def _prepare_sqlite(engine: Engine, *, in_memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def configure_connection(dbapi_connection, _connection_record) -> None:
        # Hand transaction control to SQLAlchemy (the "begin" listener below);
        # the driver's own implicit BEGIN would be DEFERRED.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not in_memory:
            # WAL: readers never block the writer and the writer never blocks readers.
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin_immediately(connection) -> None:
        # Take the write lock at BEGIN: a DEFERRED transaction that reads and
        # then writes can fail at once with "database is locked" when another
        # writer got in between, because SQLite cannot wait for it. Sessions
        # opened by `reading()` never write, and in WAL mode need no lock.
        options = connection.get_execution_options()
        if options.get(SINGLE_READ_OPTION):
            return  # one statement reads a consistent state by itself
        if options.get(READ_ONLY_OPTION):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    # Objects stay readable after commit (e.g. while a template renders them).
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def reading(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session for reads only: on SQLite it does not queue behind writers.

    Raises StorageUnavailable for a fault of the storage.
    """
    with _faults_reported(), sessions() as session:
        session.connection(execution_options={READ_ONLY_OPTION: True})
        yield session


@contextmanager
def transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session in a transaction: committed if the block ends normally, else rolled back.

    Raises StorageUnavailable for a fault of the storage; nothing is committed then.
    """
    with _faults_reported(), sessions() as session, session.begin():
        yield session


def run_reading(sessions: sessionmaker[Session], read: Callable[[Session], T]) -> T:
    """`read(session)` in a read-only session; tried once more if the connection broke.

    Raises StorageUnavailable when the storage still fails.
    """

    def once() -> T:
        with sessions() as session:
            session.connection(execution_options={READ_ONLY_OPTION: True})
            return read(session)

    return _retried_if_connection_lost(once)


def run_single_read(sessions: sessionmaker[Session], read: Callable[[Connection], T]) -> T:
    """`read(connection)` for a read of one statement, on a connection of the sessions'
    engine: no session, and on SQLite no transaction around it (one statement reads a
    consistent state by itself). Half the cost of `run_reading`, for the read that every
    page behind a respondent's link starts with. Tried once more if the connection broke;
    raises StorageUnavailable when the storage still fails.
    """
    engine = sessions.kw["bind"]

    def once() -> T:
        with engine.connect() as connection:
            return read(connection.execution_options(**{SINGLE_READ_OPTION: True}))

    return _retried_if_connection_lost(once)


def _retried_if_connection_lost(read: Callable[[], T]) -> T:
    """`read()`, once more if the connection broke (a read changes nothing, so it may)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return read()
        except SQLAlchemyError as error:
            if attempt < ATTEMPTS and is_connection_lost(error):
                continue
            _raise_fault(error)
    raise AssertionError("unreachable")


def run_in_transaction(sessions: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    """`work(session)` in a transaction, committed if it returns, rolled back if it raises.

    When the connection broke before the commit was sent, the server has
    rolled the transaction back, so `work` runs once more on a new connection
    (it must change nothing outside the database). A failure of the commit
    itself is never retried: the commit may have happened. Raises
    StorageUnavailable when the storage still fails.
    """
    for attempt in range(1, ATTEMPTS + 1):
        committing = False
        try:
            with sessions() as session, session.begin():
                result = work(session)
                # Written out before the commit, so a connection lost while
                # writing is retried and only the commit itself is not.
                session.flush()
                committing = True
            return result
        except SQLAlchemyError as error:
            if attempt < ATTEMPTS and not committing and is_connection_lost(error):
                continue
            _raise_fault(error)
    raise AssertionError("unreachable")


@contextmanager
def _faults_reported() -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as error:
        _raise_fault(error)


def _raise_fault(error: SQLAlchemyError) -> NoReturn:
    """Raise StorageUnavailable for a fault of the storage, else `error` itself."""
    if is_storage_fault(error):
        raise StorageUnavailable(_describe(error)) from error
    raise error


def _describe(error: SQLAlchemyError) -> str:
    original = error.orig if isinstance(error, DBAPIError) else error
    first_line = (str(original).strip().splitlines() or [""])[0]
    return f"{type(original).__name__}: {first_line}"


def alembic_config(url: str) -> Config:
    """Alembic's configuration, built in code so that it works from any directory."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Passed as an attribute, not an option: the ini parser would read a
    # '%' in a password as interpolation.
    config.attributes["database_url"] = url
    return config


def upgrade_database(url: str, revision: str = "head") -> None:
    """Apply the migrations up to `revision`; safe to run on an up-to-date database."""
    command.upgrade(alembic_config(url), revision)


def downgrade_database(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def current_revision(url: str) -> str | None:
    """The migration the database is at; None for an empty database."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def head_revision() -> str | None:
    """The newest migration shipped with this code."""
    return ScriptDirectory.from_config(alembic_config("")).get_current_head()
