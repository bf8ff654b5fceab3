"""The scorecard reads as advice: a plain headline, what went well with quotes, two or three
things to practise with a drill and a question that starts in one click, missed points under
their question beside its outline; light and dark, desktop and phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.drive import DESKTOP, PHONE, accessible, in_view, messages, shot, sign_up, start

DESIGN = "System design"


def _send(page, text: str) -> None:
    """Send with the button (on a phone Enter adds a line); wait for the reply to be stored."""
    before = messages(page)
    page.get_by_label("Your answer").fill(text)
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#transcript > li[data-seq]")).to_have_count(before + 2)


def _scored(page, server: str, username: str) -> None:
    sign_up(page, server, username)
    start(page, DESIGN)
    _send(
        page,
        "Functional requirements: create a short link and redirect. I'd put an API service "
        "behind a load balancer and store links in a key value store, with a cache for reads.",
    )
    _send(page, "I would add more servers when it gets busy.")
    page.get_by_role("button", name="Finish interview").click()
    page.get_by_role("button", name="Finish and score").click()
    page.wait_for_url(re.compile(r"/scorecard$"))


def test_the_scorecard_says_what_went_well_and_what_to_practise(server: str, browser) -> None:
    for scheme in ("light", "dark"):
        page = browser.new_context(color_scheme=scheme, **DESKTOP).new_page()
        _scored(page, server, f"advice_{scheme}")
        headline = page.locator("#headline")
        expect(headline).to_contain_text("Practise next:")
        assert "work on:" not in headline.inner_text()
        in_view(page, "#headline")
        in_view(page, "#practise-title")
        focus = page.locator(".practise .focus")
        assert 2 <= focus.count() <= 3
        expect(focus.first.locator(".drill")).to_contain_text("Drill:")
        expect(
            page.locator(".by-question h3", has_text="Model answer outline").first
        ).to_be_visible()
        how = page.locator(".criterion details.how-scored").first
        expect(how.locator("p")).to_be_hidden()  # the engine's own account is folded away
        accessible(page, f"scorecard advice ({scheme})")
        if scheme == "light":
            shot(page, "scorecard-advice")
            # one click practises the weakest criterion on a question that weighs on it
            button = focus.first.get_by_role("button", name=re.compile(r"^Practise “"))
            title = re.match(r"Practise “(.*)”", button.inner_text()).group(1)
            button.click()
            page.wait_for_url(re.compile(r"/interviews/[0-9a-f-]+$"))
            expect(page.locator("#transcript")).to_contain_text(title)
        page.context.close()


def test_the_scorecard_advice_on_a_phone(server: str, browser) -> None:
    page = browser.new_context(**PHONE).new_page()
    _scored(page, server, "advice_phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    in_view(page, "#headline")
    accessible(page, "scorecard advice (phone)")
    shot(page, "scorecard-advice-phone")
