"""Markdown in messages, rendered safely: no raw HTML in, only an allow-list of tags out."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable("table")
_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}
_ATTRIBUTES = {"a": {"href", "title"}, "code": {"class"}}


def render(text: str) -> str:
    """Markdown to sanitised HTML."""
    html = _md.render(text)
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
    )


_CODE_BLOCK = re.compile(r"<pre><code([^>]*)>(.*?)</code></pre>", re.DOTALL)


def _folded(block: re.Match[str]) -> str:
    lines = block.group(2).rstrip("\n").count("\n") + 1
    plural = "s" if lines != 1 else ""
    if 'class="language-mermaid"' in block.group(1):
        # a design diagram: the page draws it from the folded source (app/static/diagram/)
        return (
            '<figure class="diagram-block"><div class="diagram-view"></div><figcaption>'
            f'<details class="code-block"><summary>Diagram source, {lines} line{plural}</summary>'
            f"{block.group(0)}</details></figcaption></figure>"
        )
    label = f"Code, {lines} line{plural}"
    return f'<details class="code-block"><summary>{label}</summary>{block.group(0)}</details>'


def render_message(text: str, *, role: str) -> str:
    """A chat message as sanitised HTML; a candidate's code blocks are folded away, so a long
    program does not push the conversation off the screen, and a diagram's source is folded
    under the place where the page draws it."""
    html = render(text)
    return _CODE_BLOCK.sub(_folded, html) if role == "candidate" else html
