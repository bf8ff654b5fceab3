"""Server-sent events for streamed turns, shared by the API and the web chat."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi.responses import StreamingResponse

from app.http.errors import error_body, shed
from app.services import replies
from app.services.errors import ServiceError
from app.services.replies import ReplyEvent, ReplyToken
from app.services.runtime import Runtime
from app.services.turns import PendingTurn, ReplyStored

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


def _frame(item: ReplyEvent, done: Callable[[ReplyStored], dict[str, Any]]) -> str:
    if isinstance(item, ReplyToken):
        return event("token", {"text": item.text})
    if isinstance(item, ReplyStored):
        return event("done", done(item))
    if isinstance(item.error, ServiceError):
        return event("error", error_body(item.error))
    busy = shed(item.error)
    if busy is None:
        log.error("a streamed turn failed", exc_info=item.error)
    return event("error", INTERNAL if busy is None else error_body(busy))


def turn_stream(
    runtime: Runtime,
    pending: PendingTurn,
    *,
    candidate: dict[str, Any] | None,
    done: Callable[[ReplyStored], dict[str, Any]],
    status_code: int,
) -> StreamingResponse:
    """Stream a turn: the stored answer, the reply's tokens, then the stored reply or an error.
    The reply runs in the service's task, which finishes and stores it if the client leaves."""
    run = replies.start_reply(runtime=runtime, pending=pending)

    async def frames() -> AsyncIterator[str]:
        if candidate is not None:
            yield event("candidate", candidate)
        while batch := await run.next_events():
            yield "".join(_frame(item, done) for item in batch)

    return StreamingResponse(
        frames(),
        status_code=status_code,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
