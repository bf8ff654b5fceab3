"""The grader's second look: a sceptical pass over every criterion graded at an extreme.

A 1 or a 4 moves the overall most and is where graders are least calibrated, so each one is
shown again with its rationale and quotes to a reviewer told to keep it, lower it, or call the
evidence insufficient. It can never raise a score.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from app.content.models import Criterion, RoundSpec, Rubric
from app.content.prompts import PromptLibrary
from app.llm.client import LLMClient, StructuredOutputError
from app.scoring.models import CriterionResult

EXTREMES = {1, 4}


class Review(BaseModel):
    """The sceptic's decision on one criterion: the reason first, then the decision."""

    criterion_id: str
    reason: str = Field(max_length=1000)
    decision: Literal["keep", "lower", "insufficient_evidence"]
    lowered_score: Literal[1, 2, 3] | None = Field(
        description="the new score when the decision is lower, else null"
    )


class ReviewReply(BaseModel):
    """The structured reply of the sceptical pass."""

    reviews: list[Review]


@dataclass(frozen=True)
class Item:
    """One criterion under review, as the prompt shows it."""

    criterion: Criterion
    score: int
    rationale: str
    evidence: list


def revised(result: CriterionResult, review: Review | None) -> CriterionResult:
    """The criterion after the review: kept, lowered (never raised) or not assessed."""
    if review is None or result.score is None or review.decision == "keep":
        return result
    note = f" Second look: {review.reason.strip()}"
    if review.decision == "insufficient_evidence":
        return result.model_copy(
            update={"score": None, "rationale": result.rationale + note, "evidence": []}
        )
    lowered = review.lowered_score
    if lowered is None or lowered >= result.score:
        return result  # a "lower" that does not lower is a keep
    return result.model_copy(update={"score": lowered, "rationale": result.rationale + note})


async def second_look(
    *,
    client: LLMClient,
    prompts: PromptLibrary,
    rubric: Rubric,
    spec: RoundSpec,
    criteria: Sequence[CriterionResult],
    transcript: Sequence[object],
    level: str,
    role: str,
    readings: dict[int, str] | None = None,
    before_call: Callable[[], Awaitable[None]] | None = None,
) -> list[CriterionResult]:
    """Criteria with every extreme score reviewed once more; the others unchanged."""
    by_id = {c.id: c for c in rubric.criteria}
    extreme = [c for c in criteria if c.score in EXTREMES and c.criterion_id in by_id]
    if not extreme:
        return list(criteria)
    items = [
        Item(by_id[c.criterion_id], c.score or 0, c.rationale, list(c.evidence)) for c in extreme
    ]
    prompt = prompts.render(
        "grader/sceptic.j2",
        round=spec,
        level=level,
        role=role,
        reviews=items,
        messages=transcript,
        readings=readings or {},
    )
    if before_call is not None:
        await before_call()
    try:
        reply, _ = await client.structured(
            [{"role": "user", "content": prompt}], ReviewReply, purpose="grading"
        )
    except StructuredOutputError:  # no usable review: the first grades stand
        return list(criteria)
    reviews = {r.criterion_id: r for r in reply.reviews}
    wanted = {c.criterion_id for c in extreme}
    return [
        revised(c, reviews.get(c.criterion_id)) if c.criterion_id in wanted else c
        for c in criteria
    ]
