"""Word stems: a word folded with the Snowball English stemmer, British spellings folded to
American first, so that "caching", "cached" and "caches" meet, and "generalise" meets
"generalize".
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_BRITISH = (
    (re.compile(r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations)$"), r"iz\1"),  # generalise
    # neighbour(s|ing), behaviours, colourful; not contour, detour, devour
    (
        re.compile(r"(?<=[a-z]{3})(?<!cont|deto|devo|scou)our(s|ed|ing|ite|ites|able|ful)?$"),
        r"or\1",
    ),
    (re.compile(r"(?<=[a-z]{3})yse(s|d)?$"), r"yze\1"),  # analyse, paralysed
    (re.compile(r"(?<=[a-z]{2})tre$"), "ter"),  # centre, metre
)
_STEMMER = snowballstemmer.stemmer("english")
# words the stemmer folds too far, kept apart: "personalised" is not "personally" nor "person"
_KEPT = re.compile(r"^personaliz")


# short words the stemmer leaves alone, whose plural must meet the singular: "post ids" is
# "post id", "ads" is "ad"
_SHORT_PLURALS = {"ids": "id", "ips": "ip", "dbs": "db", "vms": "vm", "ads": "ad", "prs": "pr"}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Fold a word to its stem so 'caching', 'cached' and 'caches' meet."""
    if len(word) <= 3 or not word.isalpha():
        return _SHORT_PLURALS.get(word, word)
    for pattern, replacement in _BRITISH:
        word = pattern.sub(replacement, word)
    kept = _KEPT.match(word)
    if kept is not None:
        return kept.group()
    stemmed: str = _STEMMER.stemWord(word)
    return stemmed
