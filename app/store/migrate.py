"""Run the alembic migrations in migrations/ against a database URL."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from app.store.db import sync_url


def alembic_config(database_url: str, *, root: Path) -> Config:
    """An alembic configuration without an ini file: the script folder and the URL."""
    config = Config()
    config.set_main_option("script_location", str(root / "migrations"))
    url = sync_url(database_url).render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(database_url: str, *, root: Path) -> None:
    """Upgrade the database to the newest migration."""
    command.upgrade(alembic_config(database_url, root=root), "head")
