"""Home and history as a candidate reads them: a compact round grid with Start in view, options
folded away, human names and statuses, and times in the reader's own time zone."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.drive import DESKTOP, PHONE, accessible, in_view, shot, sign_up


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_home_fits_start_on_one_screen(server: str, browser, device: str) -> None:
    context = browser.new_context(**(DESKTOP if device == "desktop" else PHONE))
    page = context.new_page()
    sign_up(page, server, f"home_{device}")
    in_view(page, "#start")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    expect(page.get_by_label("Difficulty")).to_be_hidden()  # folded behind "more options"
    for option in page.locator(".round-option").all():
        card, title = option.bounding_box(), option.locator(".round-title").bounding_box()
        assert card["y"] <= title["y"] <= title["y"] + title["height"] <= card["y"] + card["height"]
    page.get_by_text("ML system design", exact=True).click()
    expect(page.locator("#round-about")).to_contain_text("model")
    accessible(page, f"home ({device})")
    shot(page, f"home-{device}" if device == "phone" else "home")

    page.get_by_text("More options").click()
    expect(page.get_by_label("Difficulty")).to_be_visible()
    page.get_by_label("Duration").select_option("20")
    expect(page.locator("#start-summary")).to_have_text("A random question; 20 minutes.")
    accessible(page, f"home with more options ({device})")
    page.get_by_role("button", name="Start interview").click()
    page.wait_for_url(re.compile(r"/interviews/[0-9a-f-]+$"))
    expect(page.locator(".timer")).to_contain_text("/ 20:00")
    expect(page.locator("h1")).to_have_text("ML system design")
    context.close()


def test_history_and_resume_in_words_and_local_time(server: str, browser) -> None:
    context = browser.new_context(locale="en-GB", timezone_id="Asia/Tokyo", **DESKTOP)
    page = context.new_page()
    sign_up(page, server, "history_ada")
    for round_title in ("CS fundamentals", "Behavioral (STAR)"):
        page.goto(server + "/")
        page.get_by_text(round_title, exact=True).click()
        page.get_by_role("button", name="Start interview").click()
        page.wait_for_url(re.compile(r"/interviews/[0-9a-f-]+$"))

    page.get_by_role("link", name="History").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    newest = rows.first
    expect(newest.locator("td").nth(1).locator("a")).to_have_text("Behavioral (STAR)")
    assert newest.locator(".questions li").count() == 3, "the round's three questions by title"
    expect(newest.locator("td").nth(3)).to_have_text("In progress")
    resume = newest.get_by_role("link", name="Resume the Behavioral (STAR) interview")
    expect(resume).to_be_visible()
    stamp = newest.locator("time")
    utc = datetime.fromisoformat(stamp.get_attribute("datetime"))
    tokyo = utc + timedelta(hours=9)
    expect(stamp).to_have_text(re.compile(rf"{tokyo.day} \w+ {tokyo.year}, {tokyo:%H:%M}"))
    accessible(page, "history")

    page.goto(server + "/")
    unfinished = page.locator(".resume li")
    expect(unfinished).to_have_count(2)
    expect(unfinished.filter(has_text="Resume CS fundamentals")).to_have_count(1)
    discard = page.get_by_role("button", name="Discard the Behavioral (STAR) interview")
    discard.click()
    ask = page.get_by_role("dialog", name="Are you sure?")
    expect(ask).to_contain_text("Discard this unfinished interview?")
    expect(ask.get_by_role("button", name="Cancel")).to_be_focused()  # the safe choice
    accessible(page, "confirm dialog")
    page.keyboard.press("Enter")
    expect(ask).to_be_hidden()
    expect(discard).to_be_focused()
    expect(page.locator(".resume li")).to_have_count(2)
    discard.click()
    ask.get_by_role("button", name="Discard").click()
    page.wait_for_url(server + "/")
    expect(page.locator(".resume li")).to_have_count(1)
    accessible(page, "home with an unfinished interview")
    context.close()
