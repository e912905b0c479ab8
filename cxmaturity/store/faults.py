"""Which database errors are faults of the storage (answer 503 "try again"), not bugs.

A read-only or full disk, a database that is restarting and a connection
killed by the server are conditions an operator fixes or that pass by
themselves; a constraint violation or a missing table is a bug and stays one.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

# SQLite primary result codes of a storage fault (https://sqlite.org/rescode.html).
SQLITE_FAULT_CODES = {
    5: "SQLITE_BUSY",  # another writer held the lock past the busy timeout
    6: "SQLITE_LOCKED",
    7: "SQLITE_NOMEM",
    8: "SQLITE_READONLY",
    10: "SQLITE_IOERR",
    13: "SQLITE_FULL",
    14: "SQLITE_CANTOPEN",
}
# PostgreSQL SQLSTATE classes and codes of a fault: connection exception,
# insufficient resources (disk full, out of memory, too many connections),
# operator intervention (shutdown, pg_terminate_backend), read-only transaction,
# and the two a retry by the user resolves (serialization failure, deadlock).
POSTGRESQL_FAULT_CLASSES = ("08", "53", "57P")
POSTGRESQL_FAULT_CODES = ("25006", "40001", "40P01")


class StorageUnavailable(Exception):
    """The database cannot store or read just now; nothing of this request was saved.

    The caller may try again later. `__cause__` holds the database's own error.
    """


def is_storage_fault(error: BaseException) -> bool:
    """Whether `error` (raised by SQLAlchemy) is a fault of the storage, not of the code."""
    if isinstance(error, PoolTimeout):
        return True
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    original = error.orig
    if isinstance(original, sqlite3.Error):
        code = getattr(original, "sqlite_errorcode", None)
        # Extended codes (SQLITE_IOERR_WRITE, …) keep the primary code in the low byte.
        return code is not None and code & 0xFF in SQLITE_FAULT_CODES
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate is None:
        # psycopg reports a connection that broke without a server message so.
        return type(original).__name__ == "OperationalError"
    return sqlstate.startswith(POSTGRESQL_FAULT_CLASSES) or sqlstate in POSTGRESQL_FAULT_CODES


def is_connection_lost(error: BaseException) -> bool:
    """Whether the connection broke, so that the server rolled back what it had not committed."""
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    sqlstate = getattr(error.orig, "sqlstate", None) or ""
    return sqlstate.startswith(("08", "57P"))
