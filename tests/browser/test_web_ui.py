"""The web UI in a real headless Chromium (Debian's), against the app served by uvicorn."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.config import PROJECT_ROOT
from tests.browser.drive import (
    code_of,
    expect_code,
    messages,
    run_to_close,
    set_code,
    shot,
    sign_up,
    start,
)

# the first reply is caught mid-stream for the README; a whole interview at the chat's 25 ms a
# word spent most of its time waiting for words
WORD_DELAY_MS = 5


def test_a_whole_interview_in_the_browser(server: str, browser) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    sign_up(page, server, "browser_ada")

    # a coding round, with the code editor
    coding_id = start(page, "Coding (algorithms and data structures)")
    assert "def " in code_of(page), "the editor starts from the question's starter code"
    set_code(page, "")
    page.keyboard.type("def solve(nums):")
    page.keyboard.press("Enter")  # the editor indents the body
    page.keyboard.type("return sorted(nums)")  # and closes the bracket it opens, once
    expect_code(page, "def solve(nums):\n    return sorted(nums)")
    box = page.get_by_label("Your answer")
    box.fill("First I would clarify the constraints, then use a hash map for O(n) time.")
    box.press("Shift+Enter")
    box.type("Edge cases: an empty input and duplicates.")
    assert "\n" in box.input_value()
    page.get_by_label("Include my code with this message").check()
    before = messages(page)
    box.press("Enter")
    page.locator(".msg.interviewer.streaming").wait_for()
    shot(page, "chat-mid-stream")
    expect(page.locator("#transcript > li[data-seq]")).to_have_count(before + 2)
    sent = page.locator("#transcript > li.candidate").last
    code_block = sent.locator("details.code-block")
    expect(code_block.locator("summary")).to_have_text("Code, 2 lines")
    assert "return sorted(nums)" in code_block.locator("pre code").text_content()
    assert not page.get_by_label("Include my code with this message").is_checked()
    assert code_of(page).endswith("return sorted(nums)"), "the code is kept between turns"

    page.get_by_role("button", name="Hint").click()
    expect(page.locator("#hints")).to_have_text("1")
    page.reload()
    assert messages(page) == before + 4, "a reload shows the whole transcript"
    assert code_of(page).endswith("return sorted(nums)")
    page.get_by_role("button", name="I'm done with this question").click()
    expect(page.locator("#transcript > li[data-seq]")).to_have_count(before + 6)
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
    page.get_by_role("link", name="Practice", exact=True).click()
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
    page.wait_for_url(re.compile(r"/history$"))
    expect(page.locator("tbody tr")).to_have_count(2)
    page.get_by_label("Round").select_option("coding")
    page.wait_for_url(re.compile(r"round=coding"))
    expect(page.locator("tbody tr")).to_have_count(1)
    shot(page, "history")

    page.get_by_role("link", name="Progress").click()
    page.wait_for_url(re.compile(r"/progress$"))
    page.locator(".uplot canvas").first.wait_for()
    expect(page.locator(".progress-round")).to_have_count(2)
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
    page.get_by_text("More options").click()
    page.get_by_text("A specific question", exact=True).click()
    page.get_by_label("Question", exact=True).select_option("kmeans-from-scratch")
    page.get_by_role("button", name="Start interview").click()
    page.wait_for_url(re.compile(r"/interviews/[0-9a-f-]+$"))

    assert "def kmeans(X, k" in code_of(page), "the starter code is in the editor"
    expect(page.locator("#runner-info")).to_contain_text("kmeans")

    # Run: only the examples, with what was expected and what came back
    set_code(page, BUGGY_KMEANS)
    page.get_by_role("button", name="Run examples").click()
    expect(page.locator("#run-summary")).to_contain_text("Examples: 0/2 passed")
    assert page.locator(".results .test.failed .test-error").count() >= 1
    shot(page, "code-run")
    before = messages(page)

    # Submit: a turn; the interviewer asks about the failing example
    page.get_by_role("button", name="Submit code").click()
    # the tests run, then the reply streams word by word (ONSITE_OFFLINE_WORD_DELAY_MS)
    expect(page.locator("#transcript > li[data-seq]")).to_have_count(
        before + 2, timeout=30_000
    )
    expect(page.locator("#run-summary")).to_contain_text(re.compile(r"Submission: [0-6]/7 passed"))
    reply = page.locator("#transcript > li.interviewer").last.inner_text()
    assert "kmeans(X, 2)" in reply, reply

    # fixed: every test passes and the interviewer moves on to what is still missing
    set_code(page, solution)
    page.get_by_role("button", name="Submit code").click()
    expect(page.locator("#transcript > li[data-seq]")).to_have_count(
        before + 4, timeout=30_000
    )
    expect(page.locator("#run-summary")).to_contain_text("Submission: 7/7 passed")
    assert "pass" in page.locator("#transcript > li.interviewer").last.inner_text()
    shot(page, "code-submitted")
    page.reload()
    assert code_of(page).strip() == solution.strip()
    expect(page.locator("#run-summary")).to_contain_text("Submission: 7/7 passed")

    page.get_by_role("button", name="Finish interview").click()
    page.get_by_role("button", name="Finish and score").click()
    page.wait_for_url(re.compile(r"/scorecard$"))
    correctness = page.locator(".criterion", has_text="Correctness and numerical stability")
    expect(correctness).to_contain_text("passed 5/5 hidden tests")
    expect(correctness).to_contain_text("def kmeans(X, k, max_iters=100, tol=1e-4, seed=0):")
    shot(page, "code-scorecard")
    context.close()
