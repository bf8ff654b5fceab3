"""Browser tests: Debian's Chromium driven by Playwright (no `playwright install`), against the
app served by uvicorn on loopback, with axe-core (vendored) checking each page state."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT
from app.store.migrate import upgrade
from tests.servers import serve

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The app as deployed: a uvicorn subprocess on loopback with a fresh SQLite database. Its
    replies arrive at once unless the test module sets `WORD_DELAY_MS` to watch them stream (at
    25 ms a word, a whole interview spent most of its time waiting for words)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'onsite.db'}"
    upgrade(url, root=PROJECT_ROOT)
    delay = getattr(request.module, "WORD_DELAY_MS", 0)
    running = serve(url, ONSITE_OFFLINE_WORD_DELAY_MS=str(delay))
    yield running.base
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        message = f"Debian chromium is not installed at {CHROMIUM}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


