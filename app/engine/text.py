"""An answer split into units of evidence: sentences, lines of code, and keyword lists.

A keyword list names ideas without explaining any of them, in any layout: comma-separated
("kmeans++, argmin, inertia, convergence, O(nkd)"), bullets of bare terms, one term per line,
or the same sentence said again and again. It is recognised so that it evidences nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from app.engine.matching import STOPWORDS, tokens

# a sentence ends at . ! ? or at a line break, but not at "e.g." nor at the "1." numbering an
# item ("1. sort 2. merge"); a number that ends a sentence ("in base 62. Is that...") does
_NUMBERED = r"(?<!^\d\.)(?<!^\d\d\.)(?:(?<!\b\d\.)(?<!\b\d\d\.)|(?=\s+[A-Z]))"
_SENTENCE_END = re.compile(
    rf"(?<=[.!?]){_NUMBERED}(?<!\be\.g\.)(?<!\bi\.e\.)\s+|\n+", re.MULTILINE
)
_FENCE = re.compile(r"```[^\n]*\n(.*?)(?:```|$)", re.S)
_CODE_LINE = re.compile(r"[=(){}\[\]]|^\s*(def|return|for|while|if|class|import|from)\b")
_WORD = re.compile(r"[A-Za-z']+")


def squash(text: str) -> str:
    """Whitespace collapsed to single spaces: the form quotes are compared in."""
    return " ".join(text.split())


def sentences(text: str) -> list[str]:
    """The text's sentences (and lines), stripped, in order."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


_BRACKETED = re.compile(r"\[[^\]]*\]|\([^)]*\)|\{[^}]*\}")
# a sentence led by a speaker's clause ("I'd test an empty list, ...") enumerates in a statement
_SPEAKER = frozenset("i we you i'd we'd you'd i'll we'll i'm we're i've we've my our".split())


def is_keyword_list(sentence: str) -> bool:
    """True for a bare list of terms: many short comma-separated items, few function words."""
    flat = _BRACKETED.sub(" ", sentence)  # "[3, 3]" is one item, not two
    segments = [s for s in re.split(r"[,;]", flat) if s.strip()]
    if len(segments) < 4:
        return False
    words = _WORD.findall(flat.lower())
    if not words:
        return True
    lead = _WORD.findall(segments[0].lower())
    if len(lead) >= 4 and any(w in _SPEAKER for w in lead):
        return False
    function_words = sum(1 for w in words if w.replace("'", "") in STOPWORDS or w in {"i", "we"})
    mean_length = len(words) / len(segments)
    return mean_length <= 4 and function_words / len(words) < 0.2


@dataclass(frozen=True)
class Unit:
    """A sentence or a line of code, with its tokens."""

    text: str
    tokens: list[str]
    kind: Literal["prose", "code", "list"]


_BULLET = re.compile(r"^\s*(?:[-*\u2022\u2013+]|\d{1,2}[.)])\s+")
MIN_TERM_LINES = 3


def is_term(line: str) -> bool:
    """True for a line that is a bare term (a bullet or a line of at most four words)."""
    body = _BULLET.sub("", line).strip().rstrip(".;,")
    words = _WORD.findall(body.lower())
    if not words or len(words) > 4 or body.endswith(":") or "?" in body:
        return False
    function_words = sum(1 for w in words if w.replace("'", "") in STOPWORDS or w in {"i", "we"})
    return function_words / len(words) < 0.34


def units(text: str) -> list[Unit]:
    """The answer's units in order; fenced code is split into lines, never taken for a list."""
    found: list[Unit] = []
    cursor = 0
    for fence in _FENCE.finditer(text):
        found += _prose_units(text[cursor : fence.start()])
        found += [
            Unit(line.strip(), tokens(line), "code")
            for line in fence.group(1).splitlines()
            if line.strip()
        ]
        cursor = fence.end()
    found += _prose_units(text[cursor:])
    return _mark_lists(found)


def _mark_lists(found: list[Unit]) -> list[Unit]:
    """Terms one per line (three or more, half the prose) and repeated sentences are lists."""
    prose = [u for u in found if u.kind != "code"]
    terms = [u for u in prose if u.kind == "prose" and is_term(u.text)]
    listed = (
        {id(u) for u in terms}
        if len(terms) >= MIN_TERM_LINES and 2 * len(terms) >= len(prose)
        else set()
    )
    seen: set[tuple[str, ...]] = set()
    marked = []
    for unit in found:
        key = tuple(unit.tokens)
        repeated = unit.kind == "prose" and bool(key) and key in seen
        seen.add(key)
        if id(unit) in listed or repeated:
            unit = Unit(unit.text, unit.tokens, "list")
        marked.append(unit)
    return marked


# code quoted inline in a sentence ("`==` compares values") leaves the sentence prose
_INLINE_CODE = re.compile(r"`[^`\n]+`")


def _prose_units(text: str) -> list[Unit]:
    result = []
    for sentence in sentences(text):
        bare = _INLINE_CODE.sub(" ", sentence)
        if _CODE_LINE.search(bare) and not is_keyword_list(sentence):
            kind: Literal["prose", "code", "list"] = "code"
        else:
            kind = "list" if is_keyword_list(sentence) else "prose"
        result.append(Unit(sentence, tokens(sentence), kind))
    return result
