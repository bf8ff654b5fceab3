"""The round types and their question banks."""

from __future__ import annotations

from fastapi import APIRouter

from app.content.models import RoundType
from app.http.deps import RuntimeDep
from app.http.schemas import CriterionSummary, ErrorPublic, QuestionSummary, RoundPublic

router = APIRouter(prefix="/api/v1/rounds", tags=["rounds"])


@router.get("", response_model=list[RoundPublic])
async def list_rounds(runtime: RuntimeDep) -> list[RoundPublic]:
    """Every round type with its duration and rubric criteria."""
    content = runtime.content
    return [
        RoundPublic(
            id=spec.id,
            title=spec.title,
            description=spec.description,
            duration_minutes=spec.duration_minutes,
            questions_per_interview=spec.questions_per_interview,
            criteria=[
                CriterionSummary(id=c.id, name=c.name, weight=c.weight, description=c.description)
                for c in content.rubrics[spec.id].criteria
            ],
        )
        for spec in content.rounds.values()
    ]


@router.get(
    "/{round_id}/questions",
    response_model=list[QuestionSummary],
    responses={422: {"model": ErrorPublic}},
)
async def list_questions(round_id: RoundType, runtime: RuntimeDep) -> list[QuestionSummary]:
    """The round's questions, without answers or key points."""
    return [
        QuestionSummary(id=q.id, title=q.title, difficulty=q.difficulty, tags=list(q.tags))
        for q in runtime.content.questions_for(round_id)
    ]
