"""Alembic's entry point: runs the migrations against the URL `database.alembic_config` passes."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from cxmaturity.store.database import make_engine
from cxmaturity.store.models import Base

# Any constant works; it only has to be the same for every process migrating.
POSTGRESQL_MIGRATION_LOCK = 7_365_021_001


def database_url() -> str:
    url = context.config.attributes.get("database_url") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise RuntimeError("no database URL: use cxmaturity.store.database.upgrade_database")
    return url


def configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite alters a table by copying it; batch mode does that for us.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations(connection: Connection) -> None:
    is_sqlite = connection.dialect.name == "sqlite"
    if is_sqlite:
        # A batch migration drops and recreates tables; with foreign keys on,
        # dropping a table would cascade-delete the rows pointing at it. The
        # pragma only takes effect outside a transaction, hence the raw driver.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
    with connection.begin():
        if connection.dialect.name == "postgresql":
            # Two processes upgrading at once (two app workers starting) take turns.
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRESQL_MIGRATION_LOCK}
            )
        configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        if is_sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")


def main() -> None:
    if context.is_offline_mode():
        context.configure(url=database_url(), target_metadata=Base.metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    # The engine's connections hold the pragma changes above; disposing drops them.
    engine = make_engine(database_url())
    try:
        with engine.connect() as connection:
            run_migrations(connection)
    finally:
        engine.dispose()


main()
