"""The web UI in a real headless Chromium (Debian's), against the app served by uvicorn."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT
from app.store.migrate import upgrade
from tests.servers import serve

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

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
SHOTS = PROJECT_ROOT / "docs" / "screenshots"
PASSWORD = "a long passphrase"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app as deployed: a uvicorn subprocess on loopback with a fresh SQLite database."""
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'onsite.db'}"
    upgrade(url, root=PROJECT_ROOT)
    running = serve(url, ONSITE_OFFLINE_WORD_DELAY_MS="25")
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


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_up(page, base: str, username: str) -> None:
    page.goto(f"{base}/")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{base}/")


def start(page, round_title: str) -> str:
    page.get_by_text(round_title, exact=True).click()
    page.get_by_role("button", name="Start interview").click()
    page.wait_for_url(re.compile(r"/interviews/[0-9a-f-]+$"))
    return page.url.rsplit("/", 1)[1]


def messages(page) -> int:
    return page.locator("#transcript > li").count()


def answer(page, text: str) -> None:
    """Type an answer and send it with Enter; wait for the streamed reply to be stored."""
    before = messages(page)
    box = page.get_by_label("Your answer")
    box.fill(text)
    box.press("Enter")
    expect(page.locator("#transcript > li:not(.streaming)")).to_have_count(before + 2)


def run_to_close(page, text: str, *, limit: int = 20) -> None:
    for _ in range(limit):
        if page.locator("#phase").get_attribute("data-phase") == "closed":
            return
        answer(page, text)
    pytest.fail("the interview did not close")


def test_a_whole_interview_in_the_browser(server: str, browser) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    sign_up(page, server, "browser_ada")
    shot(page, "home")

    # a coding round, with the code editor
    coding_id = start(page, "Coding (algorithms and data structures)")
    editor = page.get_by_label("Code")
    assert "def " in editor.input_value(), "the editor starts from the question's starter code"
    editor.fill("")
    editor.type("def solve(nums):\n")
    editor.press("Tab")
    editor.type("return sorted(nums)")
    assert "\n    return sorted(nums)" in editor.input_value()
    box = page.get_by_label("Your answer")
    box.fill("First I would clarify the constraints, then use a hash map for O(n) time.")
    box.press("Shift+Enter")
    box.type("Edge cases: an empty input and duplicates.")
    assert "\n" in box.input_value()
    before = messages(page)
    box.press("Enter")
    page.locator(".msg.interviewer.streaming").wait_for()
    shot(page, "chat-mid-stream")
    expect(page.locator("#transcript > li:not(.streaming)")).to_have_count(before + 2)
    sent = page.locator("#transcript > li.candidate").last
    assert "return sorted(nums)" in sent.locator("pre code").inner_text()
    assert editor.input_value().endswith("return sorted(nums)"), "the code is kept between turns"

    page.get_by_role("button", name="Hint").click()
    expect(page.locator("#hints")).to_have_text("1")
    page.reload()
    assert messages(page) == before + 4, "a reload shows the whole transcript"
    assert page.get_by_label("Code").input_value().endswith("return sorted(nums)")
    page.get_by_role("button", name="I'm done with this question").click()
    expect(page.locator("#transcript > li:not(.streaming)")).to_have_count(before + 6)
    run_to_close(
        page,
        "I would use two pointers and sort first; O(n log n) time. "
        "I tested an empty array and duplicates.",
    )
    page.get_by_role("button", name="Finish interview").click()
    page.get_by_role("button", name="Finish and score").click()
    page.wait_for_url(re.compile(r"/scorecard$"))
    assert page.locator(".verdict").inner_text().strip()
    assert page.locator(".criterion").count() >= 4
    shot(page, "scorecard")

    evidence = page.locator(".evidence a").first
    target = evidence.get_attribute("href")
    evidence.click()
    assert page.url.endswith(target)
    assert page.evaluate("document.querySelector(':target').id") == target.lstrip("#")
    background = page.evaluate(
        "getComputedStyle(document.querySelector(':target')).backgroundColor"
    )
    plain = page.evaluate(
        "getComputedStyle(document.querySelector('.msg.candidate:not(:target)')).backgroundColor"
    )
    assert background != plain, "the quoted message is highlighted"

    with page.expect_download() as download:
        page.get_by_role("link", name="Export Markdown").click()
    markdown = Path(download.value.path()).read_text()
    assert "## Scorecard" in markdown and "return sorted(nums)" in markdown
    with page.expect_download() as download:
        page.get_by_role("link", name="Export JSON").click()
    assert '"scorecard"' in Path(download.value.path()).read_text()

    # a behavioral round
    page.get_by_role("link", name="Practice").click()
    start(page, "Behavioral (STAR)")
    run_to_close(
        page,
        "At my previous company I led the migration; I rewrote the pipeline and "
        "as a result latency dropped by 40%. I learned to test earlier.",
    )
    page.get_by_role("button", name="Finish interview").click()
    page.get_by_role("button", name="Finish and score").click()
    page.wait_for_url(re.compile(r"/scorecard$"))

    page.get_by_role("link", name="History").click()
    assert page.locator("tbody tr").count() == 2
    page.get_by_label("Round").select_option("coding")
    page.wait_for_url(re.compile(r"round=coding"))
    assert page.locator("tbody tr").count() == 1
    shot(page, "history")

    page.get_by_role("link", name="Progress").click()
    page.locator(".uplot canvas").first.wait_for()
    assert page.locator(".progress-round").count() == 2
    shot(page, "progress")

    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, storage_state=context.storage_state()
    )
    small = phone.new_page()
    small.goto(f"{server}/interviews/{coding_id}/scorecard")
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no horizontal scrolling at phone width"
    shot(small, "scorecard-phone")
    phone.close()

    # someone else cannot open any of it
    other = browser.new_context()
    intruder = other.new_page()
    sign_up(intruder, server, "browser_eve")
    for path in (
        f"/interviews/{coding_id}",
        f"/interviews/{coding_id}/scorecard",
        f"/interviews/{coding_id}/export.md",
        f"/interviews/{coding_id}/export.json",
    ):
        response = intruder.goto(f"{server}{path}")
        assert response.status == 404, path
    assert "Not found" in intruder.content()
    intruder.goto(f"{server}/history")
    assert intruder.locator("tbody tr").count() == 0
    other.close()
    context.close()


