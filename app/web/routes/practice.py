"""The practice plan in the browser: due drills, a drill and its result."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from app.http.deps import RuntimeDep
from app.http.params import RowId
from app.http.practice_present import drill_public, plan_public, result_public
from app.services import practice
from app.web.pages import page
from app.web.session import BrowserUser, CsrfForm

router = APIRouter(include_in_schema=False)


@router.get("/practice")
async def plan_page(request: Request, runtime: RuntimeDep, user: BrowserUser) -> Response:
    """Due today, what comes later, and mastery per topic."""
    plan = await plan_public(runtime, user)
    return page(request, "practice.html", user=user, plan=plan)


@router.get("/practice/{item_id}")
async def drill_page(
    request: Request, item_id: RowId, runtime: RuntimeDep, user: BrowserUser
) -> Response:
    """One short drill."""
    drill = await practice.drill(runtime=runtime, owner=user, item_id=item_id)
    return page(request, "drill.html", user=user, drill=drill_public(runtime, drill), result=None)


@router.post("/practice/{item_id}")
async def answer_drill(
    request: Request,
    item_id: RowId,
    runtime: RuntimeDep,
    user: BrowserUser,
    _csrf: CsrfForm,
    answer: Annotated[str, Form()] = "",
) -> Response:
    """Grade the drill, reschedule the item, and show how it went and what is next."""
    drill = await practice.drill(runtime=runtime, owner=user, item_id=item_id)
    result = await practice.answer_drill(
        runtime=runtime, owner=user, item_id=item_id, answer=answer
    )
    due, _ = await practice.due_now(runtime=runtime, owner=user, limit=1)
    return page(
        request,
        "drill.html",
        user=user,
        drill=drill_public(runtime, drill),
        result=result_public(runtime, result),
        answer=answer,
        next_item=due[0].id if due else None,
    )
