"""Speech: transcribe a recorded answer to edit and send, speak the interviewer's sentences."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from starlette.responses import Response

from app.api.deps import CurrentUser
from app.http.deps import RuntimeDep
from app.http.schemas import ErrorPublic
from app.http.speech import (
    AUDIO_DOC,
    audio_response,
    options_public,
    recording_of,
    transcript_public,
)
from app.http.speech_schemas import SpeakCreate, SpeechOptionsPublic, TranscriptPublic
from app.services import speaking, speech
from app.speech.metrics import SpeakingFeedback

router = APIRouter(prefix="/api/v1", tags=["speech"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorPublic},
    409: {"model": ErrorPublic},
    413: {"model": ErrorPublic, "description": "the recording is over ONSITE_STT_MAX_BYTES"},
    415: {"model": ErrorPublic, "description": "not WebM, Ogg, WAV, MP3, MP4/M4A or FLAC"},
    422: {"model": ErrorPublic},
    429: {"model": ErrorPublic},
    501: {"model": ErrorPublic, "description": "no server configured for this; says what to set"},
    502: {"model": ErrorPublic},
    503: {"model": ErrorPublic},
}
Seconds = Annotated[
    float | None,
    Form(gt=0, le=7200, description="the recording's length as the client measured it"),
]
Language = Annotated[
    str | None, Form(pattern=r"^[a-z]{2,3}$", description="ISO-639-1 code, e.g. en")
]


@router.get("/speech", response_model=SpeechOptionsPublic)
async def speech_options(runtime: RuntimeDep, user: CurrentUser) -> SpeechOptionsPublic:
    """Whether this server transcribes and speaks, and the limits of a recording."""
    return options_public(speech.options(runtime=runtime))


@router.post(
    "/interviews/{interview_id}/transcriptions", response_model=TranscriptPublic, responses=ERRORS
)
async def transcribe(
    interview_id: uuid.UUID,
    runtime: RuntimeDep,
    user: CurrentUser,
    audio: Annotated[UploadFile, File(description="the recorded answer")],
    duration_seconds: Seconds = None,
    language: Language = None,
) -> TranscriptPublic:
    """Transcribe a recorded answer; nothing is stored. Edit the text, then POST it to
    …/messages as `content` with this reply's `speech`, which keeps how it was spoken."""
    done = await speech.transcribe(
        runtime=runtime,
        owner=user,
        interview_id=interview_id,
        recording=await recording_of(audio, duration_seconds, language),
    )
    return transcript_public(done)


@router.post(
    "/interviews/{interview_id}/speech",
    response_class=Response,
    responses={**ERRORS, **AUDIO_DOC},
)
async def speak(
    interview_id: uuid.UUID, body: SpeakCreate, runtime: RuntimeDep, user: CurrentUser
) -> Response:
    """One of the interviewer's sentences spoken by the configured speech server (MP3)."""
    spoken = await speech.speak(
        runtime=runtime, owner=user, interview_id=interview_id, text=body.text
    )
    return audio_response(spoken)


@router.get(
    "/interviews/{interview_id}/speaking",
    response_model=SpeakingFeedback,
    responses={404: {"model": ErrorPublic}},
)
async def speaking_feedback(
    interview_id: uuid.UUID, runtime: RuntimeDep, user: CurrentUser
) -> SpeakingFeedback:
    """How the voiced answers were spoken: pace, fillers, pauses, length against the round's
    norm, with a note on each figure far from it; measured on the words as heard."""
    return await speaking.feedback(runtime=runtime, owner=user, interview_id=interview_id)
