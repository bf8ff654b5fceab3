"""Code in coding rounds: the workspace, Run against the examples, Submit against every test."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header

from app.api.deps import CurrentUser
from app.http.deps import RuntimeDep
from app.http.present import message_public, run_public, workspace_public
from app.http.schemas import (
    CodeCreate,
    CodeRunPublic,
    CodeWorkspacePublic,
    ErrorPublic,
    SubmissionPublic,
)
from app.services import code, replies, turns
from app.services.interviews import state_of

router = APIRouter(prefix="/api/v1/interviews/{interview_id}/code", tags=["code"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorPublic},
    409: {"model": ErrorPublic},
    422: {"model": ErrorPublic},
    429: {"model": ErrorPublic},
    503: {"model": ErrorPublic, "description": "code execution is unavailable on this server"},
}


@router.get("", response_model=CodeWorkspacePublic, responses=ERRORS)
async def workspace(
    interview_id: uuid.UUID, runtime: RuntimeDep, user: CurrentUser
) -> CodeWorkspacePublic:
    """The current question's editor: signature, examples, the latest code, availability."""
    space = await code.workspace(runtime=runtime, owner=user, interview_id=interview_id)
    return workspace_public(space)


@router.post("/run", response_model=CodeRunPublic, responses=ERRORS)
async def run(
    interview_id: uuid.UUID, body: CodeCreate, runtime: RuntimeDep, user: CurrentUser
) -> CodeRunPublic:
    """Run code against the visible examples; the interviewer is not told."""
    stored = await code.run_examples(
        runtime=runtime, owner=user, interview_id=interview_id, code=body.code
    )
    return run_public(stored)


@router.post("/submit", status_code=201, response_model=SubmissionPublic, responses=ERRORS)
async def submit(
    interview_id: uuid.UUID,
    body: CodeCreate,
    runtime: RuntimeDep,
    user: CurrentUser,
    idempotency_key: Annotated[
        str | None,
        Header(max_length=200, description="repeat a request safely: the first result returns"),
    ] = None,
) -> SubmissionPublic:
    """Submit code: it is stored as your turn, run against every test, and answered."""
    pending = await turns.accept_submission(
        runtime=runtime,
        owner=user,
        interview_id=interview_id,
        code_text=body.code,
        idempotency_key=idempotency_key,
    )
    stored = await replies.complete_reply(runtime=runtime, pending=pending)
    submitted = await code.run_of_message(runtime=runtime, message_id=pending.candidate.id)
    return SubmissionPublic(
        run=run_public(submitted),
        candidate=message_public(pending.candidate, stored.interview),
        interviewer=message_public(stored.message, stored.interview),
        phase=state_of(stored.interview).phase,
        status=stored.interview.status,
    )


@router.get("/runs", response_model=list[CodeRunPublic], responses=ERRORS)
async def runs(
    interview_id: uuid.UUID, runtime: RuntimeDep, user: CurrentUser
) -> list[CodeRunPublic]:
    """The interview's runs and submissions, newest first (at most 50)."""
    rows = await code.list_runs(runtime=runtime, owner=user, interview_id=interview_id)
    return [run_public(r) for r in rows]
