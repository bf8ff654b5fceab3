"""A turn's first half: the candidate's answer, checked and stored before anything else.

The answer is committed before any LLM call, so it is never lost; `replies` produces the
interviewer's reply to it, and if that fails the interview is left awaiting a reply and
`retry` voices the same turn again.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.services import code, diagrams, limits
from app.services.errors import Conflict, Invalid, TooMany
from app.services.interviews import Line, get_owned, last_message, recent_lines
from app.services.runtime import Runtime
from app.speech.models import SpeechRecord
from app.store.models import CodeRun, Interview, InterviewStatus, Message, User
from app.store.types import utcnow
from app.voice.scene import Utterance

HISTORY_WINDOW = 80  # messages read for a turn, enough for any context budget's digest
_CHANGED = "another request changed this interview at the same time; reload it and try again"


@dataclass(frozen=True)
class ReplyStored:
    """The interviewer's reply, stored, and the interview after the turn."""

    message: Message
    interview: Interview


@dataclass(frozen=True)
class PendingTurn:
    """A stored candidate answer that still needs the interviewer's reply."""

    interview_id: uuid.UUID
    owner: User
    candidate: Message
    # set when an Idempotency-Key replays a turn that was already answered
    replay: ReplyStored | None = None
    # the interview as the answer left it, and the newest messages up to the answer, when
    # known (saves reading them again)
    interview: Interview | None = None
    history: Sequence[Utterance] | None = None


@asynccontextmanager
async def conflicts() -> AsyncIterator[None]:
    """A concurrent request that took the same seq first makes the writes a conflict."""
    try:
        yield
    except IntegrityError as error:
        raise Conflict(_CHANGED) from error


def check_answer(text: str, *, limit: int) -> str:
    """Refuse empty and oversized answers with a clear reason; never truncate."""
    if not text.strip():
        raise Invalid("the message is empty")
    if len(text) > limit:
        raise Invalid(
            f"the message has {len(text)} characters; the limit is {limit}. Split it or shorten it."
        )
    return text


async def accept_answer(
    *,
    runtime: Runtime,
    owner: User,
    interview_id: uuid.UUID,
    text: str,
    idempotency_key: str | None = None,
    diagram: str | None = None,
    speech: SpeechRecord | None = None,
) -> PendingTurn:
    """Store the candidate's message with the next seq and commit it before anything else.

    A design diagram (Mermaid source) is stored in the answer, after its words, which may then
    be empty. A spoken answer keeps its speech record (duration, timed words) with the message.
    With an Idempotency-Key seen before, nothing is stored: the first turn is returned.
    """
    if diagram is not None and diagram.strip():
        diagrams.check(diagram)
        if text.strip():
            check_answer(text, limit=runtime.settings.max_message_chars)
        text = diagrams.attach(text, diagram)
    else:
        check_answer(text, limit=runtime.settings.max_message_chars)
    return await _accept(
        runtime=runtime,
        owner=owner,
        interview_id=interview_id,
        text=text,
        idempotency_key=idempotency_key,
        speech=speech,
    )


async def accept_submission(
    *,
    runtime: Runtime,
    owner: User,
    interview_id: uuid.UUID,
    code_text: str,
    idempotency_key: str | None = None,
) -> PendingTurn:
    """Store submitted code as the candidate's turn, with a pending run, before running it."""
    code.check_code(code_text, limit=runtime.settings.max_code_chars)
    await code.refuse_if_unavailable(runtime=runtime)
    return await _accept(
        runtime=runtime,
        owner=owner,
        interview_id=interview_id,
        text=code.as_message(code_text),
        idempotency_key=idempotency_key,
        submission=code_text,
    )


