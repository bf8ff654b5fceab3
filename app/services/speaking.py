"""Speaking feedback on voiced answers: per answer for the scorecard, per interview over time."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError
from sqlmodel import col, select

from app.content.models import RoundType
from app.services.interviews import get_owned
from app.services.runtime import Runtime
from app.speech.metrics import InterviewSpeaking, SpeakingFeedback, measure, summarise
from app.speech.models import SpeechRecord
from app.store.models import Interview, Message, User

# what a message does besides answering, for which the length of an answer is not judged
_NOT_ANSWERS = {"hint", "skip", "finish", "clarify", "question", "off_topic", "instruct"}


@dataclass(frozen=True)
class SpeakingPoint:
    """One interview's voiced answers together, for Progress."""

    interview_id: uuid.UUID
    round: str
    created_at: datetime
    speaking: InterviewSpeaking


def of_messages(messages: Sequence[Message], *, round_type: RoundType) -> SpeakingFeedback:
    """The speaking feedback of a transcript's voiced answers (none: no summary)."""
    answers = []
    for message in messages:
        record = _record(message.speech) if message.role == "candidate" else None
        if record is None:
            continue
        answers.append(
            measure(record, round_type=round_type, judge_length=_answers(message), seq=message.seq)
        )
    return SpeakingFeedback(summary=summarise(answers), answers=answers)


async def feedback(*, runtime: Runtime, owner: User, interview_id: uuid.UUID) -> SpeakingFeedback:
    """The speaking feedback of one of the caller's interviews (any time, not only scored)."""
    async with runtime.reading() as session:
        interview = await get_owned(session=session, owner=owner, interview_id=interview_id)
        messages = (
            await session.exec(
                select(Message)
                .where(Message.interview_id == interview.id, Message.role == "candidate")
                .order_by(col(Message.seq))
            )
        ).all()
    return of_messages(messages, round_type=RoundType(interview.round))


async def history(*, runtime: Runtime, owner: User) -> list[SpeakingPoint]:
    """Every interview of the caller with voiced answers, oldest first, taken together."""
    async with runtime.reading() as session:
        rows = (
            await session.exec(
                select(Interview.id, Interview.round, Interview.created_at, Message.speech)
                .join(Message, col(Message.interview_id) == Interview.id)
                .where(Interview.owner_id == owner.id, Message.role == "candidate")
                .order_by(col(Interview.created_at), col(Message.seq))
            )
        ).all()
    grouped: dict[uuid.UUID, tuple[str, datetime, list[SpeechRecord]]] = {}
    for interview_id, round_id, created_at, speech in rows:
        record = _record(speech)
        if record is not None:
            grouped.setdefault(interview_id, (round_id, created_at, []))[2].append(record)
    points = []
    for interview_id, (round_id, created_at, records) in grouped.items():
        round_type = RoundType(round_id)
        summary = summarise([measure(r, round_type=round_type) for r in records])
        if summary is not None:
            points.append(SpeakingPoint(interview_id, round_id, created_at, summary))
    return points


def _record(speech: object) -> SpeechRecord | None:
    if not isinstance(speech, dict):
        return None
    try:
        return SpeechRecord.model_validate(speech)
    except ValidationError:  # stored by an older version with other fields: not measured
        return None


def _answers(message: Message) -> bool:
    """True unless the assessor read the message as something other than an answer."""
    intents = set((message.assessment or {}).get("intents") or ["answer"])
    return "answer" in intents or not intents & _NOT_ANSWERS
