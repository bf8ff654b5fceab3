"""A design diagram sent with an answer: its Mermaid source, kept in the answer's own text.

The diagram is appended to the answer as a labelled, fenced `mermaid` block, so everything that
reads answers (the assessor, the interviewer's prompt, where candidate text is delimited as
candidate data, the grader, injection checks, exports) reads it with the words it was sent with,
and the answer and its diagram are stored, replayed and exported as one.
"""

from __future__ import annotations

import re

from app.services.errors import Invalid

MAX_DIAGRAM_CHARS = 10_000
LABEL = "Diagram (Mermaid):"
_FENCE = "```"
# the block `attach` appends: the label line, then a fence of three or more backticks
_ATTACHED = re.compile(rf"(?:\A|\n\n){re.escape(LABEL)}\n\n(`{{3,}})mermaid\n(.*)\n\1\Z", re.S)


def check(diagram: str) -> str:
    """Refuse an oversized or NUL-bearing diagram with a clear reason; never truncate."""
    if len(diagram) > MAX_DIAGRAM_CHARS:
        raise Invalid(
            f"the diagram has {len(diagram)} characters; the limit is {MAX_DIAGRAM_CHARS}. "
            "Draw the main components and flows only."
        )
    if "\x00" in diagram:
        raise Invalid("the diagram contains a NUL character")
    return diagram


def attach(text: str, diagram: str) -> str:
    """The answer as stored: its words, then the diagram in a fenced block no line can close."""
    source = diagram.strip("\n").rstrip()
    fence = _FENCE
    while fence in source:
        fence += "`"
    block = f"{LABEL}\n\n{fence}mermaid\n{source}\n{fence}"
    return f"{text.rstrip()}\n\n{block}" if text.strip() else block


def diagram_of(content: str) -> str | None:
    """The diagram `attach` added to an answer, or None."""
    found = _ATTACHED.search(content)
    return found.group(2) if found else None
