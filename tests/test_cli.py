"""The `onsite` command: migrate, and serve's start-up checks."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from app import cli
from tests.fake_llm import FakeLLM

runner = CliRunner()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ONSITE_LLM", "ONSITE_MODEL"):
        monkeypatch.delenv(name, raising=False)
    # serve passes what it probed to its workers in these: set here so they are undone after
    monkeypatch.setenv("ONSITE_LLM_STRUCTURED_OUTPUT", "auto")
    monkeypatch.setenv("ONSITE_LLM_REJECTED_PARAMS", "[]")
    monkeypatch.setattr(cli.uvicorn, "run", _no_server)


def _no_server(*args: object, **kwargs: object) -> None:
    print(f"uvicorn.run called with workers={kwargs.get('workers')}")


def test_migrate_upgrades_a_new_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "fresh.db"
    monkeypatch.setenv("ONSITE_DATABASE_URL", f"sqlite:///{path}")
    result = runner.invoke(cli.cli, ["migrate"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output
    engine = sa.create_engine(f"sqlite:///{path}")
    assert "interview" in sa.inspect(engine).get_table_names()
    engine.dispose()


def test_serve_offline_migrates_and_starts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONSITE_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    result = runner.invoke(cli.cli, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "offline interviewer" in result.output
    assert "http://127.0.0.1:8123" in result.output
    assert f"uvicorn.run called with workers={os.cpu_count() or 1}" in result.output
    assert "code execution" in result.output
    assert (tmp_path / "x.db").exists()
    two = runner.invoke(cli.cli, ["serve", "--workers", "2"])
    assert "uvicorn.run called with workers=2" in two.output
    postgres = "postgresql://postgres@127.0.0.1:5432/test"
    assert cli.default_workers(postgres) == (os.cpu_count() or 1)
    assert cli.default_workers("sqlite://") == 1  # in memory: nothing to share


def test_serve_refuses_openai_without_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONSITE_LLM", "openai")
    result = runner.invoke(cli.cli, ["serve"])
    assert result.exit_code == 1
    assert "OPENAI_API_KEY is not set" in result.output
    assert "uvicorn.run called" not in result.output


def test_serve_refuses_an_unreachable_server(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("ONSITE_LLM", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    result = runner.invoke(cli.cli, ["serve"])
    assert result.exit_code == 1
    assert "unreachable" in result.output


def test_serve_refuses_an_unknown_model(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeLLM() as fake:
        monkeypatch.setenv("ONSITE_LLM", "openai")
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("ONSITE_MODEL", "no-such-model")
        result = runner.invoke(cli.cli, ["serve"])
    assert result.exit_code == 1
    assert "'no-such-model' is not served" in result.output


def test_serve_checks_a_working_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeLLM() as fake:
        monkeypatch.setenv("ONSITE_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
        monkeypatch.setenv("ONSITE_LLM", "openai")
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("ONSITE_MODEL", "fake-model")
        result = runner.invoke(cli.cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert "LLM: fake-model at" in result.output
    assert "structured output: json_schema; sampling accepted: temperature, max_tokens, seed" in (
        result.output
    )


def test_production_refuses_the_development_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONSITE_ENV", "production")
    result = runner.invoke(cli.cli, ["serve"])
    assert result.exit_code == 1
    assert "ONSITE_SECRET_KEY" in result.output
