"""What the benchmarks run on: a fake LLM process, the service as deployed, databases, clients."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx2
import sqlalchemy as sa

from app.cli import default_workers
from app.config import PROJECT_ROOT
from app.store.db import sync_url
from app.store.migrate import upgrade
from tests.servers import Server, serve

POSTGRES_URL = os.environ.get(
    "ONSITE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# limits that would otherwise stop a load test
UNLIMITED = {
    "ONSITE_MAX_LLM_CALLS_PER_MINUTE": "100000000",
    "ONSITE_MAX_INTERVIEWS_PER_DAY": "100000000",
    "ONSITE_MAX_MESSAGES_PER_INTERVIEW": "100000",
    # sign-ins are reserved against the limits before the password check: dozens of load
    # accounts signing in at once from one address would be refused for the window
    "ONSITE_LOGIN_ATTEMPTS_PER_ADDRESS": "100000",
    "ONSITE_LOGIN_ATTEMPTS_PER_USER": "100000",
}


def machine() -> str:
    """One line describing the machine the figures were taken on."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


@contextlib.contextmanager
def fake_llm(
    *, ttft: float = 0.0, tokens_per_second: float = 0.0, words: int = 40
) -> Iterator[str]:
    """A fake OpenAI-compatible server in a process of its own; yields its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fake_llm", str(ttft), str(tokens_per_second), str(words)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    with process:
        try:
            assert process.stdout is not None
            yield process.stdout.readline().strip()
        finally:
            process.kill()


def stats(llm_base: str) -> dict:
    """What the fake LLM has seen: calls and prompt sizes."""
    return httpx2.get(llm_base.removesuffix("/v1") + "/_stats", timeout=10).json()


def assessment_backends(url: str) -> list[str]:
    """Which backend assessed each stored candidate answer ("llm", or "offline" on a fallback)."""
    engine = sa.create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT assessment FROM message WHERE role = 'candidate'")
            ).scalars()
            return [
                (json.loads(a) if isinstance(a, str) else a)["backend"] for a in rows if a
            ]
    finally:
        engine.dispose()


@contextlib.contextmanager
def database(kind: str) -> Iterator[str]:
    """A fresh, migrated database: a SQLite file, or a PostgreSQL schema of its own."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.db"
            upgrade(url, root=PROJECT_ROOT)
            yield url
        return
    schema = f"onsite_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(sync_url(POSTGRES_URL))
    with admin.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    try:
        upgrade(url, root=PROJECT_ROOT)
        yield url
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@contextlib.contextmanager
def service(
    database_url: str,
    *,
    llm_base: str | None = None,
    model: str = "fake-model",
    workers: int | None = None,
    **env: str,
) -> Iterator[Server]:
    """The service as deployed (uvicorn subprocess, with as many worker processes as
    `onsite serve` starts by default), on an LLM (the fake by default) or offline."""
    settings = dict(UNLIMITED)
    if llm_base:
        settings |= {
            "ONSITE_LLM": "openai",
            "OPENAI_BASE_URL": llm_base,
            "OPENAI_API_KEY": "bench",
            "ONSITE_MODEL": model,
            # one LLM call a turn, the reply's, as the path's figures compare with one direct
            # call; figure 3 also measures a turn with the LLM's assessment (ONSITE_ASSESSOR=llm)
            "ONSITE_ASSESSOR": "offline",
        }
    settings |= env
    running = serve(
        database_url,
        workers=workers
        or int(os.environ.get("BENCH_WORKERS", "0"))
        or default_workers(database_url),
        **settings,
    )
    try:
        yield running
    finally:
        running.stop()


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of the values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    """The median, or NaN for no values."""
    return statistics.median(values) if values else float("nan")


async def _patiently(send) -> httpx2.Response:
    """Send until the server stops shedding load (503/429 with Retry-After), as a client should."""
    for _ in range(30):
        try:
            response = await send()
        except httpx2.TransportError:  # a kept-alive connection the busy server closed
            await asyncio.sleep(0.5)
            continue
        if response.status_code not in (429, 503):
            return response
        await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
    return await send()


async def raw_post(
    base: str, path: str, body: dict, headers: dict[str, str]
) -> tuple[bytes, float]:
    """POST over a fresh connection and read the whole response, raw (status line, headers,
    chunked body) until the server closes, and the seconds until its first byte: a load
    generator far lighter than an HTTP client library, for the figure with a thousand streams
    (with httpx2 the client took a core)."""
    host, port = base.removeprefix("http://").split(":")
    payload = json.dumps(body).encode()
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    request = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(payload)}\r\nConnection: close\r\n{head}\r\n"
    ).encode()
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(request + payload)
        first = await reader.read(1)
        waited = time.perf_counter() - started
        return first + await reader.read(), waited
    finally:
        writer.close()


async def sign_up(client: httpx2.AsyncClient, name: str = "bench") -> dict[str, str]:
    """A new account's Authorization header (set-up, not measured: waits out shed load)."""
    password = "benchmark tangerine kettle 42"
    user = {"username": name, "password": password}
    await _patiently(lambda: client.post("/api/v1/users", json=user))
    token = await _patiently(lambda: client.post("/api/v1/auth/token", data=user))
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


async def new_interview(client: httpx2.AsyncClient, auth: dict, **body) -> str:
    """A new interview's id (a custom behavioral question with a long budget by default)."""
    body = {
        "round": "behavioral",
        "question": "Tell me about a project you led.",
        "duration_minutes": 180,
        **body,
    }
    response = await _patiently(lambda: client.post("/api/v1/interviews", json=body, headers=auth))
    response.raise_for_status()
    return response.json()["id"]


async def accounts(client: httpx2.AsyncClient, count: int) -> list[dict[str, str]]:
    """Several candidates' Authorization headers: load spread over users, as in real use."""
    return list(await asyncio.gather(*(sign_up(client, f"bench{n}") for n in range(count))))


async def interviews_for(
    client: httpx2.AsyncClient, users: list[dict[str, str]], count: int
) -> list[tuple[dict[str, str], str]]:
    """count new interviews, spread round-robin over the users: (auth, interview id) pairs."""
    owners = [users[n % len(users)] for n in range(count)]
    ids = await asyncio.gather(*(new_interview(client, auth) for auth in owners))
    return list(zip(owners, ids, strict=True))
