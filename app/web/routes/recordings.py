"""The chat's kept recordings (for users who opted in): upload after the turn, play back on
the transcript, delete one message's."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Path, UploadFile
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.http.deps import RuntimeDep
from app.http.recording_schemas import RecordingPublic
from app.http.speech import recording_of, recording_public, recording_response
from app.services import recordings
from app.services.recordings import MAX_PARTS
from app.web.session import BrowserUser, CsrfForm, CsrfHeader

router = APIRouter(include_in_schema=False)
Seq = Annotated[int, Path(ge=1, le=100_000)]
Part = Annotated[int, Path(ge=1, le=MAX_PARTS)]


@router.put("/interviews/{interview_id}/messages/{seq}/recordings/{part}", status_code=201)
async def keep(
    interview_id: uuid.UUID,
    seq: Seq,
    part: Part,
    runtime: RuntimeDep,
    user: BrowserUser,
    _csrf: CsrfHeader,
    audio: Annotated[UploadFile, File()],
    duration_seconds: Annotated[float | None, Form(gt=0, le=7200)] = None,
) -> RecordingPublic:
    """Keep a take of an answer just stored, sent by the chat when the user opted in."""
    kept = await recordings.keep(
        runtime=runtime,
        owner=user,
        interview_id=interview_id,
        seq=seq,
        part=part,
        recording=await recording_of(audio, duration_seconds, None),
    )
    return recording_public("", interview_id, kept)


@router.get("/interviews/{interview_id}/messages/{seq}/recordings/{part}")
async def play(
    interview_id: uuid.UUID, seq: Seq, part: Part, runtime: RuntimeDep, user: BrowserUser
) -> Response:
    """A kept take, for the transcript's audio player."""
    kept = await recordings.audio(
        runtime=runtime, owner=user, interview_id=interview_id, seq=seq, part=part
    )
    return recording_response(kept)


@router.post("/interviews/{interview_id}/messages/{seq}/recordings/delete")
async def delete(
    interview_id: uuid.UUID, seq: Seq, runtime: RuntimeDep, user: BrowserUser, _csrf: CsrfForm
) -> Response:
    """Delete a message's recording, then show the transcript where it was."""
    await recordings.delete_of_message(
        runtime=runtime, owner=user, interview_id=interview_id, seq=seq
    )
    return RedirectResponse(f"/interviews/{interview_id}#m-{seq}", status_code=303)
