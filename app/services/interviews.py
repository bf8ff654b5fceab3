"""Interviews: create, read, list and delete the caller's own."""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import delete as sql_delete
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.content.models import Question, RoundType
from app.engine.state import InterviewState
from app.services import cv_questions, limits, tailoring
from app.services.errors import Invalid, NotFound
from app.services.runtime import Runtime
from app.services.tailoring import Tailoring
from app.store.models import Interview, InterviewStatus, Message, Scorecard, User
from app.store.types import utcnow
from app.voice.scene import Scene

RECENT_INTERVIEWS_FOR_VARIETY = 10


@dataclass(frozen=True)
class NewInterview:
    """What a candidate asks for when starting an interview."""

    round: RoundType
    question_id: str | None = None
    question: str | None = None
    difficulty: str | None = None
    role: str = "Engineer"
    level: str = "mid-level"
    duration_minutes: int | None = None
    # pasted to tailor the questions: the job's skills weight the choice, and behavioral and
    # research questions are asked about the CV's projects
    job_description: str | None = None
    cv: str | None = None


async def _recently_asked(session: AsyncSession, owner: User, round_type: RoundType) -> set[str]:
    rows = await session.exec(
        select(Interview.question_ids)
        .where(Interview.owner_id == owner.id, Interview.round == round_type.value)
        .order_by(col(Interview.created_at).desc())
        .limit(RECENT_INTERVIEWS_FOR_VARIETY)
    )
    return {q for ids in rows.all() for q in ids}


async def _choose_questions(
    session: AsyncSession, runtime: Runtime, owner: User, request: NewInterview, fit: Tailoring
) -> list[str]:
    if request.question_id is not None:
        question = runtime.content.questions.get(request.question_id)
        if question is None or question.round != request.round:
            raise NotFound(
                f"unknown question {request.question_id!r} for round "
                f"{request.round.value!r}; see GET /api/v1/rounds/"
                f"{request.round.value}/questions"
            )
        return [question.id]
    count = runtime.content.rounds[request.round].questions_per_interview
    bank = runtime.content.questions_for(request.round)
    recent = await _recently_asked(session, owner, request.round)

    # unseen questions first; among them, with a CV, those that can be asked about its
    # projects; then those tagged with more of the job's skills; then the asked difficulty
    def rank(question: Question) -> tuple[bool, bool, int, bool, float]:
        return (
            question.id in recent,
            bool(fit.projects) and question.cv_prompt is None,
            -tailoring.matches(question, fit.skills),
            question.difficulty != request.difficulty,
            random.random(),
        )

    return [q.id for q in sorted(bank, key=rank)[:count]]


def _tailor(runtime: Runtime, request: NewInterview) -> Tailoring:
    """What the job description and CV change for this round (nothing without them)."""
    bank = runtime.content.questions_for(request.round)
    return Tailoring(
        skills=tailoring.job_skills(questions=bank, job_description=request.job_description),
        projects=tailoring.cv_projects(request.cv),
    )


def _asked_about(runtime: Runtime, question_ids: list[str], fit: Tailoring) -> dict[str, str]:
    """Each question with a CV version gets one of the CV's projects, in turn."""
    able = [q for q in question_ids if runtime.content.questions[q].cv_prompt is not None]
    if not fit.projects:
        return {}
    return {q: fit.projects[i % len(fit.projects)] for i, q in enumerate(able)}


async def _questions(
    runtime: Runtime, owner: User, request: NewInterview
) -> tuple[list[str], Tailoring]:
    """The interview's questions, and what the job description and CV changed about them."""
    fit = _tailor(runtime, request)
    if request.question is not None:  # the candidate's own question
        return [], fit
    async with runtime.reading() as session:
        question_ids = await _choose_questions(session, runtime, owner, request, fit)
    fit.asked_about = _asked_about(runtime, question_ids, fit)
    if request.question_id is not None:  # a question the candidate chose is asked as it is
        return question_ids, fit
    # with an LLM, a question written about the CV; outside any transaction: it takes seconds
    return await cv_questions.ask_about_cv(
        runtime=runtime,
        user_id=owner.id,
        round_type=request.round,
        cv=request.cv,
        job_description=request.job_description,
        question_ids=question_ids,
        fit=fit,
    )


