"""The message read as units of evidence: each sentence or line of code with its tokens, their
offsets and its polarity. Requests are not answer text, keyword lists are set apart, and where a
story is asked for, a sentence of a plan tells nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from app.content.models import RoundSpec
from app.engine.hypothetical import is_hypothetical
from app.engine.intent import Intent, checks_in, goes_on, sentence_intent
from app.engine.matching import folded, spans
from app.engine.polarity import Polarity, polarity
from app.engine.text import Unit, named_span, units


@dataclass(frozen=True)
class AnswerUnit:
    """One unit of answer text, its tokens with offsets, and its polarity."""

    unit: Unit
    tokens: list[str]
    offsets: list[tuple[int, int]]
    polarity: Polarity
    present: frozenset[str]
    # the tokens as wrong versions read them (everyday equivalents folded)
    folded: frozenset[str] = frozenset()
    # terms only named in an empty frame ("it is about X and Y"): named, not explained
    named: tuple[int, int] | None = None

    def names_only(self, start: int, end: int) -> bool:
        """True when the span lies in terms the sentence only names (see `text.named_span`)."""
        return self.named is not None and self.named[0] <= start and end <= self.named[1]

    @property
    def asserts(self) -> bool:
        """True for code, and for a sentence that claims something (not only denies or guesses)."""
        return self.unit.kind == "code" or any(
            not self.polarity.negated(s, e) and not self.polarity.hedged(s, e)
            for s, e in self.offsets
        )


def _read(unit: Unit, reading: Polarity, named: tuple[int, int] | None = None) -> AnswerUnit:
    """One unit as evidence: its tokens with their offsets, read with the polarity given."""
    # words put right in the same breath are not read: "sort them by their ends, no, by their
    # starts" reads "sort them by their starts"
    located = [
        (t, s, e)
        for t, s, e in spans(unit.text)
        if not any(a <= s < b for a, b in reading.corrected)
    ]
    present = frozenset(t for t, _, _ in located)
    return AnswerUnit(
        unit=unit,
        tokens=[t for t, _, _ in located],
        offsets=[(s, e) for _, s, e in located],
        polarity=reading,
        present=present,
        folded=folded(present),
        named=named,
    )


@lru_cache(maxsize=1024)
def list_units(text: str) -> tuple[AnswerUnit, ...]:
    """The message's keyword lists as units of evidence: they evidence nothing, except where a
    list is the answer asked for (see `lists.listed_answers`)."""
    return tuple(_read(unit, polarity(unit.text)) for unit in units(text) if unit.kind == "list")


@lru_cache(maxsize=1024)
def answer_units(text: str) -> tuple[tuple[AnswerUnit, ...], bool]:
    """The units that are answer text (not requests, not lists), and whether a list was seen.
    Cached: each turn reads the question's earlier answers again."""
    found: list[AnswerUnit] = []
    listed = False
    before: Intent | None = None  # the request the sentence before made, if any
    for unit in units(text):
        if unit.kind == "list":
            listed = True
            continue
        if unit.kind == "prose":
            asked = sentence_intent(unit.text)
            if asked is None and goes_on(unit.text, before):
                asked = before  # the rest of its question: "like INCR with an expiry"
            before = asked
            if asked not in (None, Intent.dont_know):
                continue
        reading = polarity(unit.text, checks_in=checks_in(unit.text))
        if reading.retracts_previous and found and found[-1].unit.kind == "prose":
            # "No wait, ..." takes back the sentence before it
            taken_back = found[-1].polarity
            found[-1] = replace(
                found[-1], polarity=replace(taken_back, retracted_before=len(taken_back.text))
            )
        named = named_span(unit.text) if unit.kind == "prose" else None
        found.append(_read(unit, reading, named))
    return tuple(found), listed


def told(spec: RoundSpec, unit: Unit) -> bool:
    """False for a sentence of a plan ("I would talk to them") where a story is asked for."""
    return not (spec.past_experience and unit.kind == "prose" and is_hypothetical(unit.text))


def told_units(spec: RoundSpec, evidence: Sequence[AnswerUnit]) -> tuple[list[AnswerUnit], bool]:
    """The evidence that tells what happened, and whether a hypothetical was left out."""
    kept = [e for e in evidence if told(spec, e.unit)]
    return kept, len(kept) < len(evidence)
