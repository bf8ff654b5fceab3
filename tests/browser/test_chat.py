"""The chat as a candidate uses it: pinned composer and timer, typing indicator, Stop, empty sends,
one announcement per reply, and honest word on a send that failed; on a desktop and a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.drive import (
    DESKTOP,
    PHONE,
    accessible,
    answer,
    messages,
    new_interview,
    pinned,
    shot,
    stored,
)

# the typing indicator, the stream and Stop are watched while a reply comes in
WORD_DELAY_MS = 25

STAR = (
    "At my previous company I led the migration of our ingestion pipeline; I rewrote the "
    "scheduler myself and as a result latency dropped by 40%. I learned to test earlier."
)

# Records, in order, what happens to the transcript and the announcer while a reply comes in.
WATCH = """() => {
  const seen = window.seen = [];
  const transcript = document.getElementById('transcript');
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') seen.push('busy=' + transcript.getAttribute('aria-busy'));
      for (const node of r.addedNodes) if (node.classList) seen.push('added:' + node.className);
    }
  }).observe(transcript, {childList: true, attributes: true, attributeFilter: ['aria-busy']});
  new MutationObserver(() => seen.push('announce')).observe(
    document.getElementById('announcer'), {childList: true, characterData: true, subtree: true});
}"""


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_composer_and_timer_stay_in_view_after_every_answer(
    server: str, browser, device: str
) -> None:
    screen = DESKTOP if device == "desktop" else PHONE
    page = new_interview(browser, server, f"pinned_{device}", "Behavioral (STAR)", screen)
    pinned(page)
    accessible(page, f"chat ({device})")
    box = page.get_by_label("Your answer")
    if device == "phone":
        # the phone's keyboard: Enter adds a line, the Send button sends
        box.fill("Situation first.")
        box.press("Enter")
        box.type("Then what I did.")
        assert box.input_value() == "Situation first.\nThen what I did."
        assert messages(page) == 1
        box.fill("")
    for _ in range(3):
        before = messages(page)
        box.fill(STAR)
        if device == "phone":
            page.get_by_role("button", name="Send").tap()
        else:
            box.press("Enter")
        expect(stored(page)).to_have_count(before + 2)
        expect(page.get_by_role("button", name="Send")).to_be_visible()
        pinned(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    shot(page, f"chat-{device}")
    page.context.close()


def test_a_reply_shows_typing_then_streams_and_is_announced_once(server: str, browser) -> None:
    page = new_interview(browser, server, "typing_ada", "Behavioral (STAR)")
    assert page.locator("#transcript").get_attribute("aria-live") is None
    page.evaluate(WATCH)
    answer(page, STAR)
    seen = page.evaluate("window.seen")
    added = [s for s in seen if s.startswith("added:")]
    # the answer and the typing indicator appear at once, before the first word of the reply
    assert added[:2] == ["added:msg candidate sending", "added:msg interviewer typing"], seen
    assert seen.index("busy=true") < seen.index("busy=false"), seen
    assert seen.count("announce") == 1, seen
    reply = page.locator("#transcript > li.interviewer").last.inner_text()
    announced = page.locator("#announcer").inner_text()
    assert announced.startswith("Interviewer: ") and announced.endswith(reply.split("\n")[-1])

    # an empty send says so and sends nothing
    before = messages(page)
    page.get_by_role("button", name="Send").click()
    error = page.locator("#answer-error")
    expect(error).to_have_text("Nothing to send: write your answer in the box first.")
    expect(page.get_by_label("Your answer")).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("document.activeElement.id") == "answer"
    assert messages(page) == before
    page.get_by_label("Your answer").type("S")
    expect(error).to_be_hidden()

    # Stop: the stream ends at once; the answer and the whole reply are what the server stored
    page.get_by_label("Your answer").fill(STAR)
    page.get_by_label("Your answer").press("Enter")
    page.locator("#transcript > li.streaming").wait_for()
    page.get_by_role("button", name="Stop").click()
    expect(page.locator("#status")).to_contain_text("You stopped the reply. Your answer is saved")
    expect(stored(page)).to_have_count(before + 2)
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    accessible(page, "chat after a stopped reply")
    shown = page.locator("#transcript > li.interviewer").last.inner_text()
    page.reload()
    assert page.locator("#transcript > li.interviewer").last.inner_text() == shown
    page.context.close()


def test_a_failed_send_says_what_happened_to_the_answer(server: str, browser) -> None:
    page = new_interview(browser, server, "offline_ada", "Behavioral (STAR)")
    before = messages(page)

    # the network is gone: nothing reached the server, and the answer is back in the box
    page.route("**/turn", lambda route: route.abort())
    page.route("**/messages?after=*", lambda route: route.abort())
    box = page.get_by_label("Your answer")
    box.fill(STAR)
    box.press("Enter")
    expect(page.locator("#status")).to_contain_text("your answer may not be saved")
    expect(box).to_have_value(STAR)
    assert messages(page) == before
    assert page.locator("#transcript > li").count() == before, "no bubble left half-sent"

    # the answer reached the server but the connection broke before the reply arrived
    page.unroute("**/turn")
    page.unroute("**/messages?after=*")
    page.route("**/turn", lambda route: route.fetch() and route.abort())
    box.press("Enter")
    expect(page.locator("#status")).to_contain_text(
        "The connection dropped, but your answer and the interviewer's reply are saved"
    )
    expect(stored(page)).to_have_count(before + 2)
    expect(box).to_have_value("")

    # the server refuses: the answer is not saved, and the page says why
    page.unroute("**/turn")
    page.route(
        "**/turn",
        lambda route: route.fulfill(
            status=503, content_type="application/json", json={"detail": "the server is busy"}
        ),
    )
    box.fill("One more thing.")
    box.press("Enter")
    expect(page.locator("#status")).to_have_text("Your answer was not saved: the server is busy")
    expect(box).to_have_value("One more thing.")
    page.context.close()


def test_time_up_is_announced_with_ways_to_end(server: str, browser) -> None:
    page = new_interview(browser, server, "late_ada", "Behavioral (STAR)")
    time_up = page.locator("#time-up")
    expect(time_up).to_be_hidden()
    expect(time_up).to_have_attribute("role", "alert")
    page.clock.install()
    page.reload()
    page.clock.fast_forward("40:01")
    expect(time_up).to_be_visible()
    expect(time_up).to_contain_text("Time is up: the 40 minutes of this round have passed.")
    expect(page.locator(".timer")).to_have_class(re.compile(r"\blate\b"))
    accessible(page, "time is up")
    pinned(page)

    # the finish dialog opens on its safe choice, from the banner as from the button
    page.get_by_role("button", name="Finish and score now").click()
    dialog = page.get_by_role("dialog", name="Finish the interview?")
    expect(dialog.get_by_role("button", name="Keep going")).to_be_focused()
    accessible(page, "finish dialog")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Finish interview").click()
    expect(dialog.get_by_role("button", name="Keep going")).to_be_focused()
    page.keyboard.press("Escape")

    before = messages(page)
    page.get_by_role("button", name="Wrap up with the interviewer").click()
    expect(stored(page)).to_have_count(before + 2)
    expect(time_up).to_be_hidden()
    mine = page.locator("#transcript > li.candidate").last
    expect(mine).to_contain_text("Let's wrap up the interview.")
    expect(page.locator("#phase")).not_to_have_attribute("data-phase", "question")
    page.clock.fast_forward("01:00")
    expect(time_up).to_be_hidden()  # said once
    page.context.close()
