"""Pooled PostgreSQL connections that die (a restart, a killed backend): a connection that
rested is checked and replaced before use; one used a moment ago fails its request with a
retryable 503, the pool reconnects, and nothing the candidate sent is lost."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from app.store.db import make_engine, sync_url
from tests.conftest import app_client, make_settings, sign_up
from tests.fake_llm import FakeLLM, default_responder
from tests.helpers import llm_settings, parse_sse

API = "/api/v1"


def _named(url: str) -> tuple[str, str]:
    """The URL with an application_name of its own, so a test can kill only its connections."""
    name = f"onsite_test_{uuid.uuid4().hex[:8]}"
    return f"{url}{'&' if '?' in url else '?'}application_name={name}", name


def _kill(admin_url: str, name: str) -> int:
    """Terminate every backend connected under `name`, as a server restart would: how many."""
    admin = sa.create_engine(sync_url(admin_url), poolclass=sa.pool.NullPool)
    try:
        with admin.connect() as connection:
            killed = connection.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = :name"
                ),
                {"name": name},
            ).all()
    finally:
        admin.dispose()
    return len(killed)


async def _backend(engine: Any) -> int:
    async with engine.connect() as connection:
        return (await connection.execute(sa.text("SELECT pg_backend_pid()"))).scalar_one()


async def test_a_connection_that_rested_is_pinged_and_replaced_if_dead(postgres_url: str) -> None:
    url, name = _named(postgres_url)
    engine = make_engine(url, pool_size=1, ping_after_idle=0.05)
    try:
        first = await _backend(engine)
        assert await _backend(engine) == first  # used a moment ago: reused, not pinged
        await asyncio.sleep(0.1)
        assert _kill(postgres_url, name) == 1
        second = await _backend(engine)  # the ping found it dead: a new connection
        assert second != first
    finally:
        await engine.dispose()


async def test_a_connection_used_a_moment_ago_is_not_pinged(postgres_url: str) -> None:
    url, name = _named(postgres_url)
    engine = make_engine(url, pool_size=1, ping_after_idle=60)
    try:
        await _backend(engine)
        assert _kill(postgres_url, name) == 1
        with pytest.raises(sa.exc.DBAPIError) as failed:
            await _backend(engine)  # not pinged, so the dead connection fails its statement
        assert failed.value.connection_invalidated
        await _backend(engine)  # and the pool has reconnected
    finally:
        await engine.dispose()


async def test_an_answer_on_a_lost_connection_is_a_retryable_503_and_nothing_is_lost(
    postgres_url: str,
) -> None:
    url, name = _named(postgres_url)
    async with app_client(make_settings(url, database_ping_after_idle=3600)) as api:
        auth = await sign_up(api)
        created = await api.post(f"{API}/interviews", json={"round": "behavioral"}, headers=auth)
        messages = f"{API}/interviews/{created.json()['id']}/messages"
        assert _kill(postgres_url, name) >= 1
        lost = await api.post(messages, json={"content": "I led the migration."}, headers=auth)
        assert lost.status_code == 503, lost.text
        assert lost.json()["retryable"] is True
        assert "connection to the database was lost" in lost.json()["detail"]
        assert int(lost.headers["Retry-After"]) >= 1
        again = await api.post(messages, json={"content": "I led the migration."}, headers=auth)
        assert again.status_code == 201, again.text
        shown = await api.get(f"{API}/interviews/{created.json()['id']}", headers=auth)
        assert [m["role"] for m in shown.json()["messages"]] == [
            "interviewer",
            "candidate",
            "interviewer",
        ]


async def test_a_reply_on_a_lost_connection_streams_a_retryable_error_and_retry_answers(
    postgres_url: str, fake_llm: FakeLLM
) -> None:
    url, name = _named(postgres_url)
    settings = llm_settings(url, fake_llm, database_ping_after_idle=3600)
    killed: list[int] = []

    def restart_while_voicing(body: dict) -> str:
        # the answer is committed by now; the reply will be stored on a dead connection
        killed.append(_kill(postgres_url, name))
        return default_responder(body)

    async with app_client(settings) as api:
        auth = await sign_up(api)
        created = await api.post(f"{API}/interviews", json={"round": "behavioral"}, headers=auth)
        interview = f"{API}/interviews/{created.json()['id']}"
        fake_llm.responder = restart_while_voicing
        streamed = await api.post(
            f"{interview}/messages",
            json={"content": "I led the migration."},
            headers={**auth, "Accept": "text/event-stream"},
        )
        fake_llm.responder = default_responder
        assert killed and killed[0] >= 1
        events = parse_sse(streamed.text)
        assert [name for name, _ in events][-2:] == ["token", "error"]
        error = events[-1][1]
        assert "connection to the database was lost" in error["detail"]
        assert error["retryable"] is True
        retried = await api.post(f"{interview}/retry", headers=auth)
        assert retried.status_code == 200, retried.text
        shown = (await api.get(interview, headers=auth)).json()["messages"]
        assert [m["role"] for m in shown] == ["interviewer", "candidate", "interviewer"]
        assert shown[1]["content"] == "I led the migration."
