"""Speech results as HTTP: options and transcripts as JSON, spoken sentences as audio."""

from __future__ import annotations

from typing import Any

from fastapi import UploadFile
from starlette.responses import Response

from app.http.speech_schemas import SpeechOptionsPublic, TranscriptPublic
from app.services.speech import Recording, SpeechOptions, Spoken, Transcribed


def options_public(options: SpeechOptions) -> SpeechOptionsPublic:
    """The server's speech options as the API shows them."""
    return SpeechOptionsPublic(
        transcription=options.transcription,
        speech=options.speech,
        voice=options.voice,
        max_seconds=options.max_seconds,
        max_bytes=options.max_bytes,
        max_chars=options.max_chars,
    )


def transcript_public(done: Transcribed) -> TranscriptPublic:
    """A transcript to edit, with the speech record to send back with the answer."""
    return TranscriptPublic(
        text=done.transcript.text,
        model=done.transcript.model,
        timing=done.speech.timing,
        duration_seconds=done.speech.duration_seconds,
        words=done.speech.words,
        speech=done.speech,
    )


async def recording_of(
    audio: UploadFile, duration_seconds: float | None, language: str | None
) -> Recording:
    """The uploaded recording (its size is bounded by the request's body limit)."""
    return Recording(data=await audio.read(), declared_seconds=duration_seconds, language=language)


def audio_response(spoken: Spoken) -> Response:
    """A spoken sentence, not cached (it belongs to one user's interview)."""
    return Response(
        spoken.audio, media_type=spoken.media_type, headers={"Cache-Control": "no-store"}
    )


AUDIO_DOC: dict[int | str, dict[str, Any]] = {
    200: {"content": {"audio/mpeg": {}}, "description": "the sentence spoken (MP3)"}
}
