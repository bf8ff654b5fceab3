"""Negation and hedging scope inside one sentence, on character offsets.

"I'm not using a heap" and "I don't know about log k" say nothing in favour of a heap or of
log k; "I guess you'd move the taller one" or "maybe an empty list?" is a guess, not a claim.
A negation cue covers the rest of its clause (clauses end at punctuation and at connectives
such as "but", "because", "so"); a hedge covers the rest of its sentence up to a contrast
("but", "however"), and a sentence that ends in a question mark is hedged throughout. "X, no
wait, Y" takes X back, as does a sentence that opens "No wait, ..." for the one before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NEGATION = re.compile(
    # "no more than two thirds full" bounds a number, it denies nothing
    r"\b(not(?! only| just)|no(?! matter| doubt| more than| less than| fewer than| later than)|"
    r"never|without|cannot|neither|nor|none|"
    r"nothing|instead of|rather than|avoid(?:ing|s)?|"
    r"(?:do|does|did|is|are|was|were|would|should|could|wo|ca|have|has|had|need)n['\u2019]?t)\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(
    r"[,;:!?()\[\]]|\s[-\u2013\u2014]\s|\b(but|however|though|although|whereas|because|since|"
    r"so|while|unless|otherwise|then|and then|which means)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(i guess|i'?d guess|guessing|maybe|perhaps|possibly|not sure|unsure|not certain|"
    r"i wonder|no idea|might be|could be|i suppose|kind of|sort of|not really sure|or something)\b",
    re.IGNORECASE,
)
_CONTRAST = re.compile(r"\b(but|however|though|although|whereas)\b|;", re.IGNORECASE)
# "X, no wait, Y": the speaker takes back what came before the cue
_RETRACTION = re.compile(
    r"\b(no,? wait|wait,? no|scratch that|strike that|actually,? no|no,? sorry|"
    r"i take (that|it) back|i had it backwards|(i'?ve|i) got it backwards)\b",
    re.IGNORECASE,
)
# "if you start every weight at zero, ...": a supposition, not a claim
_SUPPOSING = re.compile(r"\b(if|suppose|supposing|imagine|whether|what if)\b", re.IGNORECASE)
# "moving the taller one is a mistake": the predicate after a statement denies it
_REFUTING = re.compile(
    r"\b(wrong|a mistake|pointless|useless|incorrect|a myth|a bad idea|a trap)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Polarity:
    """Where in one sentence statements are negated or hedged."""

    text: str
    negations: tuple[tuple[int, int], ...]  # each cue's (start, end of its clause)
    hedges: tuple[tuple[int, int], ...]  # each hedged stretch (start, end)
    # everything before this offset was taken back ("..., no wait, ...")
    retracted_before: int = 0

    def negated(self, start: int, end: int) -> bool:
        """True when a negation cue outside [start, end) governs the words in that span, or the
        speaker took the words back."""
        return start < self.retracted_before or any(
            cue_start < start and start < scope_end and not start <= cue_start < end
            for cue_start, scope_end in self.negations
        )

    def refuted_after(self, end: int) -> bool:
        """True when the rest of the clause after `end` denies it ("... can never help")."""
        clause_end = _next(_CLAUSE_END, self.text, end)
        rest = self.text[end:clause_end]
        return _REFUTING.search(rest) is not None or any(
            end <= cue < clause_end for cue, _ in self.negations
        )

    def supposed(self, start: int) -> bool:
        """True when the words at `start` are in a clause that supposes ("if you ...")."""
        cues = [m.end() for m in _SUPPOSING.finditer(self.text, 0, start)]
        return bool(cues) and self.one_clause(cues[-1], start)

    @property
    def retracts_previous(self) -> bool:
        """True when the sentence opens by taking back the one before ("No wait, ...")."""
        found = _RETRACTION.match(self.text.lstrip(" \t\"'(-"))
        return found is not None

    def one_clause(self, start: int, end: int) -> bool:
        """True when [start, end) does not cross a clause boundary (a claim is made in one)."""
        return _CLAUSE_END.search(self.text, start, end) is None

    def hedged(self, start: int, end: int) -> bool:
        """True when the span lies in a hedged stretch of the sentence."""
        return any(s <= start < e or s < end <= e for s, e in self.hedges)


def _next(pattern: re.Pattern[str], text: str, after: int) -> int:
    found = pattern.search(text, after)
    return found.start() if found else len(text)


def _previous_contrast(text: str, before: int) -> int:
    starts = [m.end() for m in _CONTRAST.finditer(text, 0, before)]
    return starts[-1] if starts else 0


def polarity(sentence: str) -> Polarity:
    """The negated and hedged stretches of one sentence."""
    negations = tuple(
        (cue.start(), _next(_CLAUSE_END, sentence, cue.end()))
        for cue in _NEGATION.finditer(sentence)
    )
    hedges = []
    for cue in _HEDGE.finditer(sentence):
        # "a heap, maybe" hedges what came before it too, back to the last contrast
        hedges.append(
            (_previous_contrast(sentence, cue.start()), _next(_CONTRAST, sentence, cue.end()))
        )
    if sentence.rstrip().endswith("?"):
        hedges.append((0, len(sentence)))
    retractions = [cue.start() for cue in _RETRACTION.finditer(sentence)]
    return Polarity(
        text=sentence,
        negations=negations,
        hedges=tuple(hedges),
        retracted_before=retractions[-1] if retractions else 0,
    )
