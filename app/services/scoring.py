"""Finishing an interview and grading it against its round's rubric."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.content.models import RoundType
from app.engine.assessment import Assessment
from app.llm.client import LLMError
from app.scoring.answers import Submission, group_answers
from app.scoring.evidence import CandidateMessage
from app.scoring.llm_grader import TranscriptLine, grade_with_llm
from app.scoring.models import ScoreResult
from app.scoring.offline import score_offline
from app.services import code, limits, practice
from app.services.errors import Conflict, Unavailable
from app.services.interviews import get_owned, messages_of, state_of, touch
from app.services.runtime import Runtime
from app.store.models import CriterionScore, Interview, InterviewStatus, Message, Scorecard, User
from app.store.types import utcnow


@dataclass(frozen=True)
class StoredScorecard:
    """A scorecard with its criterion scores, in rubric order."""

    scorecard: Scorecard
    criteria: Sequence[CriterionScore]


async def grade(
    *, runtime: Runtime, interview: Interview, messages: Sequence[Message]
) -> ScoreResult:
    """Grade a transcript: offline, or with the LLM grader when one is configured."""
    round_type = RoundType(interview.round)
    rubric, spec = runtime.content.rubrics[round_type], runtime.content.rounds[round_type]
    state = state_of(interview)
    candidate = [
        CandidateMessage(seq=m.seq, content=m.content, assessment=_stored(m))
        for m in messages
        if m.role == "candidate"
    ]
    submitted = await code.submissions_of(runtime=runtime, interview_id=interview.id)
    by_id = {m.id: m for m in messages}
    submissions = [
        Submission(
            topic_id=run.question_id,
            seq=by_id[run.message_id].seq,
            code=run.code,
            status=run.status,
            hidden_passed=run.hidden_passed,
            hidden_total=run.hidden_total,
        )
        for run in submitted
        if run.message_id in by_id
    ]
    topics = runtime.directors.topics(interview)
    groups = group_answers(candidate, state, topics, spec, submissions, rubric=rubric)
    offline = score_offline(groups=groups, rubric=rubric, spec=spec)
    if runtime.llm is None:
        return offline

    async def counted() -> None:  # every model call counts against the user's budget
        await limits.llm_call(runtime=runtime, user_id=interview.owner_id)

    transcript = [TranscriptLine(seq=m.seq, role=m.role, content=m.content) for m in messages]
    try:
        return await grade_with_llm(
            client=runtime.llm,
            prompts=runtime.content.prompts,
            rubric=rubric,
            spec=spec,
            groups=groups,
            transcript=transcript,
            fallback=offline,
            level=interview.level,
            role=interview.role,
            before_call=counted,
        )
    except LLMError as error:
        raise Unavailable(
            f"grading failed: {error}. The interview is finished and saved; "
            "call finish again to retry the scoring.",
            retryable=error.retryable,
            retry_after=error.retry_after,
        ) from error


def _stored(message: Message) -> Assessment | None:
    """The assessment stored with a candidate message, if it has one this version can read."""
    if message.assessment is None:
        return None
    try:
        return Assessment.model_validate(message.assessment)
    except ValidationError:  # stored by an older version: the scorer assesses the text again
        return None


async def finish(*, runtime: Runtime, owner: User, interview_id: uuid.UUID) -> Interview:
    """Close the interview and score it; calling it again retries a failed scoring."""
    async with runtime.writing() as session:
        interview = await get_owned(
            session=session, owner=owner, interview_id=interview_id, for_update=True
        )
        if interview.status is InterviewStatus.scored:
            return interview
        if interview.status is InterviewStatus.active:
            interview.status = InterviewStatus.finished
            interview.finished_at = utcnow()
            touch(interview)
            session.add(interview)
            await session.commit()
        messages = await messages_of(session=session, interview_id=interview.id)
    result = await grade(runtime=runtime, interview=interview, messages=messages)
    return await _store(runtime, owner, interview, result)


async def _store(
    runtime: Runtime, owner: User, finished: Interview, result: ScoreResult
) -> Interview:
    rubric = runtime.content.rubrics[RoundType(finished.round)]
    interview_id = finished.id
    async with runtime.writing() as session:
        interview = await get_owned(
            session=session, owner=owner, interview_id=interview_id, for_update=True
        )
        if interview.status is InterviewStatus.scored:  # a concurrent finish stored it first
            return interview
        scorecard = Scorecard(
            interview_id=interview.id,
            rubric_id=rubric.id,
            rubric_version=rubric.version,
            overall=result.overall,
            recommendation=result.recommendation,
            summary=result.summary,
            missed_points=[m.model_dump() for m in result.missed_points],
            hints_used=result.hints_used,
            dropped_quotes=result.dropped_quotes,
            grader=result.grader,
        )
        session.add(scorecard)
        await session.flush()
        assert scorecard.id is not None  # the flush assigned it
        for position, criterion in enumerate(result.criteria):
            session.add(
                CriterionScore(
                    scorecard_id=scorecard.id,
                    position=position,
                    criterion_id=criterion.criterion_id,
                    name=criterion.name,
                    score=criterion.score,
                    max_score=criterion.max_score,
                    rationale=criterion.rationale,
                    evidence=[e.model_dump() for e in criterion.evidence],
                )
            )
        interview.status = InterviewStatus.scored
        touch(interview)
        session.add(interview)
        await practice.add_from_scorecard(
            session=session,
            content=runtime.content,
            interview=interview,
            result=result,
            now=runtime.clock(),
        )
        try:
            await session.commit()
        except IntegrityError:  # a concurrent finish stored its scorecard first
            await session.rollback()
            return await get_owned(session=session, owner=owner, interview_id=interview_id)
    return interview


async def read_scorecard(
    *, runtime: Runtime, owner: User, interview_id: uuid.UUID
) -> tuple[Interview, StoredScorecard]:
    """The scorecard of one of the caller's interviews."""
    async with runtime.reading() as session:
        interview = await get_owned(session=session, owner=owner, interview_id=interview_id)
        card = await _scorecard_of(session, interview)
    if card is None:
        raise Conflict(
            "the interview has no scorecard yet; "
            f"POST /api/v1/interviews/{interview.id}/finish to score it"
        )
    return interview, card


async def read_complete(
    *, runtime: Runtime, owner: User, interview_id: uuid.UUID
) -> tuple[Interview, Sequence[Message], StoredScorecard | None]:
    """One of the caller's interviews with its transcript and, once scored, its scorecard."""
    async with runtime.reading() as session:
        interview = await get_owned(session=session, owner=owner, interview_id=interview_id)
        messages = await messages_of(session=session, interview_id=interview.id)
        card = await _scorecard_of(session, interview)
    return interview, messages, card


async def _scorecard_of(session: AsyncSession, interview: Interview) -> StoredScorecard | None:
    scorecard = (
        await session.exec(select(Scorecard).where(Scorecard.interview_id == interview.id))
    ).first()
    if scorecard is None:
        return None
    criteria = (
        await session.exec(
            select(CriterionScore)
            .where(CriterionScore.scorecard_id == scorecard.id)
            .order_by(col(CriterionScore.position))
        )
    ).all()
    return StoredScorecard(scorecard=scorecard, criteria=criteria)
