"""Recordings and settings for speech tests."""

from __future__ import annotations

import io
import wave
from typing import Any

from app.config import Settings
from tests.conftest import make_settings
from tests.fake_speech import FakeSpeech


def wav_bytes(seconds: float = 1.0, rate: int = 8000) -> bytes:
    """A silent mono 8-bit WAV recording of `seconds`."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(1)
        wav.setframerate(rate)
        wav.writeframes(b"\x80" * int(seconds * rate))
    return buffer.getvalue()


def speech_settings(database_url: str, fake: FakeSpeech, **overrides: Any) -> Settings:
    """Offline interviewer; transcription and speech on the fake speech server."""
    values: dict[str, Any] = {
        "stt_model": "fake-whisper",
        "stt_base_url": fake.base_url,
        "tts_model": "fake-tts",
        "tts_base_url": fake.base_url,
        "llm_max_retries": 0,
        "stt_timeout_seconds": 5,
    }
    return make_settings(database_url, **(values | overrides))
