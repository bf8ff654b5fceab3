"""The speech servers checked, as the chat model is at start-up: each configured server answers
and lists its model (when it lists models).

A failure is logged and shown in /healthz; it does not stop the service, since answers can
still be typed (and the browser's own voice speaks). The result is kept and refreshed in the
background while /healthz is asked, so it follows the servers' real state.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any, Literal

from app.llm.audio import AudioClient, SpeechError

log = logging.getLogger(__name__)
Role = Literal["transcription", "speech"]
ROLES: tuple[Role, ...] = ("transcription", "speech")
_SETTING: dict[Role, str] = {"transcription": "ONSITE_STT_MODEL", "speech": "ONSITE_TTS_MODEL"}
_FALLBACK: dict[Role, str] = {
    "transcription": "recorded answers fail until it is fixed; answers can still be typed",
    "speech": "the browser's own voice speaks the interviewer's replies instead",
}


@dataclass(frozen=True)
class ServerCheck:
    """What one check of a speech server found."""

    role: Role
    model: str
    server: str
    available: bool
    # the server listed the model; False when it lists no models (only its answer is known)
    model_listed: bool
    reason: str | None

    def public(self) -> dict[str, Any]:
        """As /healthz shows it."""
        return {
            "model": self.model,
            "server": self.server,
            "available": self.available,
            "model_listed": self.model_listed,
            "reason": self.reason,
        }

    def describe(self) -> str:
        """One line for the start-up log."""
        if not self.available:
            return (
                f"{self.role}: NOT usable: {self.reason} ({_SETTING[self.role]}={self.model}, "
                f"server {self.server}); {_FALLBACK[self.role]}"
            )
        known = "serves the model" if self.model_listed else "lists no models to check"
        return f"{self.role}: {self.model} at {self.server} (the server answers and {known})"


@dataclass(frozen=True)
class SpeechServer:
    """A configured speech server: its role, client and model."""

    role: Role
    client: AudioClient
    model: str


class SpeechChecks:
    """The latest check of each configured speech server, refreshed when older than
    `refresh_seconds` (in the background: a caller never waits for a refresh)."""

    def __init__(
        self,
        servers: list[SpeechServer],
        *,
        timeout: float = 5.0,
        refresh_seconds: float = 60.0,
    ):
        self.servers = servers
        self.timeout = timeout
        self.refresh_seconds = refresh_seconds
        self._found: dict[Role, ServerCheck] = {}
        self._checked_at: float | None = None
        self._lock: asyncio.Lock | None = None
        self._task: asyncio.Task[list[ServerCheck]] | None = None

    def start(self) -> None:
        """Check in the background now (at start-up), without holding anything up."""
        if self.servers and self._task is None:
            self._task = asyncio.ensure_future(self.run())

    async def latest(self) -> dict[Role, ServerCheck]:
        """The latest checks by role: the first call waits for one, later calls answer at once
        and start a new check when the last is old."""
        if not self.servers:
            return {}
        if self._checked_at is None:
            await self.run(unless_done=True)
        elif time.monotonic() - self._checked_at > self.refresh_seconds and (
            self._task is None or self._task.done()
        ):
            self._task = asyncio.ensure_future(self.run())
        return dict(self._found)

    async def run(
        self, *, unless_done: bool = False, log_changes: bool = True
    ) -> list[ServerCheck]:
        """Check every configured server now (one run at a time) and keep the result; a change
        from the last result is logged (unless the caller reports it itself)."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if unless_done and self._checked_at is not None:
                return list(self._found.values())
            found = [await self._check(server) for server in self.servers]
            for check in found:
                before = self._found.get(check.role)
                if log_changes and (before is None or before.available != check.available):
                    (log.info if check.available else log.error)("%s", check.describe())
                self._found[check.role] = check
            self._checked_at = time.monotonic()
        return found

    async def _check(self, server: SpeechServer) -> ServerCheck:
        where = str(server.client.base_url or "https://api.openai.com/v1")
        try:
            listed = await server.client.check(
                model=server.model, what=server.role, seconds=self.timeout
            )
        except SpeechError as error:
            return ServerCheck(server.role, server.model, where, False, False, str(error))
        return ServerCheck(server.role, server.model, where, True, listed, None)


def speech_checks(
    *,
    transcriber: AudioClient | None,
    stt_model: str | None,
    synthesizer: AudioClient | None,
    tts_model: str | None,
) -> SpeechChecks:
    """The checks of whichever speech servers are configured."""
    servers = []
    if transcriber is not None and stt_model:
        servers.append(SpeechServer("transcription", transcriber, stt_model))
    if synthesizer is not None and tts_model:
        servers.append(SpeechServer("speech", synthesizer, tts_model))
    return SpeechChecks(servers)
