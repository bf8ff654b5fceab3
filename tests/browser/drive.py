"""Driving the web app in the browser: sign up, start, answer, screenshots, axe-core checks."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from app.config import PROJECT_ROOT

# the README's screenshots are refreshed on request (ONSITE_UPDATE_SCREENSHOTS=1); otherwise a
# run takes them (the pages are drawn and checked all the same) without touching tracked files
SHOTS = (
    PROJECT_ROOT / "docs" / "screenshots"
    if os.environ.get("ONSITE_UPDATE_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "onsite-screenshots"
)
PASSWORD = "a long passphrase"
AXE = PROJECT_ROOT / "tests" / "browser" / "vendor" / "axe.min.js"
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


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


def new_interview(browser, server: str, username: str, round_title: str, device=DESKTOP):
    """A new account's page, in an interview of the round just started; close its context."""
    page = browser.new_context(**device).new_page()
    sign_up(page, server, username)
    start(page, round_title)
    return page


def stored(page):
    """The transcript's stored messages (not a bubble still being sent, typed or streamed)."""
    return page.locator("#transcript > li[data-seq]")


def messages(page) -> int:
    return stored(page).count()


def answer(page, text: str) -> None:
    """Type an answer and send it with Enter; wait for the streamed reply to be stored."""
    before = messages(page)
    box = page.get_by_label("Your answer")
    box.fill(text)
    box.press("Enter")
    expect(stored(page)).to_have_count(before + 2)
    expect(page.locator("#transcript")).to_have_attribute("aria-busy", "false")


def accessible(page, state: str) -> None:
    """axe-core finds no violation in the page as it is now (WCAG 2.x A and AA, best practices).
    Evaluated through the DevTools protocol, which the page's CSP does not govern."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    found = page.evaluate("axe.run(document).then(r => r.violations)")
    summary = [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in found
    ]
    assert not summary, f"{state}: " + json.dumps(summary, indent=1)


def run_to_close(page, text: str, *, limit: int = 20) -> None:
    for _ in range(limit):
        if page.locator("#phase").get_attribute("data-phase") == "closed":
            return
        answer(page, text)
    pytest.fail("the interview did not close")


def in_view(page, selector: str) -> None:
    """The element is on screen without scrolling the page."""
    box = page.locator(selector).bounding_box()
    height = page.evaluate("window.innerHeight")
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, (selector, box)


def pinned(page) -> None:
    """The page itself does not scroll: the timer and the composer are on screen, and so is the
    newest message at the bottom of the transcript, which scrolls on its own."""
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1")
    for selector in ("#elapsed", "#answer", "#send"):
        in_view(page, selector)
    newest = page.locator("#transcript > li").last.bounding_box()
    pane = page.locator("#transcript").bounding_box()
    assert newest["y"] + newest["height"] <= pane["y"] + pane["height"] + 1


# CodeMirror draws one element per line (all of them, for programs this short)
CODE = (
    "Array.from(document.querySelectorAll('.cm-content .cm-line'), l => l.textContent)"
    ".join('\\n')"
)


def code_of(page) -> str:
    """The text in the code editor, once the editor is there."""
    page.locator(".cm-content").wait_for()
    return page.evaluate(CODE)


def expect_code(page, text: str) -> None:
    """The editor shows exactly `text` (it redraws on its next frame after a key press)."""
    try:
        page.wait_for_function(f"expected => ({CODE}) === expected", arg=text, timeout=5000)
    except PlaywrightTimeout:
        assert code_of(page) == text


def expect_focus_in_editor(page, inside: bool) -> None:
    """Keyboard focus is (or is not) in the code editor."""
    check = "inside => !!document.activeElement.closest('.cm-editor') === inside"
    page.wait_for_function(check, arg=inside, timeout=5000)


def set_code(page, text: str) -> None:
    """Replace the editor's text as a paste would: no auto-indent or closing brackets added."""
    page.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)
