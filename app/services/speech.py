"""Recorded answers transcribed and the interviewer's sentences spoken, on configured servers.

Nothing here is stored: a transcript goes back to the candidate, who edits and sends it as a
turn (with its word times, see `turns.accept_answer`); until then the browser keeps the
recording, so a failed transcription loses nothing and is sent again. A user who opted in to
keeping recordings then has the browser send it to the stored message (`recordings.keep`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from app.llm.audio import SpeechError
from app.services import limits
from app.services.errors import (
    Conflict,
    Invalid,
    SpeechNotConfigured,
    SpeechUnavailable,
    TooLarge,
    UnsupportedMedia,
)
from app.services.interviews import get_owned
from app.services.runtime import Runtime
from app.speech.audio import ACCEPTED, FORMATS, container, wav_seconds
from app.speech.models import SpeechRecord, TimedWord, Transcript
from app.store.models import InterviewStatus, User

# a server's measure of a recording may differ a little from the browser's
_DURATION_SLACK = 1.05


@dataclass(frozen=True)
class Recording:
    """A recorded answer as uploaded, with the duration the client measured, if it says."""

    data: bytes
    declared_seconds: float | None = None
    language: str | None = None


@dataclass(frozen=True)
class Transcribed:
    """A transcript, and the speech record to send back with the answer it becomes."""

    transcript: Transcript
    speech: SpeechRecord


@dataclass(frozen=True)
class Spoken:
    """A sentence spoken by the speech server."""

    audio: bytes
    media_type: str


@dataclass(frozen=True)
class SpeechOptions:
    """What this server offers: transcription and speech on a server, and the limits."""

    transcription: bool
    speech: bool
    voice: str
    max_seconds: float
    max_bytes: int
    max_chars: int


def options(*, runtime: Runtime) -> SpeechOptions:
    """Which speech servers are configured, and the limits of a recording and a sentence."""
    settings = runtime.settings
    return SpeechOptions(
        transcription=runtime.transcriber is not None,
        speech=runtime.synthesizer is not None,
        voice=settings.tts_voice,
        max_seconds=settings.stt_max_seconds,
        max_bytes=settings.stt_max_bytes,
        max_chars=settings.tts_max_chars,
    )


async def transcribe(
    *, runtime: Runtime, owner: User, interview_id: uuid.UUID, recording: Recording
) -> Transcribed:
    """Transcribe a recorded answer to the caller's active interview; nothing is stored."""
    settings = runtime.settings
    await _active(runtime=runtime, owner=owner, interview_id=interview_id)
    if runtime.transcriber is None or not settings.stt_model:
        raise SpeechNotConfigured(
            "no transcription server is configured here: set ONSITE_STT_MODEL (and "
            "ONSITE_STT_BASE_URL / ONSITE_STT_API_KEY unless the chat model's server "
            "transcribes too), or use the browser's own speech recognition"
        )
    kind = check_recording(
        recording, max_bytes=settings.stt_max_bytes, max_seconds=settings.stt_max_seconds
    )
    await _count(runtime=runtime, owner=owner)
    extension = FORMATS[kind][0]
    try:
        transcript = await runtime.transcriber.transcribe(
            audio=recording.data,
            filename=f"answer.{extension}",
            model=settings.stt_model,
            language=recording.language or settings.stt_language,
        )
    except SpeechError as error:
        raise SpeechUnavailable(
            f"{error}; the recording was not stored: send it again, or type your answer",
            retryable=error.retryable,
            retry_after=error.retry_after,
        ) from error
    duration = (
        transcript.duration_seconds or _measured(recording, kind) or recording.declared_seconds
    )
    if duration is not None and duration > settings.stt_max_seconds * _DURATION_SLACK:
        raise Invalid(_too_long(duration, settings.stt_max_seconds))
    if not transcript.text:
        raise Invalid("no speech was heard in the recording; record it again or type your answer")
    return Transcribed(transcript=transcript, speech=_record(transcript, duration))


