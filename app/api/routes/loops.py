"""Onsite loops: list them, start a run, take its rounds, read its hiring packet."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from fastapi import APIRouter, Response

from app.api.deps import CurrentUser
from app.http.deps import RuntimeDep
from app.http.loop_present import loop_public, packet_response, run_public
from app.http.loop_schemas import LoopPublic, PacketPublic, RunCreate, RunPublic
from app.http.params import RoundNumber
from app.http.present import interview_public
from app.http.schemas import ErrorPublic, InterviewPublic
from app.services import interviews, loops

router = APIRouter(prefix="/api/v1", tags=["loops"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorPublic},
    409: {"model": ErrorPublic},
    422: {"model": ErrorPublic},
}
PACKET_FORMATS: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "application/json": {},
            "text/markdown": {},
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        }
    }
}


@router.get("/loops", response_model=list[LoopPublic])
async def list_loops(runtime: RuntimeDep) -> list[LoopPublic]:
    """Every onsite loop: its rounds in order, durations, signals and levels."""
    return [loop_public(loop) for loop in runtime.content.loops.values()]


@router.get("/loops/{loop_id}", response_model=LoopPublic, responses=ERRORS)
async def read_loop(loop_id: str, runtime: RuntimeDep) -> LoopPublic:
    """One loop."""
    return loop_public(loops.loop_of(runtime=runtime, loop_id=loop_id))


@router.post("/loops/{loop_id}/runs", status_code=201, response_model=RunPublic, responses=ERRORS)
async def start_run(
    loop_id: str, body: RunCreate, runtime: RuntimeDep, user: CurrentUser
) -> RunPublic:
    """Start a run of the loop; take its rounds with POST /api/v1/runs/{id}/rounds/{number}."""
    run = await loops.start_run(
        runtime=runtime,
        owner=user,
        loop_id=loop_id,
        level=body.level,
        job_description=body.job_description,
        cv=body.cv,
    )
    return run_public(await loops.read_run(runtime=runtime, owner=user, run_id=run.id))


@router.get("/runs", response_model=list[RunPublic])
async def list_runs(runtime: RuntimeDep, user: CurrentUser) -> list[RunPublic]:
    """The caller's loop runs, newest first."""
    return [run_public(view) for view in await loops.list_runs(runtime=runtime, owner=user)]


@router.get("/runs/{run_id}", response_model=RunPublic, responses=ERRORS)
async def read_run(run_id: uuid.UUID, runtime: RuntimeDep, user: CurrentUser) -> RunPublic:
    """One run and where each of its rounds stands."""
    return run_public(await loops.read_run(runtime=runtime, owner=user, run_id=run_id))


@router.post(
    "/runs/{run_id}/rounds/{number}",
    status_code=201,
    response_model=InterviewPublic,
    responses={**ERRORS, 200: {"description": "the round was already started: its interview"}},
)
async def start_round(
    run_id: uuid.UUID,
    number: RoundNumber,
    runtime: RuntimeDep,
    user: CurrentUser,
    response: Response,
) -> InterviewPublic:
    """Start round `number` (1 for the first) as an interview, or return the one started."""
    interview, created = await loops.start_round(
        runtime=runtime, owner=user, run_id=run_id, position=number - 1
    )
    if not created:
        response.status_code = 200
    async with runtime.reading() as session:
        messages = await interviews.messages_of(session=session, interview_id=interview.id)
    return interview_public(runtime, interview, messages)


@router.get(
    "/runs/{run_id}/packet",
    response_model=PacketPublic,
    responses={**ERRORS, **PACKET_FORMATS},
)
async def packet(
    run_id: uuid.UUID,
    runtime: RuntimeDep,
    user: CurrentUser,
    format: Literal["json", "markdown", "pdf"] = "json",
) -> Response:
    """The hiring packet once every round is scored (409 before): JSON, Markdown or PDF."""
    view, built = await loops.packet(runtime=runtime, owner=user, run_id=run_id)
    return packet_response(view, built, format)


@router.delete("/runs/{run_id}", status_code=204, responses=ERRORS)
async def delete_run(run_id: uuid.UUID, runtime: RuntimeDep, user: CurrentUser) -> Response:
    """Delete the run (its rounds' interviews stay in your history)."""
    await loops.delete_run(runtime=runtime, owner=user, run_id=run_id)
    return Response(status_code=204)
