"""The real service, in process, on a throwaway SQLite database: what evaluations talk to.

Each conversation goes through the same routes, services, director, voice and scorer as a
candidate's browser; only the clock is simulated (the interview's start is moved back before
each answer), so pacing by time can be evaluated without waiting.
"""

from __future__ import annotations

import secrets
import tempfile
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx
from pydantic import SecretStr
from sqlmodel import col, select, update

from app.config import Settings
from app.engine.state import InterviewState
from app.main import create_app
from app.services.runtime import Runtime
from app.store.migrate import upgrade
from app.store.models import Interview, Message
from app.store.types import utcnow

API = "/api/v1"


class ServiceError(Exception):
    """The service refused a request the evaluation needed."""


@dataclass(frozen=True)
class Reply:
    """The interviewer's reply to one message, with the move behind it as far as it is known."""

    text: str
    phase: str
    move: dict[str, Any] | None
    state: InterviewState


def eval_settings(base: Settings, database_url: str) -> Settings:
    """The settings an evaluation runs with: the base's interviewer, a private database, no
    limits in the way, no code execution."""
    return base.model_copy(
        update={
            "database_url": database_url,
            "env": "development",
            "secret_key": SecretStr(secrets.token_urlsafe(32)),
            "max_interviews_per_day": 1_000_000,
            "max_llm_calls_per_minute": 1_000_000,
            "max_messages_per_interview": 1_000,
            "code_runner": "off",
            "offline_word_delay_ms": 0,
        }
    )


class LocalService:
    """The app in process with a signed-in candidate; use as an async context manager."""

    def __init__(self, settings: Settings):
        self._base = settings
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._client: httpx.AsyncClient | None = None
        self._headers: dict[str, str] = {}
        self.runtime: Runtime | None = None

    async def __aenter__(self) -> Self:
        self._folder = tempfile.TemporaryDirectory(prefix="onsite-eval-")
        url = f"sqlite:///{Path(self._folder.name) / 'eval.db'}"
        settings = eval_settings(self._base, url)
        upgrade(url, root=settings.content_dir)
        app = create_app(settings)
        self.runtime = app.state.runtime
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://onsite.eval", timeout=120
        )
        await self._sign_up()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
        if self.runtime is not None:
            await self.runtime.drain(grace_seconds=5)
            if self.runtime.llm is not None:
                await self.runtime.llm.aclose()
            await self.runtime.engine.dispose()
        if self._folder is not None:
            self._folder.cleanup()

    async def _sign_up(self) -> None:
        credentials = {"username": "eval-candidate", "password": secrets.token_urlsafe(16)}
        await self._call("POST", "/users", json=credentials, expect=201)
        token = await self._call("POST", "/auth/token", data=credentials, expect=200)
        self._headers = {"Authorization": f"Bearer {token['access_token']}"}

    async def _call(self, method: str, path: str, *, expect: int, **kwargs: Any) -> Any:
        assert self._client is not None, "use LocalService as an async context manager"
        response = await self._client.request(method, API + path, headers=self._headers, **kwargs)
        if response.status_code != expect:
            raise ServiceError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response.json() if response.content else None

    async def start(self, *, round_id: str, question_id: str) -> tuple[str, str]:
        """Start an interview on one question; its id and the interviewer's opening."""
        body = {"round": round_id, "question_id": question_id}
        created = await self._call("POST", "/interviews", json=body, expect=201)
        return created["id"], created["messages"][-1]["content"]

    async def set_elapsed(self, interview_id: str, seconds: float) -> None:
        """Make the interview look as if it started `seconds` ago (the simulated clock)."""
        assert self.runtime is not None
        started = utcnow() - timedelta(seconds=seconds)
        async with self.runtime.writing() as session:
            await session.exec(
                update(Interview)
                .where(col(Interview.id) == uuid.UUID(interview_id))
                .values(created_at=started)
            )
            await session.commit()

    async def answer(self, interview_id: str, text: str) -> Reply:
        """Send one candidate message; the interviewer's reply and the move behind it."""
        turn = await self._call(
            "POST", f"/interviews/{interview_id}/messages", json={"content": text}, expect=201
        )
        interviewer = turn["interviewer"]
        # the API says only the move's kind while the interview runs (its target and reason name
        # what is missing); the evaluation reads the whole move as a reviewer would, stored
        move = await self._stored_move(interview_id, interviewer["seq"])
        return Reply(
            text=interviewer["content"],
            phase=turn["phase"],
            move=move if isinstance(move, dict) else None,
            state=await self.state(interview_id),
        )

    async def _stored_move(self, interview_id: str, seq: int) -> dict[str, Any] | None:
        assert self.runtime is not None
        async with self.runtime.reading() as session:
            message = (
                await session.exec(
                    select(Message).where(
                        Message.interview_id == uuid.UUID(interview_id), Message.seq == seq
                    )
                )
            ).first()
        return None if message is None else message.move

    async def state(self, interview_id: str) -> InterviewState:
        """The director's stored state for the interview."""
        assert self.runtime is not None
        async with self.runtime.reading() as session:
            row = await session.get(Interview, uuid.UUID(interview_id))
            if row is None:
                raise ServiceError(f"interview {interview_id} is gone")
            return InterviewState.model_validate(row.state)

    async def finish(self, interview_id: str) -> dict[str, Any]:
        """End and score the interview; the scorecard as the API returns it."""
        await self._call("POST", f"/interviews/{interview_id}/finish", expect=200)
        return await self._call("GET", f"/interviews/{interview_id}/scorecard", expect=200)

    async def transcript(self, interview_id: str) -> list[dict[str, Any]]:
        """The interview's messages, in order."""
        interview = await self._call("GET", f"/interviews/{interview_id}", expect=200)
        return interview["messages"]
