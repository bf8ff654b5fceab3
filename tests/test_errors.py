"""Every error is JSON: a body over the limit, a database that needs `onsite migrate`, a crash."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
import pytest
import sqlalchemy as sa
from alembic import command
from typer.testing import CliRunner

from app import cli
from app.config import PROJECT_ROOT
from app.store.db import sync_url
from app.store.migrate import alembic_config
from tests.conftest import POSTGRES_URL, _with_schema, app_client, make_settings, sign_up

API = "/api/v1"
NEEDS_MIGRATION = {"detail": "the database needs `onsite migrate`", "code": "needs_migration"}


@pytest.fixture(params=["sqlite", "postgresql"])
def unmigrated_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database nobody migrated: a new SQLite file, or a new, empty PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    request.getfixturevalue("postgres_schema")  # skips (or fails in CI) without PostgreSQL
    with fresh_schema() as url:
        yield url


@pytest.fixture
def unmigrated_postgres_url(postgres_schema: str) -> Iterator[str]:
    """A new, empty PostgreSQL schema."""
    with fresh_schema() as url:
        yield url


@contextmanager
def fresh_schema() -> Iterator[str]:
    schema = f"onsite_fresh_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(sync_url(POSTGRES_URL))
    with admin.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield _with_schema(POSTGRES_URL, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def assert_needs_migration(response: httpx2.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert {k: body[k] for k in NEEDS_MIGRATION} == NEEDS_MIGRATION


async def test_an_unmigrated_database_says_it_needs_onsite_migrate(unmigrated_url: str) -> None:
    async with app_client(make_settings(unmigrated_url)) as api:
        assert_needs_migration(await api.get("/healthz"))
        assert_needs_migration(
            await api.post(
                f"{API}/users", json={"username": "early", "password": "correct horse battery"}
            )
        )
        assert_needs_migration(
            await api.post(f"{API}/auth/token", data={"username": "early", "password": "x"})
        )
    command.upgrade(alembic_config(unmigrated_url, root=PROJECT_ROOT), "0002")  # one behind
    async with app_client(make_settings(unmigrated_url)) as api:
        assert_needs_migration(await api.get("/healthz"))
    command.upgrade(alembic_config(unmigrated_url, root=PROJECT_ROOT), "head")
    async with app_client(make_settings(unmigrated_url)) as api:
        assert (await api.get("/healthz")).json()["status"] == "ok"
        await sign_up(api)


def test_serve_says_when_the_database_needs_onsite_migrate(
    unmigrated_postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    unmigrated_url = unmigrated_postgres_url  # (serve migrates SQLite itself)
    monkeypatch.setattr(cli.uvicorn, "run", lambda *args, **kwargs: None)
    monkeypatch.setenv("ONSITE_DATABASE_URL", unmigrated_url)
    monkeypatch.setenv("ONSITE_CODE_RUNNER", "off")
    result = CliRunner().invoke(cli.cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert "the database needs `onsite migrate`" in result.output
    command.upgrade(alembic_config(unmigrated_url, root=PROJECT_ROOT), "head")
    result = CliRunner().invoke(cli.cli, ["serve"])
    assert "onsite migrate" not in result.output


async def chunks(size: int) -> AsyncIterator[bytes]:
    for _ in range(size // 1000):
        yield b"x" * 1000


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
async def test_a_body_over_the_limit_is_a_json_413(database_url: str, declared: bool) -> None:
    async with app_client(make_settings(database_url, max_body_bytes=4096)) as api:
        auth = await sign_up(api)
        paths = (f"{API}/users", f"{API}/interviews/{uuid.uuid4()}/messages", f"{API}/auth/token")
        for path in paths:
            body = b"x" * 5000 if declared else chunks(5000)
            kind = "x-www-form-urlencoded" if path.endswith("/token") else "json"
            response = await api.post(
                path, content=body, headers={**auth, "content-type": f"application/{kind}"}
            )
            assert response.status_code == 413, (path, response.text)
            assert response.json() == {
                "detail": "the request body is larger than the limit of 4096 bytes",
                "code": "too_large",
                "retryable": False,
            }
        small = await api.post(f"{API}/interviews", json={"round": "coding"}, headers=auth)
        assert small.status_code == 201


async def test_an_unexpected_failure_is_a_json_500(settings, monkeypatch) -> None:
    from app.api.routes import rounds

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(rounds, "RoundPublic", broken)
    app = app_client(settings).app
    transport = httpx2.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx2.AsyncClient(transport=transport, base_url="http://onsite.test") as api:
        response = await api.get(f"{API}/rounds")
    await app.state.runtime.engine.dispose()
    assert response.status_code == 500
    assert response.json()["code"] == "internal"
