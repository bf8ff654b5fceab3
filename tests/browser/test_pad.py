"""The coding pad: problem and editor side by side (tabs on a phone), CodeMirror with Python
highlighting, line numbers, auto-indent and bracket matching, a keyboard way out of the editor,
and code sent only when the candidate chooses."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.drive import (
    DESKTOP,
    PHONE,
    accessible,
    answer,
    expect_code,
    expect_focus_in_editor,
    in_view,
    messages,
    new_interview,
    pinned,
    set_code,
    shot,
    sign_up,
    start,
    stored,
)

CODING = "Coding (algorithms and data structures)"


def test_problem_and_editor_side_by_side_with_a_real_editor(server: str, browser) -> None:
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, **DESKTOP)
        page = context.new_page()
        sign_up(page, server, f"pad_{scheme}")
        start(page, CODING)
        problem = page.locator("#pane-problem").bounding_box()
        editor = page.locator(".cm-editor").bounding_box()
        assert problem["x"] + problem["width"] <= editor["x"], "side by side"
        assert problem["y"] < editor["y"] + editor["height"] and editor["y"] < problem["y"] + 200
        expect(page.locator("#problem-title")).not_to_be_empty()
        for selector in ("#pane-problem", ".cm-editor", "#submit-code"):
            in_view(page, selector)
        pinned(page)
        expect(page.get_by_role("tab", name="Code")).to_be_hidden()
        accessible(page, f"coding pad ({scheme})")
        context.close()

    page = new_interview(browser, server, "pad_keys", CODING)
    # Python highlighting and line numbers on the starter code
    expect(page.locator(".cm-content .tok-keyword", has_text="def").first).to_be_visible()
    gutter = page.locator(".cm-lineNumbers .cm-gutterElement")
    expect(gutter.filter(has_text=re.compile(r"^2$"))).to_be_visible()

    # auto-indent after a colon, brackets closed and matched, Tab indents inside the editor
    set_code(page, "")
    page.keyboard.type("def total(items):")
    page.keyboard.press("Enter")
    page.keyboard.type("return sum(items")
    expect_code(page, "def total(items):\n    return sum(items)")
    page.keyboard.press("End")
    expect(page.locator(".cm-matchingBracket")).to_have_count(2)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect_code(page, "def total(items):\n    return sum(items)\n        ")
    expect_focus_in_editor(page, True)  # Tab indented: focus stays in the editor

    # the documented ways out: Escape then Tab, and Ctrl+M (Tab moves focus until pressed again)
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    expect_focus_in_editor(page, False)  # Escape, then Tab leaves the editor
    page.locator(".cm-content").click()
    page.keyboard.press("Escape")
    page.keyboard.press("Shift+Tab")
    expect_focus_in_editor(page, False)  # and Escape, then Shift+Tab, backwards
    page.locator(".cm-content").click()
    page.keyboard.press("Control+m")
    page.keyboard.press("Tab")
    expect_focus_in_editor(page, False)  # after Ctrl+M, Tab moves focus
    expect(page.locator("#code-help")).to_contain_text("press Escape, then Tab")

    # code goes with a message only when the candidate asks; it shows folded
    set_code(page, "def total(items):\n    return sum(items)\n")
    answer(page, "I would sum them in one pass, O(n) time.")
    mine = page.locator("#transcript > li.candidate").last
    assert mine.locator("details").count() == 0 and "sum(items)" not in mine.inner_text()
    page.get_by_label("Include my code with this message").check()
    answer(page, "Here is my code.")
    folded = page.locator("#transcript > li.candidate").last.locator("details.code-block")
    expect(folded.locator("summary")).to_have_text("Code, 2 lines")
    expect(folded.locator("pre")).to_be_hidden()
    pinned(page)
    folded.locator("summary").click()
    expect(folded.locator("pre")).to_contain_text("return sum(items)")
    expect(page.get_by_label("Include my code with this message")).not_to_be_checked()
    expect_code(page, "def total(items):\n    return sum(items)\n")  # the code stays
    shot(page, "code-pad")
    page.context.close()


def test_a_phone_shows_chat_problem_and_code_as_tabs(server: str, browser) -> None:
    page = new_interview(browser, server, "pad_phone", CODING, PHONE)
    chat_tab = page.get_by_role("tab", name="Chat")
    expect(chat_tab).to_have_attribute("aria-selected", "true")
    expect(page.locator(".cm-editor")).to_be_hidden()
    pinned(page)
    accessible(page, "phone: chat tab")

    page.get_by_role("tab", name="Code").tap()
    expect(page.locator(".cm-editor")).to_be_visible()
    expect(page.locator("#transcript")).to_be_hidden()
    in_view(page, "#submit-code")
    in_view(page, "#elapsed")
    accessible(page, "phone: code tab")
    shot(page, "code-phone")

    page.get_by_role("tab", name="Code").press("ArrowLeft")
    problem_tab = page.get_by_role("tab", name="Problem")
    expect(problem_tab).to_be_focused()
    expect(problem_tab).to_have_attribute("aria-selected", "true")
    expect(page.locator("#problem-body")).to_be_visible()
    accessible(page, "phone: problem tab")

    chat_tab.tap()
    before = messages(page)
    page.get_by_label("Your answer").fill("I would use a hash map from value to index.")
    page.get_by_role("button", name="Send").tap()
    expect(stored(page)).to_have_count(before + 2)
    pinned(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.context.close()