async def create(
    *, runtime: Runtime, owner: User, request: NewInterview
) -> tuple[Interview, Message]:
    """Start an interview: choose its questions and store the interviewer's opening."""
    if request.question is not None and request.question_id is not None:
        raise Invalid("give either question_id (from the bank) or question (your own), not both")
    spec = runtime.content.rounds[request.round]
    await limits.new_interview(runtime=runtime, user_id=owner.id)
    question_ids, fit = await _questions(runtime, owner, request)
    async with runtime.writing() as session:
        interview = Interview(
            owner_id=owner.id,
            round=request.round.value,
            question_ids=question_ids,
            custom_question=request.question,
            role=request.role,
            level=request.level,
            duration_minutes=request.duration_minutes or spec.duration_minutes,
            tailoring=fit.model_dump(mode="json")
            if fit.skills or fit.projects or fit.question
            else None,
        )
        director = runtime.directors.director(interview)
        decision = director.start(budget_seconds=interview.duration_minutes * 60)
        interview.state = decision.state.model_dump(mode="json")
        scene = Scene(
            move=decision.move,
            spec=spec,
            rubric=runtime.content.rubrics[request.round],
            topic=director.topics[0],
            number=1,
            total=len(director.topics),
            section=None,
            role=interview.role,
            level=interview.level,
            turn=0,
            history=(),
        )
        opening = runtime.opening_voice.compose(scene)
        message = Message(interview_id=interview.id, seq=1, role="interviewer", content=opening)
        session.add(interview)
        session.add(message)
        await session.commit()
    return interview, message


async def get_owned(
    *, session: AsyncSession, owner: User, interview_id: uuid.UUID, for_update: bool = False
) -> Interview:
    """The caller's interview; anyone else's is reported as not found."""
    query = select(Interview).where(Interview.id == interview_id, Interview.owner_id == owner.id)
    if for_update:
        query = query.with_for_update()
    interview = (await session.exec(query)).first()
    if interview is None:
        raise NotFound("interview not found")
    return interview


async def messages_of(*, session: AsyncSession, interview_id: uuid.UUID) -> Sequence[Message]:
    """The whole transcript in order."""
    query = select(Message).where(Message.interview_id == interview_id)
    return (await session.exec(query.order_by(col(Message.seq)))).all()


class Line(NamedTuple):
    """One message of the conversation window: who said what, and where."""

    seq: int
    role: str
    content: str


async def recent_lines(*, session: AsyncSession, interview_id: uuid.UUID, last: int) -> list[Line]:
    """The newest `last` messages, oldest first: the one read of the conversation window. Three
    columns, not whole rows (a row carries its assessment): a turn reads it every time."""
    query = (
        select(Message.seq, Message.role, Message.content)
        .where(Message.interview_id == interview_id)
        .order_by(col(Message.seq).desc())
        .limit(last)
    )
    return [Line(*row) for row in reversed((await session.exec(query)).all())]


async def last_message(*, session: AsyncSession, interview_id: uuid.UUID) -> Message:
    """The interview's newest message (there is always the opening)."""
    query = (
        select(Message)
        .where(Message.interview_id == interview_id)
        .order_by(col(Message.seq).desc())
        .limit(1)
    )
    return (await session.exec(query)).one()


def state_of(interview: Interview) -> InterviewState:
    """The director's state of the interview, typed: the one way to read it."""
    return InterviewState.model_validate(interview.state)


async def list_owned(
    *,
    runtime: Runtime,
    owner: User,
    round_type: RoundType | None,
    status: InterviewStatus | None,
    limit: int,
    offset: int,
) -> tuple[list[tuple[Interview, Scorecard | None]], int]:
    """A page of the caller's interviews with their scorecards, newest first, and the total."""
    conditions = [Interview.owner_id == owner.id]
    if round_type is not None:
        conditions.append(Interview.round == round_type.value)
    if status is not None:
        conditions.append(Interview.status == status)
    async with runtime.reading() as session:
        total = (
            await session.exec(select(func.count()).select_from(Interview).where(*conditions))
        ).one()
        rows = await session.exec(
            select(Interview, Scorecard)
            .where(*conditions)
            .join(Scorecard, col(Scorecard.interview_id) == Interview.id, isouter=True)
            .order_by(col(Interview.created_at).desc(), col(Interview.id))
            .limit(limit)
            .offset(offset)
        )
        return [(interview, card) for interview, card in rows.all()], total


async def delete(*, runtime: Runtime, owner: User, interview_id: uuid.UUID) -> None:
    """Delete one of the caller's interviews with its transcript and scorecard."""
    async with runtime.writing() as session:
        interview = await get_owned(session=session, owner=owner, interview_id=interview_id)
        await session.exec(sql_delete(Interview).where(col(Interview.id) == interview.id))
        await session.commit()


def touch(interview: Interview) -> None:
    """Mark the interview as changed now."""
    interview.updated_at = utcnow()


async def interview_ids(*, runtime: Runtime, owner: User) -> list[uuid.UUID]:
    """Ids of all the caller's interviews, oldest first."""
    async with runtime.reading() as session:
        rows = await session.exec(
            select(Interview.id)
            .where(Interview.owner_id == owner.id)
            .order_by(col(Interview.created_at))
        )
        return list(rows.all())
