"""A whole onsite loop in the browser: choose it, take every round, read the hiring packet."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.drive import DESKTOP, PHONE, accessible, answer, shot, sign_up

ANSWER = (
    "First I would clarify the requirements and the constraints. Then I would sketch the "
    "approach step by step, state the complexity, and test edge cases such as an empty input. "
    "I measured a 30% improvement when I did this on my last project."
)


def test_a_loop_end_to_end_in_the_browser(server: str, browser) -> None:
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    sign_up(page, server, "looper")
    page.get_by_role("link", name="Loops", exact=True).click()
    page.wait_for_url(f"{server}/loops")
    expect(page.locator("article.loop")).to_have_count(6)
    accessible(page, "the loops")
    shot(page, "loops")

    card = page.locator("#loop-software-engineer")
    card.get_by_label("Target level").select_option("senior")
    card.get_by_role("button", name="Start this loop").click()
    page.wait_for_url(re.compile(r"/runs/[0-9a-f-]+$"))
    run_url = page.url
    expect(page.locator(".run-round")).to_have_count(5)
    accessible(page, "a new run")

    titles = page.locator(".run-round-head strong").all_inner_texts()
    for number, title in enumerate(titles, start=1):
        page.get_by_role("button", name=f"Start round {number}: {title}").click()
        page.wait_for_url(re.compile(r"/interviews/[0-9a-f-]+$"))
        answer(page, ANSWER)
        page.get_by_role("button", name="Finish interview").click()
        page.get_by_role("button", name="Finish and score").click()
        page.wait_for_url(re.compile(r"/scorecard$"))
        banner = page.locator("#run-banner")
        expect(banner).to_contain_text(f"Round {number} of your Software Engineer loop")
        if number < len(titles):
            banner.get_by_role("link", name="Software Engineer loop").click()
            page.wait_for_url(run_url)
            if number == 2:
                accessible(page, "a run half done")
                shot(page, "loop-run")
    banner.get_by_role("link", name="read the hiring packet").click()
    page.wait_for_url(f"{run_url}/packet")
    expect(page.locator("#decision")).to_contain_text(re.compile(r"[Hh]ire"))
    expect(page.locator("section.signal")).to_have_count(5)
    expect(page.locator("section.round-card")).to_have_count(5)
    accessible(page, "the hiring packet")
    shot(page, "hiring-packet")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    context.close()

    phone = browser.new_context(**PHONE).new_page()
    sign_up(phone, server, "looper-phone")
    phone.get_by_role("link", name="Choose a loop").click()
    phone.wait_for_url(f"{server}/loops")
    accessible(phone, "the loops on a phone")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.context.close()
