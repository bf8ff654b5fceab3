"""A turn: store the candidate's answer, let the director choose a move, voice it, store it.

The answer is committed before any LLM call, so it is never lost; if the voice fails the
interview is left awaiting a reply and `retry` voices the same turn again.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from app.content.models import RoundType
from app.engine.assessment import Assessment
from app.engine.director import Director
from app.engine.moves import Decision
from app.llm.client import LLMError
from app.services import code, limits
from app.services.assessing import assess_answer
from app.services.errors import Conflict, Invalid, TooMany, Unavailable
from app.services.interviews import get_owned, messages_of, state_of
from app.services.runtime import Runtime
from app.store.models import CodeRun, Interview, InterviewStatus, Message, User
from app.store.types import utcnow
from app.voice.scene import Scene, Spoken, Token, Utterance, scene_for

HISTORY_WINDOW = 80  # messages read for a turn, enough for any context budget's digest
_CHANGED = "another request changed this interview at the same time; reload it and try again"


@dataclass(frozen=True)
class ReplyToken:
    """A piece of the interviewer's reply as it streams."""

    text: str


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
async def _conflicts() -> AsyncIterator[None]:
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
) -> PendingTurn:
    """Store the candidate's message with the next seq and commit it before anything else.

    With an Idempotency-Key seen before, nothing is stored: the first turn is returned.
    """
    check_answer(text, limit=runtime.settings.max_message_chars)
    return await _accept(
        runtime=runtime,
        owner=owner,
        interview_id=interview_id,
        text=text,
        idempotency_key=idempotency_key,
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
) -> PendingTurn:
    now = utcnow()
    async with runtime.sessions() as session, _conflicts():
        # the row lock (PostgreSQL's FOR UPDATE; SQLite's BEGIN IMMEDIATE takes the write lock)
        # serialises answers to one interview: what is checked below stays true until the commit
        interview = await get_owned(
            session=session, owner=owner, interview_id=interview_id, for_update=True
        )
        recent = await messages_of(session=session, interview_id=interview.id, last=HISTORY_WINDOW)
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
        history=[*_utterances(recent[1 - HISTORY_WINDOW :]), Utterance("candidate", text)],
    )


