"""Server-sent events for streamed turns, shared by the API and the web chat."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi.responses import StreamingResponse

from app.api.errors import error_body, shed
from app.services import turns
from app.services.errors import ServiceError
from app.services.runtime import Runtime
from app.services.turns import PendingTurn, ReplyStored, ReplyToken

log = logging.getLogger("onsite.turns")
INTERNAL = {
    "detail": "the reply failed unexpectedly; your answer is saved: retry",
    "code": "internal",
    "retryable": True,
}


def event(name: str, data: Any) -> str:
    """One SSE frame: an event name and a JSON payload."""
    return f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'), default=str)}\n\n"


def wants_stream(accept: str | None) -> bool:
    """True when the client asked for text/event-stream."""
    return accept is not None and "text/event-stream" in accept.lower()


def turn_stream(
    runtime: Runtime,
    pending: PendingTurn,
    *,
    candidate: dict[str, Any] | None,
    done: Callable[[ReplyStored], dict[str, Any]],
    status_code: int,
) -> StreamingResponse:
    """Stream a turn: the stored answer, the reply's tokens, then the stored reply or an error.

    The reply is produced by a task of its own: if the client goes away mid-stream the task
    still finishes and stores the reply, so a reload shows it.
    """
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    async def produce() -> None:
        try:
            if pending.replay is not None:  # an idempotent replay: the turn is already stored
                queue.put_nowait(event("done", done(pending.replay)))
                return
            async for item in turns.reply(runtime=runtime, pending=pending):
                if isinstance(item, ReplyToken):
                    queue.put_nowait(event("token", {"text": item.text}))
                else:
                    queue.put_nowait(event("done", done(item)))
        except ServiceError as error:
            queue.put_nowait(event("error", error_body(error)))
        except Exception as error:
            busy = shed(error)
            if busy is None:
                log.exception("a streamed turn failed")
            queue.put_nowait(event("error", INTERNAL if busy is None else error_body(busy)))
        finally:
            queue.put_nowait(None)

    runtime.spawn(produce())

    async def frames() -> AsyncIterator[str]:
        if candidate is not None:
            yield event("candidate", candidate)
        ended = False
        while not ended:
            frame = await queue.get()
            if frame is None:
                return
            # under load several frames are waiting by the time this runs: one write for all
            waiting = [frame]
            while not queue.empty():
                more = queue.get_nowait()
                if more is None:
                    ended = True
                    break
                waiting.append(more)
            yield "".join(waiting)

    return StreamingResponse(
        frames(),
        status_code=status_code,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def collect(runtime: Runtime, pending: PendingTurn) -> ReplyStored:
    """The stored reply of a turn, produced by a task that outlives a dropped connection."""
    if pending.replay is not None:
        return pending.replay

    async def produce() -> ReplyStored:
        async for item in turns.reply(runtime=runtime, pending=pending):
            if isinstance(item, ReplyStored):
                return item
        raise AssertionError("a turn always ends with the stored reply")

    return await asyncio.shield(runtime.spawn(produce()))
