"""The FastAPI application factory."""

from __future__ import annotations

import gc
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.api import bodies, openapi
from app.api.routes import (
    code,
    health,
    interviews,
    loops,
    practice,
    recordings,
    rounds,
    shares,
    speech,
    tailoring,
    users,
)
from app.config import Settings
from app.content.loader import load_content_once
from app.engine.typos import warm_up
from app.http import errors
from app.services.runtime import build_runtime
from app.store.db import make_engine, make_sessionmaker
from app.web import errors as web_errors
from app.web.pages import make_templates
from app.web.routes import account, diagram, interview, review
from app.web.routes import code as web_code
from app.web.routes import loops as web_loops
from app.web.routes import practice as web_practice
from app.web.routes import recordings as web_recordings
from app.web.routes import settings as web_settings
from app.web.routes import shares as web_shares
from app.web.routes import speech as web_speech
from app.web.security import SecurityHeaders
from app.web.tailor_form import MAX_PDF_BYTES

STATIC = Path(__file__).parent / "static"
# what a multipart form adds around an uploaded file: its other fields and the framing
FORM_OVERHEAD = 64 * 1024


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app: content is loaded and validated now, so a bad file fails at start-up."""
    settings = settings or Settings()
    content = load_content_once(settings.content_dir)
    engine = make_engine(
        settings.database_url,
        pool_size=settings.database_pool_size,
        pool_timeout=settings.database_pool_timeout,
        ping_after_idle=settings.database_ping_after_idle,
    )
    runtime = build_runtime(
        settings=settings, content=content, engine=engine, sessions=make_sessionmaker(engine)
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # what start-up built (content, templates, the app) lives as long as the process: keep
        # it out of the collector, whose full passes over it took ~80 ms, a pause on every turn
        # in flight at the time
        warm_up()  # the typo index, built once here rather than on a candidate's first message
        gc.collect()
        gc.freeze()
        # the speech servers are checked as the service starts, without holding it up: a
        # failure is logged and shown in /healthz (answers can still be typed)
        runtime.speech_checks.start()
        yield
        await runtime.drain(grace_seconds=settings.shutdown_grace_seconds)
        await runtime.aclose()
        await engine.dispose()

    app = FastAPI(
        title="onsite",
        version="0.1.0",
        lifespan=lifespan,
        description="Mock interviews for ML, research and software roles.",
    )
    app.state.runtime = runtime
    app.state.templates = make_templates(content)
    errors.install(app, html=web_errors.error_page)
    openapi.install(app)
    web_errors.install(app)
    for module in (
        users, rounds, interviews, code, health, account, interview, web_code, review, diagram
    ):
        app.include_router(module.router)
    for module in (loops, tailoring, practice, shares, web_loops, web_practice, web_shares):
        app.include_router(module.router)
    app.include_router(speech.router)
    app.include_router(recordings.router)
    app.include_router(web_speech.router)
    app.include_router(web_recordings.router)
    app.include_router(web_settings.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(SecurityHeaders)
    app.add_middleware(
        bodies.BodyLimit,
        limit=settings.max_body_bytes,
        uploads=(
            # transcriptions, and recordings kept for users who opted in: a recording, its
            # form fields and the multipart framing
            (
                re.compile(r"/(transcriptions|recordings/\d+)$"),
                max(settings.max_body_bytes, settings.stt_max_bytes + FORM_OVERHEAD),
            ),
            # a CV as a PDF: the web forms that start an interview or a loop, and the API read
            (
                re.compile(r"^/(interviews|loops/[^/]+/runs|api/v1/cv)$"),
                max(settings.max_body_bytes, MAX_PDF_BYTES + FORM_OVERHEAD),
            ),
        ),
    )
    app.add_middleware(bodies.BodyDeadline, seconds=settings.body_timeout_seconds)
    return app
