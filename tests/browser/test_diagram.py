"""The design diagram in system design rounds: a Mermaid pane beside the chat (a tab on a phone),
drawn live, sent with a message when ticked, drawn again in the transcript and the scorecard,
all under the page's strict CSP (no violation reported)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.drive import (
    DESKTOP,
    PHONE,
    accessible,
    answer,
    in_view,
    pinned,
    shot,
    sign_up,
    start,
)

DESIGN = "System design"
DIAGRAM = (
    "flowchart LR\n"
    "  client[Client] --> lb[Load balancer]\n"
    "  lb --> api[API service]\n"
    "  api --> cache[(Redis cache)]\n"
    "  api --> db[(Cassandra)]\n"
)
# every CSP violation and console error the page reports, from before its first script runs
WATCH = """
window.problems = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.problems.push(`csp: ${e.violatedDirective} ${e.blockedURI}`));
"""


def _watched(context):
    page = context.new_page()
    page.add_init_script(WATCH)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors


def _clean(page, errors: list[str]) -> None:
    assert page.evaluate("window.problems") == []
    assert errors == []


def _drawn(where) -> None:
    """A diagram image is shown there, decoded (its SVG was valid)."""
    image = where.locator("img.diagram-image")
    expect(image).to_be_visible(timeout=30_000)
    assert image.evaluate("(img) => img.complete && img.naturalWidth > 50")


def test_the_diagram_pane_draws_live_beside_the_chat_and_goes_with_a_message(
    server: str, browser
) -> None:
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, **DESKTOP)
        page, errors = _watched(context)
        sign_up(page, server, f"diagram_{scheme}")
        start(page, DESIGN)
        chat = page.locator("#pane-chat").bounding_box()
        pane = page.locator("#pane-diagram").bounding_box()
        assert chat["x"] + chat["width"] <= pane["x"], "side by side"
        pinned(page)
        for selector in ("#diagram-source", "#diagram-preview"):
            in_view(page, selector)
        expect(page.get_by_role("tab", name="Diagram")).to_be_hidden()
        _drawn(page.locator("#diagram-preview"))  # the starter, drawn
        include = page.get_by_label("Include my diagram with this message")
        expect(include).not_to_be_checked()

        source = page.get_by_label("Your diagram")
        source.fill("flowchart LR\n  client[Client] -->")
        error = page.locator("#diagram-error")
        expect(error).to_contain_text("Not drawn yet")
        expect(source).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#diagram-preview")).to_have_class("diagram-preview stale")
        source.fill(DIAGRAM)
        expect(error).to_be_hidden()
        expect(page.locator("#diagram-preview")).to_have_class("diagram-preview")
        expect(include).to_be_checked()  # editing it ticks it
        accessible(page, f"diagram pane ({scheme})")

        answer(page, "Clients reach the API through a load balancer; reads go to the cache first.")
        sent = page.locator("#transcript > li.candidate").last
        _drawn(sent.locator(".diagram-view"))
        expect(sent.locator("summary")).to_have_text("Diagram source, 5 lines")
        expect(include).not_to_be_checked()  # sent once; the next message goes without it
        answer(page, "Writes go to Cassandra, partitioned by user.")
        assert page.locator("#transcript .diagram-block").count() == 1
        accessible(page, f"diagram sent ({scheme})")
        if scheme == "light":
            shot(page, "diagram")
        _clean(page, errors)

        # the scorecard draws it beside its source too
        page.get_by_role("button", name="Finish interview").click()
        page.get_by_role("button", name="Finish and score").click()
        page.wait_for_url("**/scorecard")
        _drawn(page.locator(".scorecard .diagram-view"))
        _clean(page, errors)
        context.close()


def test_on_a_phone_the_diagram_is_a_tab_and_still_goes_with_a_message(
    server: str, browser
) -> None:
    page, errors = _watched(browser.new_context(**PHONE))
    sign_up(page, server, "diagram_phone")
    start(page, DESIGN)
    expect(page.locator("#pane-diagram")).to_be_hidden()
    page.get_by_role("tab", name="Diagram").click()
    expect(page.locator("#pane-chat")).to_be_hidden()
    page.get_by_label("Your diagram").fill(DIAGRAM)
    _drawn(page.locator("#diagram-preview"))
    in_view(page, "#diagram-preview")
    accessible(page, "diagram tab (phone)")
    shot(page, "diagram-phone")

    page.get_by_role("tab", name="Chat").click()
    expect(page.get_by_label("Include my diagram with this message")).to_be_checked()
    page.get_by_label("Your answer").fill("Here is the design.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#transcript > li[data-seq]")).to_have_count(3)
    _drawn(page.locator("#transcript > li.candidate").last.locator(".diagram-view"))
    pinned(page)
    accessible(page, "diagram sent (phone)")
    _clean(page, errors)