BUGGY_KMEANS = """import numpy as np


def kmeans(X, k, max_iters=100, tol=1e-4, seed=0):
    rng = np.random.default_rng(seed)
    centroids = X[rng.choice(len(X), size=k, replace=False)]
    labels = np.zeros(len(X), dtype=int)
    return centroids, labels
"""


@pytest.mark.usefixtures("sandbox")
def test_an_ml_coding_question_run_submitted_and_scored_in_the_browser(
    server: str, browser
) -> None:
    from app.content.loader import load_content

    solution = load_content(PROJECT_ROOT).questions["kmeans-from-scratch"].code.solution
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    page = context.new_page()
    sign_up(page, server, "browser_grace")
    page.get_by_text("ML coding", exact=True).click()
    page.get_by_text("A specific question").click()
    page.get_by_label("Question", exact=True).select_option("kmeans-from-scratch")
    page.get_by_role("button", name="Start interview").click()
    page.wait_for_url(re.compile(r"/interviews/[0-9a-f-]+$"))

    editor = page.get_by_label("Code")
    assert "def kmeans(X, k" in editor.input_value(), "the starter code is in the editor"
    expect(page.locator("#runner-info")).to_contain_text("kmeans")

    # Run: only the examples, with what was expected and what came back
    editor.fill(BUGGY_KMEANS)
    page.get_by_role("button", name="Run examples").click()
    expect(page.locator("#run-summary")).to_contain_text("Examples: 0/2 passed")
    assert page.locator(".results .test.failed .test-error").count() >= 1
    shot(page, "code-run")
    before = messages(page)

    # Submit: a turn; the interviewer asks about the failing example
    page.get_by_role("button", name="Submit code").click()
    # the tests run, then the reply streams word by word (ONSITE_OFFLINE_WORD_DELAY_MS)
    expect(page.locator("#transcript > li:not(.streaming)")).to_have_count(
        before + 2, timeout=30_000
    )
    expect(page.locator("#run-summary")).to_contain_text(re.compile(r"Submission: [0-6]/7 passed"))
    reply = page.locator("#transcript > li.interviewer").last.inner_text()
    assert "kmeans(X, 2)" in reply, reply

    # fixed: every test passes and the interviewer moves on to what is still missing
    editor.fill(solution)
    page.get_by_role("button", name="Submit code").click()
    expect(page.locator("#transcript > li:not(.streaming)")).to_have_count(
        before + 4, timeout=30_000
    )
    expect(page.locator("#run-summary")).to_contain_text("Submission: 7/7 passed")
    assert "pass" in page.locator("#transcript > li.interviewer").last.inner_text()
    shot(page, "code-submitted")
    page.reload()
    assert page.get_by_label("Code").input_value().strip() == solution.strip()
    expect(page.locator("#run-summary")).to_contain_text("Submission: 7/7 passed")

    page.get_by_role("button", name="Finish interview").click()
    page.get_by_role("button", name="Finish and score").click()
    page.wait_for_url(re.compile(r"/scorecard$"))
    correctness = page.locator(".criterion", has_text="Correctness and numerical stability")
    expect(correctness).to_contain_text("passed 5/5 hidden tests")
    expect(correctness).to_contain_text("def kmeans(X, k, max_iters=100, tol=1e-4, seed=0):")
    shot(page, "code-scorecard")
    context.close()
