"""The JSON shapes of the speech API: options, transcripts, sentences to speak."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.http.schemas import TEXT
from app.speech.models import SpeechRecord, TimedWord, Timing


class SpeechOptionsPublic(BaseModel):
    """What this server offers for speaking and listening, and its limits."""

    transcription: bool = Field(
        description="POST …/transcriptions works (ONSITE_STT_MODEL is set); otherwise use the "
        "browser's own speech recognition or type"
    )
    speech: bool = Field(
        description="POST …/speech works (ONSITE_TTS_MODEL is set); otherwise the browser's "
        "own speech synthesis speaks"
    )
    voice: str
    max_seconds: float = Field(description="the longest recording taken")
    max_bytes: int = Field(description="the largest recording taken")
    max_chars: int = Field(description="the longest text spoken in one request")


class TranscriptPublic(BaseModel):
    """A recorded answer as text: edit `text`, then send it with `speech` as your message."""

    text: str
    model: str | None
    timing: Timing = Field(
        description="word: each word timed by the server; segment: words spread over timed "
        "segments; none: text only (speaking feedback then has no pauses)"
    )
    duration_seconds: float
    words: list[TimedWord]
    speech: SpeechRecord = Field(
        description="send this back unchanged as the message's `speech` (POST …/messages)"
    )


class SpeakCreate(BaseModel):
    """A sentence for the interviewer's voice to speak."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        max_length=4096,
        pattern=TEXT,
        description="one sentence or a few; at most ONSITE_TTS_MAX_CHARS characters (1,000)",
    )
