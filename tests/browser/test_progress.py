"""Progress by interview order: three interviews of one morning are three points (#1, #2, #3),
not one vertical line, and the legend shows the latest interview's values until pointed
elsewhere (never "--"); labelled axes; light and dark, desktop and phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.drive import DESKTOP, PHONE, accessible, shot, sign_up

ANSWERS = [
    "I think it depends.",
    "I led the migration myself and latency dropped by 40%.",
    "At my last company I led the migration of our ingestion pipeline; I rewrote the scheduler "
    "myself and as a result latency dropped by 40%. I learned to test earlier.",
]


def _three_in_a_row(page, server: str) -> None:
    """Three behavioral interviews, answered and scored one after the other."""
    csrf = page.locator("meta[name=csrf-token]").get_attribute("content")
    for text in ANSWERS:
        started = page.request.post(
            f"{server}/interviews",
            form={"csrf_token": csrf, "round": "behavioral", "question_choice": "random"},
        )
        interview = re.search(r"/interviews/([0-9a-f-]+)$", started.url).group(1)
        turn = page.request.post(
            f"{server}/interviews/{interview}/turn",
            data={"content": text},
            headers={"X-CSRF-Token": csrf, "Accept": "text/event-stream"},
        )
        assert turn.ok, turn.text()
        finish = page.request.post(
            f"{server}/interviews/{interview}/finish", form={"csrf_token": csrf}
        )
        assert finish.ok and finish.url.endswith("/scorecard")


def _legend(page) -> list[str]:
    return page.locator(".progress-round .u-legend .u-series").all_inner_texts()


def test_progress_is_by_interview_order_with_a_legend_that_shows_values(
    server: str, browser
) -> None:
    for scheme in ("light", "dark"):
        page = browser.new_context(color_scheme=scheme, **DESKTOP).new_page()
        sign_up(page, server, f"progress_{scheme}")
        _three_in_a_row(page, server)
        page.goto(f"{server}/progress")
        chart = page.locator(".progress-round .uplot").first
        chart.wait_for()
        legend = _legend(page)
        assert legend[0].startswith("Interview") and "#3" in legend[0], legend
        assert not any("--" in row for row in legend), legend
        assert re.search(r"Overall\s*\d", legend[1]), legend

        # the points are spread by order: pointing left, middle and right picks #1, #2, #3
        plot = page.locator(".progress-round .u-over").first.bounding_box()
        for fraction, number in ((0.15, 1), (0.5, 2), (0.85, 3)):
            page.mouse.move(plot["x"] + plot["width"] * fraction, plot["y"] + plot["height"] / 2)
            expect(page.locator(".u-legend .u-series").first).to_contain_text(f"#{number}")
        page.mouse.move(5, 5)  # off the plot: back to the latest
        expect(page.locator(".u-legend .u-series").first).to_contain_text("#3")

        rows = page.locator(".progress-round .table-wrap tbody tr")
        expect(rows).to_have_count(3)
        accessible(page, f"progress ({scheme})")
        if scheme == "light":
            shot(page, "progress-by-order")
        page.context.close()

    phone = browser.new_context(**PHONE).new_page()
    sign_up(phone, server, "progress_phone")
    _three_in_a_row(phone, server)
    phone.goto(f"{server}/progress")
    phone.locator(".progress-round .uplot").first.wait_for()
    assert "#3" in _legend(phone)[0]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    accessible(phone, "progress (phone)")
    shot(phone, "progress-phone")
