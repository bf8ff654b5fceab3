"""The practice plan: due drills, answering them, mastery per topic."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app.api.deps import CurrentUser
from app.http.deps import RuntimeDep
from app.http.params import RowId
from app.http.practice_present import drill_public, plan_public, result_public
from app.http.practice_schemas import DrillAnswer, DrillPublic, DrillResultPublic, PracticePublic
from app.http.schemas import ErrorPublic
from app.services import practice

router = APIRouter(prefix="/api/v1/practice", tags=["practice"])
ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": ErrorPublic}, 422: {"model": ErrorPublic}}


@router.get("", response_model=PracticePublic)
async def plan(runtime: RuntimeDep, user: CurrentUser) -> PracticePublic:
    """Due today, every scheduled item (soonest first) and mastery per topic."""
    return await plan_public(runtime, user)


@router.get("/items/{item_id}", response_model=DrillPublic, responses=ERRORS)
async def read_drill(item_id: RowId, runtime: RuntimeDep, user: CurrentUser) -> DrillPublic:
    """One item as a drill: the question to answer."""
    return drill_public(runtime, await practice.drill(runtime=runtime, owner=user, item_id=item_id))


@router.post("/items/{item_id}/drill", response_model=DrillResultPublic, responses=ERRORS)
async def answer(
    item_id: RowId, body: DrillAnswer, runtime: RuntimeDep, user: CurrentUser
) -> DrillResultPublic:
    """Answer a drill: graded, and the item rescheduled by how it went."""
    result = await practice.answer_drill(
        runtime=runtime, owner=user, item_id=item_id, answer=body.answer
    )
    return result_public(runtime, result)
