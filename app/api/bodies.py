"""Guards on request bodies: a size limit and a time limit, both answered with the JSON error."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence

from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimit:
    """Refuse a request body over `limit` bytes with the JSON error (413 `too_large`).

    Starlette's own limit answers a declared Content-Length over the limit in plain text, and
    replaces any response to it with that text; this one answers JSON before the app runs, and
    a streamed body that grows past the limit raises the 413 where the route reads it."""

    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        uploads: Sequence[tuple[re.Pattern[str], int]] = (),
    ) -> None:
        self.app = app
        self.limit = limit
        # routes that take a file (a recorded answer, a CV PDF): (path pattern, their limit)
        self.uploads = tuple(uploads)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        limit = next((size for route, size in self.uploads if route.search(path)), self.limit)
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            response = JSONResponse(
                self._error(limit), status_code=413, headers={"Connection": "close"}
            )
            await response(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise HTTPException(413, str(self._error(limit)["detail"]))
            return message

        await self.app(scope, limited, send)

    def _error(self, limit: int) -> dict[str, object]:
        return {
            "detail": f"the request body is larger than the limit of {limit} bytes",
            "code": "too_large",
            "retryable": False,
        }


class BodyDeadline:
    """Refuse a request whose body has not fully arrived `seconds` after the request began
    (408 `timeout`, and the connection is closed), so a client that trickles its body cannot
    hold a connection and a request slot for ever. The request line and headers have a time
    limit of their own in `app.server`, since the app only sees a request once they are in."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deadline = asyncio.get_running_loop().time() + self.seconds
        complete = False

        async def timed() -> Message:
            nonlocal complete
            if complete:  # later receives wait for a disconnect (streaming replies): no limit
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise HTTPException(
                    408,
                    f"the request body did not arrive within {self.seconds:g} seconds",
                    headers={"Connection": "close"},
                ) from None
            complete = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        await self.app(scope, timed, send)
