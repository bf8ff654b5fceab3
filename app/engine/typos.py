"""Typo tolerance: a typed word that is no known word is read as the one content word it is one
edit from ("spcae" as "space").

`VOCABULARY` is the engine's one piece of process-wide state beyond memoised readings (the
`lru_cache`s): the content's words, learned when content loads (`matching.learn_words`, which
also clears the cached readings that depend on them), and the typo index built from them
(`warm_up` builds it at start-up). Nothing else in the engine holds words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib.resources import files
from typing import Any

from symspellpy import SymSpell, Verbosity

from app.engine.stems import stem

# a word shorter than this is never read as another: "tiem" could be "time" or "item"
TYPO_MIN_LETTERS = 5
_CONTENT_WORD = re.compile(r"[a-z]+")
_IZE = re.compile(r"(?<=[a-z]{3})iz(e|ed|es|ing|ation|ations)$")


class Corrected(str):
    """A typed word read as the content word it is one edit from ("spcae" as "space"): equal
    to that word's token everywhere, except in a wrong version's every-word check, which reads
    only what was typed (a typo never makes a wrong claim)."""

    __slots__ = ()


class _Vocabulary:
    """The content's words (every text of the question bank, learned when content loads) and
    common English words (SymSpell's frequency dictionary, 82,765 words): a word that is none of
    these, of TYPO_MIN_LETTERS letters or more, is read as the one content word it is one edit
    from (optimal string alignment distance 1: two neighbouring letters swapped, or one letter
    deleted, inserted or replaced), if exactly one is. SymSpell finds the candidates from its
    index of the content words with one letter deleted."""

    def __init__(self) -> None:
        self.words: set[str] = set()
        self.stems: set[str] = set()
        self._speller: Any = None
        self._english: frozenset[str] | None = None

    def learn(self, texts: Iterable[str]) -> bool:
        """Add the texts' words; True when any was new (the typo index is then built again)."""
        new = {w for text in texts for w in _CONTENT_WORD.findall(text.lower())} - self.words
        self.words |= new
        self.stems |= {stem(w) for w in new}
        if new:
            self._speller = None
        return bool(new)

    def english(self) -> frozenset[str]:
        """The common English words, read from SymSpell's dictionary once."""
        if self._english is None:
            listed = files("symspellpy") / "frequency_dictionary_en_82_765.txt"
            lines = listed.read_text(encoding="utf-8").splitlines()
            self._english = frozenset(line.split(" ", 1)[0] for line in lines)
        return self._english

    def speller(self) -> Any:
        """The SymSpell index of the content words (and their British -ise spellings)."""
        if self._speller is None:
            speller = SymSpell(max_dictionary_edit_distance=1)
            for word in self.words:
                if len(word) >= TYPO_MIN_LETTERS - 1:
                    speller.create_dictionary_entry(word, 1)
                    # "regularization" is also typed "regularisation"
                    speller.create_dictionary_entry(_IZE.sub(r"is\1", word), 1)
            self._speller = speller
        return self._speller

    def known(self, word: str) -> bool:
        """True for a content word, a form of one, or a common English word."""
        return word in self.words or stem(word) in self.stems or word in self.english()

    def correct(self, word: str) -> str | None:
        """The stem of the one content word the word is a typo of, or None."""
        if len(word) < TYPO_MIN_LETTERS or not word.isalpha() or not self.words:
            return None
        if self.known(word):
            return None
        found = self.speller().lookup(word, Verbosity.ALL, max_edit_distance=1)
        stems = {stem(item.term) for item in found}
        return stems.pop() if len(stems) == 1 else None


VOCABULARY = _Vocabulary()


def warm_up() -> None:
    """Load the English word list and build the typo index now (about 0.3 s), at start-up, not
    during the first candidate message that has an unknown word."""
    VOCABULARY.english()
    VOCABULARY.speller()