def check_recording(recording: Recording, *, max_bytes: int, max_seconds: float) -> str:
    """The recording's container, after refusing one that is empty, too big, too long or not
    audio (before any server spends time on it)."""
    size = len(recording.data)
    if size == 0:
        raise Invalid("the recording is empty; record your answer again")
    if size > max_bytes:
        raise TooLarge(
            f"the recording is {size:,} bytes; the limit is {max_bytes:,}: answer in shorter parts"
        )
    kind = container(recording.data)
    if kind is None:
        raise UnsupportedMedia(f"the upload is not a recording this server reads ({ACCEPTED})")
    for seconds in (recording.declared_seconds, _measured(recording, kind)):
        if seconds is not None and seconds > max_seconds:
            raise Invalid(_too_long(seconds, max_seconds))
    return kind


async def speak(*, runtime: Runtime, owner: User, interview_id: uuid.UUID, text: str) -> Spoken:
    """One sentence of the interviewer's, spoken by the configured speech server."""
    settings = runtime.settings
    async with runtime.reading() as session:
        await get_owned(session=session, owner=owner, interview_id=interview_id)
    if runtime.synthesizer is None or not settings.tts_model:
        raise SpeechNotConfigured(
            "no speech server is configured here: set ONSITE_TTS_MODEL (and ONSITE_TTS_BASE_URL "
            "/ ONSITE_TTS_API_KEY unless the chat model's server speaks too); the browser's "
            "own voice speaks instead"
        )
    text = text.strip()
    if not text:
        raise Invalid("there is nothing to speak: the text is empty")
    if len(text) > settings.tts_max_chars:
        raise Invalid(
            f"the text has {len(text)} characters; the limit is {settings.tts_max_chars}: "
            "send one sentence at a time"
        )
    await _count(runtime=runtime, owner=owner)
    try:
        audio, media = await runtime.synthesizer.speak(
            text=text, model=settings.tts_model, voice=settings.tts_voice
        )
    except SpeechError as error:
        raise SpeechUnavailable(
            str(error), retryable=error.retryable, retry_after=error.retry_after
        ) from error
    return Spoken(audio=audio, media_type=media)


async def _active(*, runtime: Runtime, owner: User, interview_id: uuid.UUID) -> None:
    async with runtime.reading() as session:
        interview = await get_owned(session=session, owner=owner, interview_id=interview_id)
    if interview.status is not InterviewStatus.active:
        raise Conflict(f"the interview is {interview.status}; answers are no longer taken")


async def _count(*, runtime: Runtime, owner: User) -> None:
    limit = runtime.settings.max_speech_calls_per_minute
    await limits.count(
        runtime=runtime,
        key=f"speech:{owner.id}",
        limit=limit,
        window_seconds=60,
        message=f"more than {limit} transcriptions and spoken sentences a minute; wait a moment",
    )


def _measured(recording: Recording, kind: str) -> float | None:
    return wav_seconds(recording.data) if kind == "wav" else None


def _too_long(seconds: float, limit: float) -> str:
    return (
        f"the recording is {seconds:.0f} seconds long; the limit is {limit:g} seconds: "
        "answer in shorter parts"
    )


def _record(transcript: Transcript, duration: float | None) -> SpeechRecord:
    """The speech record of a transcript: its words, and a duration that covers them. Words
    the server did not time are spread evenly over the recording, so pace and fillers can
    still be measured (timing "none": no pauses are read from them)."""
    words = transcript.words
    if not words and duration:
        said = [w[:100] for w in transcript.text.split()]
        step = duration / max(len(said), 1)
        words = [TimedWord(word=w, start=i * step, end=(i + 1) * step) for i, w in enumerate(said)]
    last = max((w.end for w in words), default=0.0)
    return SpeechRecord(
        duration_seconds=max(duration or 0.0, last, 0.1),
        words=words,
        timing=transcript.timing,
        source="server",
    )
