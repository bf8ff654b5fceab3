"""The chat's microphone and the interviewer's voice: options, transcription, speech."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from starlette.responses import Response

from app.http.deps import RuntimeDep
from app.http.speech import audio_response, options_public, recording_of, transcript_public
from app.http.speech_schemas import SpeakCreate, SpeechOptionsPublic, TranscriptPublic
from app.services import speech
from app.web.session import BrowserUser, CsrfHeader

router = APIRouter(include_in_schema=False)


@router.get("/speech/options")
async def speech_options(runtime: RuntimeDep, user: BrowserUser) -> SpeechOptionsPublic:
    """Whether the server transcribes and speaks (else the browser's own do), and limits."""
    return options_public(speech.options(runtime=runtime))


@router.post("/interviews/{interview_id}/transcriptions")
async def transcribe(
    interview_id: uuid.UUID,
    runtime: RuntimeDep,
    user: BrowserUser,
    _csrf: CsrfHeader,
    audio: Annotated[UploadFile, File()],
    duration_seconds: Annotated[float | None, Form(gt=0, le=7200)] = None,
) -> TranscriptPublic:
    """Transcribe the recorded answer into the composer; the browser keeps the recording
    until the answer is sent, so a failure here loses nothing."""
    done = await speech.transcribe(
        runtime=runtime,
        owner=user,
        interview_id=interview_id,
        recording=await recording_of(audio, duration_seconds, None),
    )
    return transcript_public(done)


@router.post("/interviews/{interview_id}/speech")
async def speak(
    interview_id: uuid.UUID,
    body: SpeakCreate,
    runtime: RuntimeDep,
    user: BrowserUser,
    _csrf: CsrfHeader,
) -> Response:
    """One sentence of the interviewer's reply, spoken by the configured server."""
    spoken = await speech.speak(
        runtime=runtime, owner=user, interview_id=interview_id, text=body.text
    )
    return audio_response(spoken)
