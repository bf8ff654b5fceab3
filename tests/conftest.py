"""Shared fixtures: a clean database per test (SQLite and PostgreSQL), the app, API clients."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
import sqlalchemy as sa
from fastapi import FastAPI

from app.config import PROJECT_ROOT, Settings
from app.content.loader import Content, load_content
from app.main import create_app
from app.services.runtime import Runtime
from app.store.db import sync_url
from app.store.migrate import upgrade
from tests.fake_llm import FakeLLM

POSTGRES_URL = os.environ.get(
    "ONSITE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TABLES = [
    "messagerecording",
    "sharelink",
    "practicereview",
    "practiceitem",
    "looprunround",
    "looprun",
    "coderun",
    "criterionscore",
    "scorecard",
    "message",
    "interview",
    "ratecounter",
    "revokedtoken",
    '"user"',
]


# The files that take longest, with their seconds in a full run on a busy two-core machine. Each
# file runs in one process (`--dist loadfile`); pytest-xdist hands out the files with the most
# tests first (`--loadscope-reorder`, its default), which left the longest files, a few long tests
# each, for the end, with one worker busy and the other done. They start first instead, longest
# first (`--no-loadscope-reorder` in pyproject.toml keeps this order). Only the order depends on
# these numbers.
SLOWEST_FILES = {
    "test_real_llm.py": 145,
    "test_eval.py": 144,
    "test_bench_smoke.py": 136,
    "browser/test_web_ui.py": 94,
    "test_processes.py": 69,
    "test_fuzz.py": 67,
    "test_sandbox.py": 65,
    "browser/test_speech.py": 49,
    "browser/test_scorecard.py": 47,
    "browser/test_pad.py": 45,
    "browser/test_diagram.py": 44,
    "test_code_bank.py": 41,
    "browser/test_chat.py": 35,
    "browser/test_pages.py": 34,
    "browser/test_progress.py": 32,
    "test_speech_api.py": 31,
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slowest files first, longest first; the rest in their usual order."""

    def seconds(item: pytest.Item) -> int:
        path = item.path.relative_to(Path(__file__).parent).as_posix()
        return SLOWEST_FILES.get(path, 0)

    items.sort(key=lambda item: -seconds(item))


@pytest.fixture(scope="session")
def content() -> Content:
    """The real content, loaded once."""
    return load_content(PROJECT_ROOT)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "onsite.db"
    upgrade(f"sqlite:///{path}", root=PROJECT_ROOT)
    return path


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    """A migrated schema of its own in the test PostgreSQL database, dropped at the end."""
    schema = f"onsite_test_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(sync_url(POSTGRES_URL))
    try:
        with admin.begin() as connection:
            connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    except sa.exc.OperationalError as error:
        admin.dispose()
        message = f"PostgreSQL is not reachable at {POSTGRES_URL}: {error.orig}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    url = _with_schema(POSTGRES_URL, schema)
    upgrade(url, root=PROJECT_ROOT)
    yield url
    with admin.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def _with_schema(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A clean, migrated database for one test, on each backend."""
    if request.param == "sqlite":
        return _sqlite_copy(request.getfixturevalue("sqlite_template"), tmp_path)
    return _clean(request.getfixturevalue("postgres_schema"))


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A clean SQLite database alone, for what does not depend on the database."""
    return _sqlite_copy(sqlite_template, tmp_path)


# for a test of what does not depend on the database, though it runs through the app
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _sqlite_copy(template: Path, folder: Path) -> str:
    path = folder / "onsite.db"
    shutil.copy(template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def postgres_url(postgres_schema: str) -> str:
    """A clean PostgreSQL database alone, for what only PostgreSQL can do (several servers)."""
    return _clean(postgres_schema)


def _clean(url: str) -> str:
    engine = sa.create_engine(sync_url(url))
    with engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {', '.join(TABLES)} CASCADE"))
    engine.dispose()
    return url


def make_settings(database_url: str, **overrides: Any) -> Settings:
    """Settings for tests: the given database, offline unless overridden."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "env": "test",
        "secret_key": "test-secret-" + "x" * 32,
        "llm": "offline",
        # the limits have tests of their own; elsewhere they must not get in the way
        "max_llm_calls_per_minute": 100_000,
        "max_interviews_per_day": 100_000,
        # argon2 at production cost was ~4 minutes of the suite; its own test uses that cost
        "password_hash_profile": "test",
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Offline settings on the test's database."""
    return make_settings(database_url)


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[AppClient]:
    """An API client talking to the app in-process."""
    async with app_client(settings) as api:
        yield api


class AppClient(httpx2.AsyncClient):
    """An in-process client that also knows its app (and so the app's runtime)."""

    def __init__(self, app: FastAPI):
        super().__init__(transport=httpx2.ASGITransport(app=app), base_url="http://onsite.test")
        self.app = app

    @property
    def runtime(self) -> Runtime:
        """The app's runtime: its engine, sessions, runner and caches."""
        runtime: Runtime = self.app.state.runtime
        return runtime


class app_client:
    """An in-process client for an app built from settings; disposes the app's engine."""

    def __init__(self, settings: Settings):
        self.app = create_app(settings)

    async def __aenter__(self) -> AppClient:
        self._client = AppClient(self.app)
        return self._client

    async def __aexit__(self, *exc: object) -> None:
        await self._client.aclose()
        runtime = self._client.runtime
        await runtime.aclose()
        await runtime.engine.dispose()


async def sign_up(
    api: httpx2.AsyncClient, username: str = "alice", password: str = "correct horse battery"
) -> dict[str, str]:
    """Register and sign in; the Authorization header for the new user."""
    created = await api.post("/api/v1/users", json={"username": username, "password": password})
    assert created.status_code == 201, created.text
    token = await api.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


@pytest.fixture
async def auth(client: httpx2.AsyncClient) -> dict[str, str]:
    """Headers of a signed-in user."""
    return await sign_up(client)


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    """A fake OpenAI-compatible server on loopback."""
    with FakeLLM() as fake:
        yield fake


@pytest.fixture(scope="session")
def sandbox() -> None:
    """Bubblewrap must work here: CI fails without it, elsewhere the test is skipped."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from app.sandbox.backends import Bubblewrap
    from app.sandbox.runner import CodeRunner

    # in a thread of its own: the browser tests' sync Playwright runs an event loop here
    with ThreadPoolExecutor(max_workers=1) as pool:
        reason = pool.submit(asyncio.run, CodeRunner(backend=Bubblewrap()).check()).result()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"the code sandbox does not work here: {reason}")
        pytest.skip(f"the code sandbox does not work here: {reason}")


@pytest.fixture(scope="session")
def sandbox_torch(sandbox: None) -> None:
    """The sandbox's Python must have PyTorch: CI fails without it, elsewhere tests skip."""
    import subprocess

    from app.sandbox.backends import Bubblewrap

    python = Bubblewrap().python
    found = subprocess.run([python, "-c", "import torch"], capture_output=True, text=True)
    if found.returncode != 0:
        reason = f"{python} cannot import torch (Debian: apt-get install python3-torch)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
