"""Which parts of a sentence the candidate asserts, and which they negate or only guess at.

"I'm not using a heap" names a heap without claiming it; "I don't know about log k" claims
nothing about log k; "maybe a heap" is a guess. Matching a key point's words is only evidence
when they fall in an asserted part. The rules are lexical and deliberately small: a negator or
an ignorance marker opens a scope that runs to the end of its clause (punctuation, or a
conjunction that starts a new claim such as "but", "because", "instead"); a soft hedge marks
its clause as a guess. Pure and self-contained, so the assessor and the scorer share it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from enum import StrEnum


class Polarity(StrEnum):
    """How the candidate stands behind one part of a sentence."""

    asserted = "asserted"
    hedged = "hedged"  # a guess: "maybe", "I guess", "probably"
    negated = "negated"  # denied or professed unknown: "not", "never", "I don't know"


@dataclass(frozen=True)
class Part:
    """A stretch of a sentence, verbatim, and its polarity."""

    text: str
    polarity: Polarity


# a clause ends at punctuation or at a word that starts a new claim
_CLAUSE_END = re.compile(
    r"[,;:\u2013\u2014]|\s-\s|\b(?:but|however|although|though|whereas|while|yet|instead|"
    r"because|since|so|which|then|otherwise|except)\b|\b(?:and|or)\s+(?=(?:i|we|you|it|they|"
    r"this|that|then|also|the)\b)",
    re.IGNORECASE,
)
# "not only", "no doubt", "whether or not": negator words that deny nothing
_NOT_NEGATING = re.compile(
    r"\b(?:not only|not just|no doubt|no matter|nothing but|whether or not|or not|if not|"
    r"not bad|not least)\b",
    re.IGNORECASE,
)
_NEGATOR = re.compile(
    r"\b(?:not|never|no|none|nothing|neither|nor|without|cannot|"
    r"instead of|rather than|as opposed to|unsure|forget|forgot|"
    r"[a-z]+n['\u2019]t)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:maybe|perhaps|possibly|probably|presumably|i guess|i'?m guessing|i suppose|"
    r"i'?d guess|might|could be|not sure|kind of|sort of)\b",
    re.IGNORECASE,
)


def _clauses(sentence: str) -> list[str]:
    """The sentence cut into clauses, verbatim (the cut points stay with the next clause)."""
    cuts = [0] + [m.start() for m in _CLAUSE_END.finditer(sentence)] + [len(sentence)]
    return [sentence[a:b] for a, b in itertools.pairwise(cuts) if sentence[a:b]]


def _neutral(clause: str) -> str:
    """The clause with negator words that deny nothing blanked out (same length)."""
    return _NOT_NEGATING.sub(lambda m: " " * len(m.group()), clause)


def parts(sentence: str) -> list[Part]:
    """The sentence as consecutive parts with their polarity; joined they give it back."""
    found: list[Part] = []
    for clause in _clauses(sentence):
        neutral = _neutral(clause)
        negator = _NEGATOR.search(neutral)
        if negator:
            start = negator.start()
            if start:
                found.append(Part(clause[:start], _polarity_of(neutral, start)))
            found.append(Part(clause[start:], Polarity.negated))
        else:
            found.append(Part(clause, _polarity_of(neutral, len(clause))))
    return found


def _polarity_of(neutral_clause: str, end: int) -> Polarity:
    return Polarity.hedged if _HEDGE.search(neutral_clause[:end]) else Polarity.asserted


def polarity(sentence: str) -> Polarity:
    """The sentence's weakest polarity: negated if any part is, else hedged if any part is."""
    kinds = {p.polarity for p in parts(sentence)}
    for kind in (Polarity.negated, Polarity.hedged):
        if kind in kinds:
            return kind
    return Polarity.asserted
