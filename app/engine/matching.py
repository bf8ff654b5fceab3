"""Lexical evidence matching: does an answer say what a key point or checklist phrase says?

Text is lowercased, contractions are expanded, punctuation becomes spaces, British spellings
fold to American, a light stemmer folds common suffixes and function words are dropped
(pronouns and negations are kept: "I" vs "we" and "not" change meaning). A phrase matches
when all its words occur within a short window of one unit of the answer (a sentence, a line of
code), in any order. The same rule serves the director (coverage) and the scorer (evidence).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(r"[a-z0-9+#]+(?:\.[0-9]+)?")
STOPWORDS = frozenset(
    """a an the and or of to in for with at by from as is are was were be been being it its
    this that these those then than there they them you he she your so if into about over
    under can could would should will do does did done have has had yes just very also which
    when where who any each some such too again further here him her""".split()
)
_SUFFIXES = ("ization", "ations", "ation", "ings", "ions", "ing", "ion", "es", "ed", "ly", "s")
_BRITISH = (
    (re.compile(r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations)$"), r"iz\1"),  # generalise
    (re.compile(r"(?<=[a-z]{3})our$"), "or"),  # neighbour, behaviour
    (re.compile(r"(?<=[a-z]{2})tre$"), "ter"),  # centre, metre
)
_CONTRACTIONS = (
    (re.compile(r"n['\u2019]t\b"), " not"),
    (re.compile(r"['\u2019](re)\b"), " are"),
    (re.compile(r"['\u2019](ll)\b"), " will"),
    (re.compile(r"['\u2019](ve)\b"), " have"),
    (re.compile(r"['\u2019](d)\b"), " would"),
    (re.compile(r"['\u2019](m)\b"), " am"),
    (re.compile(r"['\u2019]s\b"), ""),
)


def stem(word: str) -> str:
    """Fold a word to a crude stem so 'caching', 'cached' and 'caches' meet."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for pattern, replacement in _BRITISH:
        word = pattern.sub(replacement, word)
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ied") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "sz":
        word = word[:-1]
    return word.rstrip("e") if len(word) > 4 else word


def tokens(text: str) -> list[str]:
    """Content tokens of a text, stemmed, function words removed."""
    lowered = text.lower().replace("%", " percent ")
    for pattern, replacement in _CONTRACTIONS:
        lowered = pattern.sub(replacement, lowered)
    lowered = re.sub("[-_'\u2019/]", " ", lowered)
    return [stem(t) for t in _TOKEN.findall(lowered) if t not in STOPWORDS]


@lru_cache(maxsize=16384)
def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """Tokens of an evidence phrase (cached: phrases come from immutable content)."""
    found = tuple(dict.fromkeys(tokens(phrase)))
    return found or tuple(phrase.lower().split())


@dataclass(frozen=True)
class Match:
    """Where a phrase was found: token span in the answer."""

    phrase: str
    start: int
    end: int


def find_phrase(answer_tokens: list[str], phrase: str) -> Match | None:
    """Find all of the phrase's words inside one window of the answer, or None."""
    wanted = phrase_tokens(phrase)
    if not wanted:
        return None
    if len(wanted) == 1:
        for index, token in enumerate(answer_tokens):
            if token == wanted[0]:
                return Match(phrase, index, index + 1)
        return None
    window = max(len(wanted) * 2, len(wanted) + 2)
    needed = set(wanted)
    for start, token in enumerate(answer_tokens):
        if token not in needed:
            continue
        seen = set()
        for index in range(start, min(start + window, len(answer_tokens))):
            if answer_tokens[index] in needed:
                seen.add(answer_tokens[index])
                if len(seen) == len(needed):
                    return Match(phrase, start, index + 1)
    return None


def first_match(answer_tokens: list[str], phrases: Iterable[str]) -> Match | None:
    """The first of the phrases found in the answer."""
    for phrase in phrases:
        found = find_phrase(answer_tokens, phrase)
        if found:
            return found
    return None
