"""A candidate's scores over time, per round and per criterion."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import col, select

from app.services.runtime import Runtime
from app.store.models import CriterionScore, Interview, Scorecard, User


@dataclass
class ScorePoint:
    """One scored interview: when, which round, the overall and each criterion's score."""

    interview_id: uuid.UUID
    round: str
    created_at: datetime
    overall: float
    # criteria left out were not assessed in that interview
    criteria: dict[str, int] = field(default_factory=dict)


async def score_history(*, runtime: Runtime, owner: User) -> list[ScorePoint]:
    """Every scored interview of the caller, oldest first, with its criterion scores."""
    async with runtime.reading() as session:
        rows = (
            await session.exec(
                select(Interview, Scorecard)
                .join(Scorecard, col(Scorecard.interview_id) == Interview.id)
                .where(Interview.owner_id == owner.id)
                .order_by(col(Interview.created_at))
            )
        ).all()
        by_card = {
            card.id: ScorePoint(
                interview_id=interview.id,
                round=interview.round,
                created_at=interview.created_at,
                overall=card.overall,
            )
            for interview, card in rows
        }
        if by_card:
            scores = (
                await session.exec(
                    select(CriterionScore).where(
                        col(CriterionScore.scorecard_id).in_(list(by_card))
                    )
                )
            ).all()
            for score in scores:
                if score.score is not None:
                    by_card[score.scorecard_id].criteria[score.criterion_id] = score.score
    return list(by_card.values())