def _utterances(messages: Sequence[Message]) -> list[Utterance]:
    return [
        Utterance(role="candidate" if m.role == "candidate" else "interviewer", content=m.content)
        for m in messages
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
        messages = await messages_of(session=session, interview_id=interview.id, last=1)
    await limits.llm_call(runtime=runtime, user_id=owner.id)
    return PendingTurn(interview_id=interview_id, owner=owner, candidate=messages[-1])


def _scene(
    runtime: Runtime,
    interview: Interview,
    director: Director,
    decision: Decision,
    history: Sequence[Utterance],
) -> Scene:
    return scene_for(
        director=director,
        rubric=runtime.content.rubrics[RoundType(interview.round)],
        decision=decision,
        history=history,
        role=interview.role,
        level=interview.level,
    )


async def reply(
    *, runtime: Runtime, pending: PendingTurn
) -> AsyncIterator[ReplyToken | ReplyStored]:
    """Decide and voice the interviewer's reply, streaming it, then store it with the new state."""
    interview, history = pending.interview, pending.history
    if interview is None or history is None:
        async with runtime.reading() as session:
            interview = await get_owned(
                session=session, owner=pending.owner, interview_id=pending.interview_id
            )
            # the voice sees a bounded window: the LLM context keeps the newest turns within
            # its token budget and digests a few older ones, so older messages are never needed
            history = _utterances(
                await messages_of(session=session, interview_id=interview.id, last=HISTORY_WINDOW)
            )
    outcome = None
    if pending.candidate.kind == "code":  # run the submitted code first, if not run yet
        outcome = await code.evaluate(runtime=runtime, message=pending.candidate)
    elapsed = (utcnow() - interview.created_at).total_seconds()
    state = state_of(interview)
    director = runtime.directors.director(interview)
    assessment = await assess_answer(
        runtime=runtime,
        director=director,
        state=state,
        text=pending.candidate.content,
        history=history,
    )
    decision = director.decide(
        state=state, assessment=assessment, elapsed_seconds=elapsed, code=outcome
    )
    spoken: Spoken | None = None
    try:
        async for event in runtime.voice.speak(
            _scene(runtime, interview, director, decision, history)
        ):
            if isinstance(event, Token):
                yield ReplyToken(event.text)
            else:
                spoken = event
    except LLMError as error:
        raise Unavailable(
            f"{error}. Your answer is saved; retry to get the interviewer's reply.",
            retryable=error.retryable,
            retry_after=error.retry_after,
        ) from error
    assert spoken is not None
    yield await _store_reply(runtime, pending, assessment, decision, spoken)


async def _store_reply(
    runtime: Runtime,
    pending: PendingTurn,
    assessment: Assessment,
    decision: Decision,
    spoken: Spoken,
) -> ReplyStored:
    message = Message(
        interview_id=pending.interview_id,
        seq=pending.candidate.seq + 1,
        role="interviewer",
        content=spoken.text,
        model=spoken.model,
        prompt_tokens=spoken.prompt_tokens,
        completion_tokens=spoken.completion_tokens,
        latency_ms=spoken.latency_ms,
        move=decision.move.model_dump(mode="json", include={"kind", "target_id", "reason"}),
    )
    async with runtime.sessions() as session, _conflicts():
        interview = await get_owned(
            session=session, owner=pending.owner, interview_id=pending.interview_id, for_update=True
        )
        if not interview.awaiting_reply:
            raise Conflict("this turn was answered by another request; reload the interview")
        interview.state = decision.state.model_dump(mode="json")
        interview.awaiting_reply, interview.updated_at = False, utcnow()
        # what the director decided from, kept for the scorer and for review
        await session.exec(
            update(Message)
            .where(col(Message.id) == pending.candidate.id)
            .values(assessment=assessment.model_dump(mode="json"))
        )
        session.add(message)
        await session.commit()
    return ReplyStored(message=message, interview=interview)


@dataclass(frozen=True)
class ReplyFailed:
    """The reply could not be produced; the answer stays stored and `retry` can redo it."""

    error: Exception


ReplyEvent = ReplyToken | ReplyStored | ReplyFailed


@dataclass
class ReplyRun:
    """A reply being produced by a task of its own: it finishes and stores the reply even if
    whoever started it stops listening, so a reload shows it."""

    events: asyncio.Queue[ReplyEvent | None] = field(default_factory=asyncio.Queue)
    ended: bool = False

    async def next_events(self) -> list[ReplyEvent]:
        """The next event and any others already waiting (one write for all); [] at the end."""
        if self.ended:
            return []
        batch: list[ReplyEvent] = []
        item = await self.events.get()
        while item is not None:
            batch.append(item)
            if self.events.empty():
                return batch
            item = self.events.get_nowait()
        self.ended = True
        return batch


def start_reply(*, runtime: Runtime, pending: PendingTurn) -> ReplyRun:
    """Produce the interviewer's reply to a stored answer in a task that outlives the request."""
    run = ReplyRun()

    async def produce() -> None:
        try:
            if pending.replay is not None:  # an idempotent replay: the turn is already stored
                run.events.put_nowait(pending.replay)
                return
            async for item in reply(runtime=runtime, pending=pending):
                run.events.put_nowait(item)
        except Exception as error:  # the caller decides how each failure is told
            run.events.put_nowait(ReplyFailed(error))
        finally:
            run.events.put_nowait(None)

    runtime.spawn(produce())
    return run


async def complete_reply(*, runtime: Runtime, pending: PendingTurn) -> ReplyStored:
    """The stored reply to an answer, produced by a task that outlives a dropped connection."""
    if pending.replay is not None:
        return pending.replay

    async def produce() -> ReplyStored:
        async for item in reply(runtime=runtime, pending=pending):
            if isinstance(item, ReplyStored):
                return item
        raise AssertionError("a turn always ends with the stored reply")

    return await asyncio.shield(runtime.spawn(produce()))
