"""What the services work with: settings, content, the database and the chosen voice and grader."""

from __future__ import annotations

import asyncio
import logging
import math
import os
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import Settings
from app.content.loader import Content
from app.core.cache import TTLCache
from app.llm.audio import AudioClient, synthesizer_from_settings, transcriber_from_settings
from app.llm.client import LLMClient, client_from_settings
from app.sandbox.backends import Backend, Bubblewrap, Limits, UnsafeLocal
from app.sandbox.runner import CodeRunner
from app.services.directors import Directors
from app.services.speech_checks import SpeechChecks, speech_checks
from app.store.db import make_sessionmaker
from app.store.models import User
from app.store.types import utcnow
from app.voice.base import Voice
from app.voice.llm import LLMVoice
from app.voice.offline import OfflineVoice

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Runtime:
    """Long-lived parts of the service, built once at start-up and injected."""

    settings: Settings
    content: Content
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    read_sessions: async_sessionmaker[AsyncSession]
    voice: Voice
    opening_voice: OfflineVoice
    llm: LLMClient | None
    runner: CodeRunner
    directors: Directors
    # turns being voiced; they finish and store their reply even if the client went away
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    # verified tokens' users by token id (see users.from_token)
    token_cache: TTLCache[str, User] = field(default_factory=lambda: TTLCache(seconds=0))
    # SQLite has one writer per file: this process's writers queue here, on the loop, and meet
    # only another process's writer in SQLite's busy handler (which sleeps up to 100 ms a try)
    write_turns: AbstractAsyncContextManager[Any] = field(default_factory=nullcontext)
    # the time practice items fall due by (tests set their own)
    clock: Callable[[], datetime] = utcnow
    # speech servers, when configured (ONSITE_STT_MODEL, ONSITE_TTS_MODEL)
    transcriber: AudioClient | None = None
    synthesizer: AudioClient | None = None
    # the latest start-up check of those servers (/healthz shows it)
    speech_checks: SpeechChecks = field(default_factory=lambda: SpeechChecks([]))

    async def aclose(self) -> None:
        """Close the connections to the model servers."""
        for client in (self.llm, self.transcriber, self.synthesizer):
            if client is not None:
                await client.aclose()

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncSession]:
        """A session that writes: on SQLite it waits its turn for the file's write lock."""
        async with self.write_turns, self.sessions() as session:
            yield session

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A session that only reads: no write lock on SQLite, and its transaction ends (its
        connection back in the pool) when the block does, not when the session's close runs
        in a task of its own a loop iteration later (which, under load, is long)."""
        async with self.read_sessions() as session:
            yield session
            await session.commit()  # nothing to write: ends the transaction, expires nothing

    def spawn(self, work: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        """Run work to completion independently of the request that started it."""
        task = asyncio.get_running_loop().create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def drain(self, grace_seconds: float) -> None:
        """Let running turns finish (at shutdown), up to a timeout."""
        if self.tasks:
            await asyncio.wait(set(self.tasks), timeout=grace_seconds)


def runner_from_settings(settings: Settings) -> CodeRunner:
    """The code runner the settings ask for; never silently unsafe."""
    limits = Limits(
        wall_seconds=settings.sandbox_wall_seconds,
        cpu_seconds=max(1, math.ceil(settings.sandbox_wall_seconds)),
        memory_mb=settings.sandbox_memory_mb,
        processes=settings.sandbox_processes,
        output_bytes=settings.sandbox_output_bytes,
    )
    backend: Backend | None = None
    disabled: str | None = None
    # each server process (onsite serve starts one per core) gets uids of its own for its slots
    uid_base = settings.sandbox_uid_base + (os.getpid() % 500) * 64
    match settings.code_runner:
        case "auto" | "bubblewrap":
            backend = Bubblewrap(python=settings.sandbox_python, uid_base=uid_base)
        case "unsafe-local":
            log.warning(
                "ONSITE_CODE_RUNNER=unsafe-local: candidates' code runs WITHOUT a sandbox "
                "(rlimits and an unprivileged uid only); use it only for yourself"
            )
            backend = UnsafeLocal(python=settings.sandbox_python, uid_base=uid_base)
        case "off":
            disabled = "code execution is switched off on this server (ONSITE_CODE_RUNNER=off)"
    return CodeRunner(
        backend=backend,
        limits=limits,
        workers=settings.sandbox_workers,
        queue_limit=settings.sandbox_queue,
        disabled_reason=disabled,
    )


def build_runtime(
    *,
    settings: Settings,
    content: Content,
    engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
) -> Runtime:
    """Choose the voice from settings: offline by default, the LLM when configured."""
    offline = OfflineVoice(content.prompts, word_delay_ms=settings.offline_word_delay_ms)
    llm: LLMClient | None = None
    voice: Voice = offline
    if settings.llm == "openai":
        llm = client_from_settings(settings)
        voice = LLMVoice(
            llm, content.prompts, token_budget=settings.context_token_budget, fallback=offline
        )
    transcriber = transcriber_from_settings(settings)
    synthesizer = synthesizer_from_settings(settings)
    return Runtime(
        settings=settings,
        content=content,
        engine=engine,
        sessions=sessions,
        read_sessions=make_sessionmaker(engine, read_only=True),
        voice=voice,
        opening_voice=offline,
        llm=llm,
        runner=runner_from_settings(settings),
        directors=Directors(content),
        token_cache=TTLCache(seconds=settings.token_cache_seconds),
        write_turns=asyncio.Lock() if engine.dialect.name == "sqlite" else nullcontext(),
        transcriber=transcriber,
        synthesizer=synthesizer,
        speech_checks=speech_checks(
            transcriber=transcriber,
            stt_model=settings.stt_model,
            synthesizer=synthesizer,
            tts_model=settings.tts_model,
        ),
    )
