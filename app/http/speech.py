"""Speech results as HTTP: options and transcripts as JSON, spoken sentences and kept
recordings as audio."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import UploadFile
from starlette.responses import Response

from app.http.recording_schemas import RecordingPublic
from app.http.speech_schemas import SpeechOptionsPublic, TranscriptPublic
from app.services.recordings import KeptRecording, RecordingAudio
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


def recording_url(prefix: str, interview_id: uuid.UUID, seq: int, part: int) -> str:
    """Where a kept take is played back from: prefix "/api/v1" for the API, "" for pages."""
    return f"{prefix}/interviews/{interview_id}/messages/{seq}/recordings/{part}"


def recording_public(prefix: str, interview_id: uuid.UUID, kept: KeptRecording) -> RecordingPublic:
    """A kept take as the API shows it, with where to play it back."""
    return RecordingPublic(
        seq=kept.seq,
        part=kept.part,
        media_type=kept.media_type,
        size=kept.size,
        duration_seconds=kept.duration_seconds,
        created_at=kept.created_at,
        url=recording_url(prefix, interview_id, kept.seq, kept.part),
    )


def recording_response(kept: RecordingAudio) -> Response:
    """A kept recording's bytes, for its owner alone: never cached on the way."""
    return Response(
        kept.data,
        media_type=kept.media_type,
        headers={"Cache-Control": "private, no-store", "Content-Disposition": "inline"},
    )


AUDIO_DOC: dict[int | str, dict[str, Any]] = {
    200: {"content": {"audio/mpeg": {}}, "description": "the sentence spoken (MP3)"}
}
