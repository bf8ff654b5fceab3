"""A turn's second half: assess the stored answer, decide the move, voice it, store it.

The reply runs in a task of its own that finishes and stores it even if the client went away;
callers stream its events (`start_reply`) or wait for the stored reply (`complete_reply`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

from sqlmodel import col, update

from app.content.models import RoundType
from app.engine.assessment import Assessment
from app.engine.director import Director
from app.engine.moves import Decision
from app.llm.client import LLMError
from app.services import code
from app.services.assessing import assess_answer
from app.services.errors import Conflict, Unavailable
from app.services.interviews import get_owned, recent_lines, state_of
from app.services.runtime import Runtime
from app.services.turns import (
    HISTORY_WINDOW,
    PendingTurn,
    ReplyStored,
    conflicts,
    utterances,
)
from app.store.models import Interview, Message
from app.store.types import utcnow
from app.voice.scene import Scene, Spoken, Token, Utterance, scene_for


@dataclass(frozen=True)
class ReplyToken:
    """A piece of the interviewer's reply as it streams."""

    text: str



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
            history = utterances(
                await recent_lines(session=session, interview_id=interview.id, last=HISTORY_WINDOW)
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
    async with runtime.writing() as session, conflicts():
        # one statement checks that the answer still awaits this reply and stores the new state
        replied = update(Interview).where(
            col(Interview.id) == pending.interview_id,
            col(Interview.owner_id) == pending.owner.id,
            col(Interview.awaiting_reply),
        )
        state = decision.state.model_dump(mode="json")
        interview = (
            await session.exec(
                replied.values(state=state, awaiting_reply=False, updated_at=utcnow()).returning(
                    Interview
                )
            )
        ).scalars().first()
        if interview is None:
            raise Conflict("this turn was answered by another request; reload the interview")
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
