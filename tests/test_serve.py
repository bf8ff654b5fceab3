"""`onsite serve` in production: no public signing key beyond loopback, workers per usable CPU."""

from __future__ import annotations

import asyncio
import stat
import uuid
from datetime import timedelta
from pathlib import Path

import jwt
import pytest
from typer.testing import CliRunner

from app import cli
from app.config import DEV_SECRET, Settings
from app.core.security import ALGORITHM
from app.store.types import utcnow
from tests.conftest import app_client, sign_up

runner = CliRunner()


@pytest.fixture(autouse=True)
def no_server(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """uvicorn.run records its arguments instead of serving; the environment is restored."""
    calls: list[dict] = []
    monkeypatch.setattr(cli.uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    for name in ("ONSITE_SECRET_KEY", "ONSITE_ENV", "ONSITE_LLM", "OPENAI_API_KEY"):
        monkeypatch.setenv(name, "")  # so that monkeypatch restores what serve sets
        monkeypatch.delenv(name)
    monkeypatch.setenv("ONSITE_CODE_RUNNER", "off")
    return calls


def serve(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli.cli, ["serve", *args])
    return result.exit_code, result.output


def test_beyond_loopback_postgresql_needs_a_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONSITE_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    code, output = serve("--host", "0.0.0.0")
    assert code == 1
    assert "public development signing key" in output and "ONSITE_SECRET_KEY" in output


def test_beyond_loopback_sqlite_generates_and_keeps_a_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_server: list[dict]
) -> None:
    monkeypatch.setenv("ONSITE_DATABASE_URL", f"sqlite:///{tmp_path / 'onsite.db'}")
    code, output = serve("--host", "0.0.0.0")
    assert code == 0, output
    kept = tmp_path / "secret_key"
    assert f"kept in {kept}" in output
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    key = kept.read_text().strip()
    assert len(key) >= 32 and key != DEV_SECRET
    assert Settings().secret_key.get_secret_value() == key  # what the workers read
    monkeypatch.delenv("ONSITE_SECRET_KEY")
    assert serve("--host", "0.0.0.0")[0] == 0
    assert Settings().secret_key.get_secret_value() == key, "a restart keeps the key"
    assert len(no_server) == 2


def test_a_token_signed_with_the_development_key_is_refused_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    (tmp_path / "served").mkdir()
    monkeypatch.setenv("ONSITE_DATABASE_URL", f"sqlite:///{tmp_path / 'served' / 'onsite.db'}")
    assert serve("--host", "0.0.0.0")[0] == 0  # (serve runs an event loop of its own)
    settings = Settings(database_url=database_url)  # the key from the environment serve set
    asyncio.run(forged_token_is_refused(settings))


async def forged_token_is_refused(settings: Settings) -> None:
    async with app_client(settings) as api:
        auth = await sign_up(api)
        user_id = (await api.get("/api/v1/users/me", headers=auth)).json()["id"]
        now = utcnow()
        claims = {"sub": user_id, "jti": uuid.uuid4().hex, "exp": now + timedelta(hours=1)}
        forged = jwt.encode(claims, DEV_SECRET, algorithm=ALGORITHM)
        refused = await api.get("/api/v1/users/me", headers={"Authorization": f"Bearer {forged}"})
        assert refused.status_code == 401


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_loopback_keeps_the_development_key(
    host: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONSITE_DATABASE_URL", f"sqlite:///{tmp_path / 'onsite.db'}")
    assert serve("--host", host)[0] == 0
    assert not (tmp_path / "secret_key").exists()


def test_a_key_that_is_set_is_used_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONSITE_DATABASE_URL", f"sqlite:///{tmp_path / 'onsite.db'}")
    monkeypatch.setenv("ONSITE_SECRET_KEY", "k" * 40)
    assert serve("--host", "0.0.0.0")[0] == 0
    assert not (tmp_path / "secret_key").exists()


def test_workers_default_to_the_cpus_the_process_may_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_server: list[dict]
) -> None:
    monkeypatch.setenv("ONSITE_DATABASE_URL", f"sqlite:///{tmp_path / 'onsite.db'}")
    monkeypatch.setattr(cli.os, "sched_getaffinity", lambda pid: {3, 5, 7})
    monkeypatch.setattr(cli.os, "cpu_count", lambda: 64)
    assert serve()[0] == 0
    assert no_server[0]["workers"] == 3
    assert no_server[0]["http"] == "app.server:SlowClientProtocol"
    assert no_server[0]["timeout_keep_alive"] == 5
    # a worker still importing the app on a busy machine is not killed as hung after 5 s
    assert no_server[0]["timeout_worker_healthcheck"] == cli.WORKER_START_SECONDS >= 30