async def _accept(
    *,
    runtime: Runtime,
    owner: User,
    interview_id: uuid.UUID,
    text: str,
    idempotency_key: str | None,
    submission: str | None = None,
    speech: SpeechRecord | None = None,
) -> PendingTurn:
    now = utcnow()
    async with runtime.writing() as session, conflicts():
        # the row lock (PostgreSQL's FOR UPDATE; SQLite's BEGIN IMMEDIATE takes the write lock)
        # serialises answers to one interview: what is checked below stays true until the commit
        interview = await get_owned(
            session=session, owner=owner, interview_id=interview_id, for_update=True
        )
        recent = await recent_lines(session=session, interview_id=interview.id, last=HISTORY_WINDOW)
        if idempotency_key is not None:
            replay = await _replay(session, interview, idempotency_key, text)
            if replay is not None:
                candidate, reply = replay
                return PendingTurn(
                    interview_id=interview.id,
                    owner=owner,
                    candidate=candidate,
                    replay=ReplyStored(message=reply, interview=interview),
                )
        newest = recent[-1].seq if recent else 0
        check_open(interview, messages=newest, limit=runtime.settings.max_messages_per_interview)
        budget = limits.llm_budget(runtime=runtime, user_id=owner.id)
        if budget is not None:  # a refusal rolls back with everything else: nothing counted
            await limits.take(await session.connection(), budget, now)
        message = Message(
            interview_id=interview.id,
            seq=newest + 1,
            role="candidate",
            content=text,
            created_at=now,
            idempotency_key=idempotency_key,
            kind="text" if submission is None else "code",
            speech=speech.model_dump(mode="json") if speech is not None else None,
        )
        interview.awaiting_reply, interview.updated_at = True, now
        session.add(message)
        await session.flush()
        if submission is not None:  # not runnable: the rollback takes the answer back
            session.add(
                CodeRun(
                    interview_id=interview.id,
                    message_id=message.id,
                    question_id=code.runnable_question(runtime=runtime, interview=interview),
                    kind="submit",
                    code=submission,
                )
            )
        await session.commit()
    return PendingTurn(
        interview_id=interview_id,
        owner=owner,
        candidate=message,
        interview=interview,
        history=[*utterances(recent[1 - HISTORY_WINDOW :]), Utterance("candidate", text)],
    )


def utterances(lines: Sequence[Line]) -> list[Utterance]:
    return [
        Utterance(role="candidate" if m.role == "candidate" else "interviewer", content=m.content)
        for m in lines
    ]


def check_open(interview: Interview, *, messages: int, limit: int) -> None:
    """Refuse a new answer unless the interview is open: active, its last answer replied to,
    and room for the answer and its reply. The one place that says what "open" means."""
    if interview.status is not InterviewStatus.active:
        raise Conflict(f"the interview is {interview.status}; start a new one to continue")
    if interview.awaiting_reply:
        raise Conflict(
            "the interviewer has not replied to your last message yet; "
            f"POST /api/v1/interviews/{interview.id}/retry to get the reply"
        )
    if messages + 2 > limit:
        raise TooMany(
            f"this interview has reached {limit} messages, the limit; finish it and start a new one"
        )


async def _replay(
    session: AsyncSession, interview: Interview, key: str, text: str
) -> tuple[Message, Message] | None:
    """The stored turn of an Idempotency-Key, if this key was used on this interview before."""
    first = (
        await session.exec(
            select(Message).where(
                Message.interview_id == interview.id, Message.idempotency_key == key
            )
        )
    ).first()
    if first is None:
        return None
    if first.content != text:
        raise Invalid("this Idempotency-Key was used for a different message; use a new key")
    reply = (
        await session.exec(
            select(Message).where(
                Message.interview_id == interview.id, Message.seq == first.seq + 1
            )
        )
    ).first()
    if reply is None:
        raise Conflict(
            "the request with this Idempotency-Key is stored but not answered yet (or its reply "
            f"failed); POST /api/v1/interviews/{interview.id}/retry to get the reply"
        )
    return first, reply


async def pending_turn(*, runtime: Runtime, owner: User, interview_id: uuid.UUID) -> PendingTurn:
    """The turn that is waiting for the interviewer's reply, for a retry."""
    async with runtime.reading() as session:
        interview = await get_owned(session=session, owner=owner, interview_id=interview_id)
        if not interview.awaiting_reply:
            raise Conflict("nothing to retry: the interviewer has replied to every message")
        candidate = await last_message(session=session, interview_id=interview.id)
    await limits.llm_call(runtime=runtime, user_id=owner.id)
    return PendingTurn(interview_id=interview_id, owner=owner, candidate=candidate)
