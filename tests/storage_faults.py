"""Storage faults made on purpose, for the tests: a read-only database, a full disk, a table
that cannot be read."""

from __future__ import annotations

import re
import sqlite3

import psycopg
from sqlalchemy import Engine, event


def make_read_only(engine: Engine) -> None:
    """Every new connection may read but not write, as on a read-only disk or standby."""
    make_read_only_with(engine, _read_only_listener(engine))


class read_only_while:  # lower case: read as a `with` block, like contextlib's
    """`make_read_only` for the length of a `with` block: writable again after it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.listener = _read_only_listener(engine)

    def __enter__(self) -> None:
        make_read_only_with(self.engine, self.listener)

    def __exit__(self, *_exc) -> None:
        event.remove(self.engine, "connect", self.listener)
        self.engine.dispose()


def make_read_only_with(engine: Engine, listener) -> None:
    engine.dispose()
    event.listen(engine, "connect", listener)


def _read_only_listener(engine: Engine):
    def read_only(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET default_transaction_read_only = on")
            dbapi_connection.commit()
        cursor.close()

    return read_only


def fill_the_disk(engine: Engine) -> None:
    """Writing answers fails as on a full disk.

    SQLite may not grow by a single page (SQLITE_FULL); PostgreSQL's server
    raises its own disk-full error (SQLSTATE 53100) for every new answer.
    """
    engine.dispose()
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.exec_driver_sql(DISK_FULL_TRIGGER)
        return

    @event.listens_for(engine, "connect")
    def full(dbapi_connection, _record):
        # The limit cannot go below the file's size, so 1 means "as it is now".
        dbapi_connection.execute("PRAGMA max_page_count = 1")


DISK_FULL_TRIGGER = """
CREATE FUNCTION disk_is_full() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full';
END $$;
CREATE TRIGGER disk_is_full BEFORE INSERT ON answers FOR EACH ROW EXECUTE FUNCTION disk_is_full();
"""


def fail_reading(engine: Engine, table: str) -> None:
    """Every query that reads `table` fails as on a disk that cannot be read just then:
    SQLite's SQLITE_IOERR, PostgreSQL's "insufficient resources" (SQLSTATE 53000).
    Other tables read and write as before, so what the app records about the fault
    can be seen."""
    mentions = re.compile(rf"\b{re.escape(table)}\b")

    @event.listens_for(engine, "do_execute")
    def fail(cursor, statement, parameters, context):
        if statement.lstrip().upper().startswith("SELECT") and mentions.search(statement):
            raise _read_error(engine)


def _read_error(engine: Engine) -> Exception:
    if engine.dialect.name == "postgresql":
        return psycopg.errors.InsufficientResources("could not read block: I/O error")
    error = sqlite3.OperationalError("disk I/O error")
    error.sqlite_errorcode = 10  # SQLITE_IOERR
    return error
