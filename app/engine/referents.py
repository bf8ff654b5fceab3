"""What "them" stands for: the party named just before. "Should I write to the authors?" then
"I did write to them, and they replied ..." has contacted the authors; an interviewer hears the
authors in "them" and does not ask who could help.

A key point's phrase that ends on a party ("email the authors") also reads with "them" in its
place, when the candidate's last message or the question on the table named that party. Only
plural parties ("the authors", "the maintainers") are read. Pure and lexical.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# a party named by a plural noun: "the authors", "the other teams"
_PARTY = re.compile(r"\bthe ((?:other |original )?[a-z]{3,}s)\b", re.IGNORECASE)
# a phrase that ends on one: "contacted the authors", "write to the maintainers"
_ENDS_ON_PARTY = re.compile(r"^(?P<lead>.*\S)\s+the (?P<party>[a-z ]{3,}s)$", re.IGNORECASE)


def parties(said: Sequence[str | None]) -> frozenset[str]:
    """The plural parties the texts name ("authors" in "write to the authors")."""
    return frozenset(m.group(1).lower() for text in said if text for m in _PARTY.finditer(text))


def pronoun_phrases(phrases: Sequence[str], named: frozenset[str]) -> tuple[str, ...]:
    """The phrases that end on a party just named, with "them" for the party: "email them" for
    "email the authors" after "should I write to the authors?"."""
    found = []
    for phrase in phrases:
        ends = _ENDS_ON_PARTY.match(phrase.strip())
        if ends and ends.group("party").lower() in named:
            found.append(f"{ends.group('lead')} them")
    return tuple(found)
