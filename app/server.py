"""The HTTP protocol `onsite serve` runs: uvicorn's, with a time limit on a request's headers.

uvicorn (0.55) closes an idle keep-alive connection after `timeout_keep_alive`, but that timer
restarts on every byte received, so a client that sends its request line and headers one byte
at a time holds a connection for ever (slowloris), and no ASGI middleware can help: the app
only sees a request once its headers are complete. This protocol closes a connection whose
next request's headers have not all arrived `header_timeout_seconds` after the connection
opened or its previous response ended. The body's time limit is `app.api.bodies.BodyDeadline`.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

from uvicorn.protocols.http.auto import AutoHTTPProtocol

from app.config import Settings


@functools.cache
def _header_seconds() -> float:
    return Settings().header_timeout_seconds


# uvicorn picks AutoHTTPProtocol at import (httptools or h11), so to mypy it is a variable
class SlowClientProtocol(AutoHTTPProtocol):  # type: ignore[misc,valid-type]
    """uvicorn's HTTP protocol (httptools, or h11), closing connections whose headers crawl."""

    _header_timer: asyncio.TimerHandle | None = None
    _waiting_after: Any = None  # the request/response cycle before the request being awaited

    def connection_made(self, transport: Any) -> None:
        """Start the clock for the first request's headers."""
        super().connection_made(transport)
        self._expect_headers()

    def data_received(self, data: bytes) -> None:
        """Stop the clock once the parser has made the request's cycle: its headers are in."""
        super().data_received(data)
        if self._header_timer is not None and self.cycle is not self._waiting_after:
            self._stop_clock()

    def on_response_complete(self) -> None:
        """Start the clock for the next request on this keep-alive connection."""
        super().on_response_complete()
        if not self.transport.is_closing():
            self._expect_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        """Nothing left to time."""
        self._stop_clock()
        super().connection_lost(exc)

    def _expect_headers(self) -> None:
        self._stop_clock()
        self._waiting_after = self.cycle
        self._header_timer = self.loop.call_later(_header_seconds(), self._headers_too_slow)

    def _stop_clock(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        in_flight = self.cycle is not None and not self.cycle.response_complete
        if not in_flight and not self.transport.is_closing():
            # mid-headers there is no request to answer: close, as nginx and Go's servers do
            self.transport.close()
