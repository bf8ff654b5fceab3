"""Migrations and models agree, on SQLite and PostgreSQL, and upgrading twice is harmless."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from app.config import PROJECT_ROOT
from app.store import models  # noqa: F401  (the tables)
from app.store.db import sync_url
from app.store.migrate import upgrade


def test_models_and_migrations_do_not_drift(database_url: str) -> None:
    upgrade(database_url, root=PROJECT_ROOT)  # already at head: a no-op
    engine = sa.create_engine(sync_url(database_url))
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert differences == []


def test_migrations_create_every_table(database_url: str) -> None:
    engine = sa.create_engine(sync_url(database_url))
    tables = set(sa.inspect(engine).get_table_names())
    engine.dispose()
    assert set(SQLModel.metadata.tables) <= tables
    assert "alembic_version" in tables
