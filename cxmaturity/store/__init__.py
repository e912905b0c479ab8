"""Storage: SQLAlchemy models and queries (no Flask), with Alembic migrations in migrations/."""
