"""The speech servers are checked at start-up as the chat model is: each configured server
answers and lists its model. A failure is logged, shown in /healthz and by `onsite serve`, and
never stops the service. The servers are the fake speech server on loopback (up, down, without
the model, without a model list)."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app import cli
from tests.conftest import SQLITE_ONLY, app_client
from tests.fake_speech import FakeSpeech
from tests.speech_helpers import speech_settings

runner = CliRunner()


@pytest.fixture
def fake_speech() -> Iterator[FakeSpeech]:
    with FakeSpeech() as fake:
        yield fake


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


async def health(settings) -> dict:
    async with app_client(settings) as api:
        response = await api.get("/healthz")
    assert response.status_code == 200, response.text  # speech never makes the service unready
    assert response.json()["status"] == "ok"
    return response.json()["speech"]


@SQLITE_ONLY  # nothing here depends on the database
async def test_configured_servers_that_answer_and_serve_their_models_are_available(
    database_url: str, fake_speech: FakeSpeech
) -> None:
    speech = await health(speech_settings(database_url, fake_speech))
    assert speech["transcription"] == {
        "model": "fake-whisper",
        "server": fake_speech.base_url,
        "available": True,
        "model_listed": True,
        "reason": None,
    }
    assert speech["speech"]["available"] is True and speech["speech"]["model"] == "fake-tts"


@SQLITE_ONLY  # nothing here depends on the database
async def test_a_server_that_is_down_is_reported_with_the_reason(
    database_url: str, fake_speech: FakeSpeech
) -> None:
    settings = speech_settings(database_url, fake_speech, stt_base_url=closed_port_url())
    speech = await health(settings)
    transcription = speech["transcription"]
    assert transcription["available"] is False
    assert transcription["reason"] == "the transcription server is unreachable"
    assert speech["speech"]["available"] is True  # the other server is checked on its own


@SQLITE_ONLY  # nothing here depends on the database
async def test_a_server_without_the_model_names_the_models_it_serves(
    database_url: str, fake_speech: FakeSpeech
) -> None:
    fake_speech.models = ["whisper-large-v3", "fake-tts"]
    speech = await health(speech_settings(database_url, fake_speech))
    transcription = speech["transcription"]
    assert transcription["available"] is False
    assert transcription["reason"] == (
        "the transcription server does not serve the model 'fake-whisper'; it serves: "
        "whisper-large-v3, fake-tts"
    )


@SQLITE_ONLY  # nothing here depends on the database
async def test_a_server_without_a_model_list_is_available_when_it_answers(
    database_url: str, fake_speech: FakeSpeech
) -> None:
    fake_speech.models = None  # whisper.cpp's server has no /models
    speech = await health(speech_settings(database_url, fake_speech))
    assert speech["transcription"]["available"] is True
    assert speech["transcription"]["model_listed"] is False


@SQLITE_ONLY  # nothing here depends on the database
async def test_the_check_runs_at_start_up_and_logs_a_failure_without_holding_start_up(
    database_url: str, fake_speech: FakeSpeech, caplog: pytest.LogCaptureFixture
) -> None:
    fake_speech.models = ["fake-tts"]
    client = app_client(speech_settings(database_url, fake_speech))
    app = client.app
    with caplog.at_level(logging.INFO, logger="app.services.speech_checks"):
        async with client, app.router.lifespan_context(app):
            checks = app.state.runtime.speech_checks
            assert checks._task is not None  # started, not awaited by start-up
            await checks._task
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors == [
        "transcription: NOT usable: the transcription server does not serve the model "
        f"'fake-whisper'; it serves: fake-tts (ONSITE_STT_MODEL=fake-whisper, server "
        f"{fake_speech.base_url}); recorded answers fail until it is fixed; answers can "
        "still be typed"
    ]
    infos = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert infos == [
        f"speech: fake-tts at {fake_speech.base_url} (the server answers and serves the model)"
    ]


@SQLITE_ONLY  # nothing here depends on the database
async def test_healthz_follows_a_server_that_goes_down(
    database_url: str, fake_speech: FakeSpeech
) -> None:
    async with app_client(speech_settings(database_url, fake_speech)) as api:
        checks = api.runtime.speech_checks
        first = (await api.get("/healthz")).json()["speech"]
        assert first["transcription"]["available"] is True
        checks.refresh_seconds = 0.0
        fake_speech.models = ["fake-tts"]
        await api.get("/healthz")  # answers from the last check and starts a new one
        await checks._task
        later = (await api.get("/healthz")).json()["speech"]
        assert later["transcription"]["available"] is False
        await asyncio.gather(checks._task)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ONSITE_LLM", "ONSITE_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(cli.uvicorn, "run", lambda *a, **k: print("uvicorn.run called"))
    monkeypatch.setenv("ONSITE_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    return monkeypatch


def test_serve_says_which_speech_servers_answer(
    clean_env: pytest.MonkeyPatch, fake_speech: FakeSpeech
) -> None:
    clean_env.setenv("ONSITE_STT_MODEL", "fake-whisper")
    clean_env.setenv("ONSITE_STT_BASE_URL", fake_speech.base_url)
    clean_env.setenv("ONSITE_TTS_MODEL", "fake-tts")
    clean_env.setenv("ONSITE_TTS_BASE_URL", fake_speech.base_url)
    result = runner.invoke(cli.cli, ["serve"])
    assert result.exit_code == 0, result.output
    where = fake_speech.base_url
    assert f"transcription: fake-whisper at {where} (the server answers and serves" in result.output
    assert f"speech: fake-tts at {where} (the server answers and serves" in result.output
    assert "uvicorn.run called" in result.output


def test_serve_reports_a_speech_server_that_is_down_and_starts_all_the_same(
    clean_env: pytest.MonkeyPatch,
) -> None:
    clean_env.setenv("ONSITE_STT_MODEL", "whisper-1")
    clean_env.setenv("ONSITE_STT_BASE_URL", closed_port_url())
    result = runner.invoke(cli.cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert "onsite: transcription: NOT usable: the transcription server is unreachable" in (
        result.output
    )
    assert "ONSITE_STT_MODEL=whisper-1" in result.output
    assert "speech:" not in result.output  # no speech server configured: nothing to check
    assert "uvicorn.run called" in result.output
