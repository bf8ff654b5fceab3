"""The chat's code runner: the workspace and Run, as JSON for the page's script.

Submit is a turn and streams like one (see interview.submit).
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from app.http.deps import RuntimeDep
from app.http.present import run_public, workspace_public
from app.http.schemas import CodeCreate, CodeRunPublic, CodeWorkspacePublic
from app.services import code
from app.web.session import BrowserUser, CsrfHeader

router = APIRouter(include_in_schema=False)


@router.get("/interviews/{interview_id}/code")
async def workspace(
    interview_id: uuid.UUID, runtime: RuntimeDep, user: BrowserUser
) -> CodeWorkspacePublic:
    """The current question's editor state, refreshed when the question changes."""
    space = await code.workspace(runtime=runtime, owner=user, interview_id=interview_id)
    return workspace_public(space)


@router.post("/interviews/{interview_id}/code/run")
async def run(
    interview_id: uuid.UUID,
    body: CodeCreate,
    runtime: RuntimeDep,
    user: BrowserUser,
    _csrf: CsrfHeader,
) -> CodeRunPublic:
    """Run the editor's code against the visible examples."""
    stored = await code.run_examples(
        runtime=runtime, owner=user, interview_id=interview_id, code=body.code
    )
    return run_public(stored)
