"""Server-sent events for streamed turns, shared by the API and the web chat."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi.responses import StreamingResponse

from app.api.errors import error_body
from app.services import turns
from app.services.errors import ServiceError
from app.services.runtime import Runtime
from app.services.turns import PendingTurn, ReplyStored, ReplyToken


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
    """Stream a turn: the stored answer, the reply's tokens, then the stored reply or an error."""

    async def frames() -> AsyncIterator[str]:
        if candidate is not None:
            yield event("candidate", candidate)
        try:
            async for item in turns.reply(runtime=runtime, pending=pending):
                if isinstance(item, ReplyToken):
                    yield event("token", {"text": item.text})
                else:
                    yield event("done", done(item))
        except ServiceError as error:
            yield event("error", error_body(error))

    return StreamingResponse(
        frames(),
        status_code=status_code,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
