"""Recordings of spoken answers, kept for users who opted in: store, list, play back, delete."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, UploadFile
from starlette.responses import Response

from app.api.deps import CurrentUser
from app.http.deps import RuntimeDep
from app.http.recording_schemas import RecordingPublic
from app.http.schemas import ErrorPublic
from app.http.speech import recording_of, recording_public, recording_response
from app.services import recordings
from app.services.recordings import MAX_PARTS

router = APIRouter(prefix="/api/v1", tags=["speech"])
API = "/api/v1"
Seq = Annotated[int, Path(ge=1, le=100_000, description="the message's number")]
Part = Annotated[
    int, Path(ge=1, le=MAX_PARTS, description="the take, from 1 (an answer spoken in takes)")
]
UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorPublic, "description": "you have not opted in to keeping recordings"},
    404: {"model": ErrorPublic},
    409: {"model": ErrorPublic, "description": "the message was not a spoken answer"},
    413: {"model": ErrorPublic, "description": "the recording is over ONSITE_STT_MAX_BYTES"},
    415: {"model": ErrorPublic, "description": "not WebM, Ogg, WAV, MP3, MP4/M4A or FLAC"},
    422: {"model": ErrorPublic},
}
PLAYED: dict[int | str, dict[str, Any]] = {
    200: {"content": {"audio/webm": {}, "audio/ogg": {}, "audio/wav": {}}, "description": "it"},
    404: {"model": ErrorPublic, "description": "no such recording, or not yours"},
}


@router.put(
    "/interviews/{interview_id}/messages/{seq}/recordings/{part}",
    status_code=201,
    response_model=RecordingPublic,
    responses=UPLOAD_ERRORS,
)
async def keep(
    interview_id: uuid.UUID,
    seq: Seq,
    part: Part,
    runtime: RuntimeDep,
    user: CurrentUser,
    audio: Annotated[UploadFile, File(description="the recorded answer, as transcribed")],
    duration_seconds: Annotated[float | None, Form(gt=0, le=7200)] = None,
) -> RecordingPublic:
    """Keep the recording of a spoken answer with its message (again: replace it), when you
    opted in (PATCH /api/v1/users/me/settings); otherwise 403 and nothing is stored."""
    kept = await recordings.keep(
        runtime=runtime,
        owner=user,
        interview_id=interview_id,
        seq=seq,
        part=part,
        recording=await recording_of(audio, duration_seconds, None),
    )
    return recording_public(API, interview_id, kept)


@router.get(
    "/interviews/{interview_id}/recordings",
    response_model=list[RecordingPublic],
    responses={404: {"model": ErrorPublic}},
)
async def listed(
    interview_id: uuid.UUID, runtime: RuntimeDep, user: CurrentUser
) -> list[RecordingPublic]:
    """The recordings kept of an interview's spoken answers, in order."""
    kept = await recordings.listed(runtime=runtime, owner=user, interview_id=interview_id)
    return [recording_public(API, interview_id, each) for each in kept]


@router.get(
    "/interviews/{interview_id}/messages/{seq}/recordings/{part}",
    response_class=Response,
    responses=PLAYED,
)
async def play(
    interview_id: uuid.UUID, seq: Seq, part: Part, runtime: RuntimeDep, user: CurrentUser
) -> Response:
    """One kept take, as recorded, with its media type."""
    kept = await recordings.audio(
        runtime=runtime, owner=user, interview_id=interview_id, seq=seq, part=part
    )
    return recording_response(kept)


@router.delete(
    "/interviews/{interview_id}/messages/{seq}/recordings",
    status_code=204,
    responses={404: {"model": ErrorPublic}},
)
async def delete(
    interview_id: uuid.UUID, seq: Seq, runtime: RuntimeDep, user: CurrentUser
) -> Response:
    """Delete a message's recording (every take); the message and its words stay."""
    await recordings.delete_of_message(
        runtime=runtime, owner=user, interview_id=interview_id, seq=seq
    )
    return Response(status_code=204)


@router.delete("/users/me/recordings", status_code=204)
async def delete_all(runtime: RuntimeDep, user: CurrentUser) -> Response:
    """Delete every recording you keep (the setting itself is unchanged)."""
    await recordings.delete_all(runtime=runtime, owner=user)
    return Response(status_code=204)
