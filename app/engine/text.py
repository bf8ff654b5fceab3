"""An answer split into units of evidence: sentences, lines of code, and keyword lists.

A keyword list ("kmeans++, argmin, inertia, convergence, O(nkd)") names ideas without
explaining any of them; it is recognised so that it evidences nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from app.engine.matching import STOPWORDS, tokens

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_FENCE = re.compile(r"```[^\n]*\n(.*?)(?:```|$)", re.S)
_CODE_LINE = re.compile(r"[=(){}\[\]]|^\s*(def|return|for|while|if|class|import|from)\b")
_WORD = re.compile(r"[A-Za-z']+")


def squash(text: str) -> str:
    """Whitespace collapsed to single spaces: the form quotes are compared in."""
    return " ".join(text.split())


def sentences(text: str) -> list[str]:
    """The text's sentences (and lines), stripped, in order."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def is_keyword_list(sentence: str) -> bool:
    """True for a bare list of terms: many short comma-separated items, few function words."""
    segments = [s for s in re.split(r"[,;]", sentence) if s.strip()]
    if len(segments) < 4:
        return False
    words = _WORD.findall(sentence.lower())
    if not words:
        return True
    function_words = sum(1 for w in words if w.replace("'", "") in STOPWORDS or w in {"i", "we"})
    mean_length = len(words) / len(segments)
    return mean_length <= 4 and function_words / len(words) < 0.2


@dataclass(frozen=True)
class Unit:
    """A sentence or a line of code, with its tokens."""

    text: str
    tokens: list[str]
    kind: Literal["prose", "code", "list"]


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
    return found


def _prose_units(text: str) -> list[Unit]:
    result = []
    for sentence in sentences(text):
        if _CODE_LINE.search(sentence) and not is_keyword_list(sentence):
            kind: Literal["prose", "code", "list"] = "code"
        else:
            kind = "list" if is_keyword_list(sentence) else "prose"
        result.append(Unit(sentence, tokens(sentence), kind))
    return result
