"""Keyword lists in every layout: terms one per line or as bullets, and sentences said over.

A comma-separated list on one line is recognised by `app.engine.text.is_keyword_list`; this
module finds the layouts that line-based splitting hides: a run of bare terms, one per line
(`- cross-entropy` / `- maximum likelihood`), and the same sentence repeated. Both name ideas
without explaining any, so neither is evidence. Pure and self-contained.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

_FENCE = re.compile(r"```.*?(?:```|$)", re.S)
_MARKER = re.compile(r"^\s*(?:[-*\u2022+]|\d+[.)]|[a-z][.)])\s+", re.I)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\-+#.()/^]*")
# words that make a line a statement rather than a term
_FUNCTION = frozenset(
    """is are was were be been am i we you it they he she this that because so then would will
    can could should use uses used using the a an to of for with by as if when which do does
    has have had my our their its since but and or not""".split()
)
MAX_TERM_WORDS = 5
MIN_RUN = 3
MAX_SHORT_WORDS = 6
TERM_SHARE = 2 / 3
# a sentence said this many times in one message is stuffing: no copy of it counts
STUFFED_REPEATS = 3


def is_term_line(line: str) -> bool:
    """True for a bare term or short noun phrase rather than a statement.

    Up to three words is a term ("maximum likelihood", "I proposed") unless it is written as a
    sentence ("We use Redis."); up to five words is a term if at most one is a function word.
    """
    stripped = _MARKER.sub("", line).strip()
    body = stripped.rstrip(".;,:")
    words = _WORD.findall(body)
    if not words or len(words) > MAX_TERM_WORDS or body.endswith("?"):
        return False
    function = sum(1 for w in words if w.lower() in _FUNCTION)
    if stripped.endswith(".") and function and len(words) >= 3:
        return False
    return len(words) <= 3 or function <= 1


def _short(line: str) -> bool:
    words = _WORD.findall(_MARKER.sub("", line))
    return 0 < len(words) <= MAX_SHORT_WORDS and not line.rstrip().endswith("?")


def listed_lines(text: str) -> set[str]:
    """The stripped lines of the text that belong to a keyword list laid out one per line.

    A run of short lines (three or more, or a whole message of two or more) is a list when
    most of its lines are bare terms; a stray "I proposed" among them does not save it. Lines
    inside fenced code are never lists.
    """
    prose = _FENCE.sub("\n", text)
    lines = [line.strip() for line in prose.splitlines() if line.strip()]
    listed: set[str] = set()
    run: list[str] = []
    for line in [*lines, ""]:
        if line and _short(line):
            run.append(line)
            continue
        whole = len(run) == len(lines) >= 2
        if (len(run) >= MIN_RUN or whole) and _mostly_terms(run):
            listed.update(run)
        run = []
    return listed


def _mostly_terms(run: list[str]) -> bool:
    return sum(map(is_term_line, run)) >= TERM_SHARE * len(run)


def normalised(sentence: str) -> str:
    """A sentence folded for comparing repeats: lowercase words only."""
    return " ".join(re.findall(r"[a-z0-9]+", sentence.lower()))


def stuffed(sentences: Sequence[str]) -> set[str]:
    """Normalised sentences one message says so often that they are stuffing, not an answer."""
    counts = Counter(normalised(s) for s in sentences)
    return {s for s, n in counts.items() if s and n >= STUFFED_REPEATS}
