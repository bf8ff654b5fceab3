"""Lexical evidence matching: does an answer say what a key point or checklist phrase says?

Text is lowercased, punctuation becomes spaces, a light stemmer folds common suffixes and
stopwords are dropped. A phrase matches when all its words occur within a short window of the
answer, in any order. The same rule serves the director (coverage) and the scorer (evidence).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(r"[a-z0-9+#]+(?:\.[0-9]+)?")
_STOPWORDS = frozenset(
    """a an the and or of to in on for with at by from as is are was were be been being it its
    this that these those then than there their they them we i you he she our my your so if
    into about over under can could would should will do does did done have has had not no
    yes just very also which what when where who how why all any each some such more most
    other only own same too up out off again further once here both few me him her us""".split()
)
_SUFFIXES = (
    "ization",
    "isation",
    "ations",
    "ation",
    "ings",
    "ing",
    "ies",
    "ied",
    "ers",
    "er",
    "es",
    "ed",
    "ly",
    "s",
)


def stem(word: str) -> str:
    """Fold a word to a crude stem so 'caching', 'cached' and 'caches' meet."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "ls":
        word = word[:-1]
    return word.rstrip("e") if len(word) > 4 else word


def tokens(text: str) -> list[str]:
    """Content tokens of a text, stemmed, stopwords removed."""
    lowered = text.lower().replace("-", " ").replace("_", " ").replace("'", "")
    return [stem(t) for t in _TOKEN.findall(lowered) if t not in _STOPWORDS]


@lru_cache(maxsize=8192)
def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """Tokens of an evidence phrase (cached: phrases come from immutable content)."""
    found = tuple(tokens(phrase))
    return found or tuple(phrase.lower().split())


@dataclass(frozen=True)
class Match:
    """Where a phrase was found: token span in the answer."""

    phrase: str
    start: int
    end: int


def find_phrase(answer_tokens: list[str], phrase: str) -> Match | None:
    """Find the phrase's words within a window of the answer, or None."""
    wanted = phrase_tokens(phrase)
    if not wanted:
        return None
    window = max(len(wanted) * 2, len(wanted) + 2)
    first = wanted[0] if len(wanted) == 1 else None
    positions: dict[str, list[int]] = {}
    for index, token in enumerate(answer_tokens):
        if token in wanted:
            positions.setdefault(token, []).append(index)
    if first is not None:
        hits = positions.get(first)
        return Match(phrase, hits[0], hits[0] + 1) if hits else None
    if any(word not in positions for word in wanted):
        return None
    for start in positions[wanted[0]]:
        lo, hi = start - window + 1, start + window
        spans = [[p for p in positions[w] if lo <= p < hi] for w in wanted[1:]]
        if all(spans):
            chosen = [start] + [s[0] for s in spans]
            if max(chosen) - min(chosen) < window:
                return Match(phrase, min(chosen), max(chosen) + 1)
    return None


def first_match(answer_tokens: list[str], phrases: Iterable[str]) -> Match | None:
    """The first of the phrases found in the answer."""
    for phrase in phrases:
        found = find_phrase(answer_tokens, phrase)
        if found:
            return found
    return None
