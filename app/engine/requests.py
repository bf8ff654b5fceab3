"""Sentences that ask rather than answer: hint requests, questions, small talk.

Found per sentence, anywhere in a message ("Maybe an empty list? ... Can I get a hint?" asks
for a hint even though it starts as an answer). A sentence that asks earns no credit and is
never quoted as evidence. Pure and self-contained.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Act(StrEnum):
    """What one sentence of a candidate message does."""

    answer = "answer"
    hint_request = "hint_request"
    question = "question"  # to the interviewer: clarifying, or about the job
    guess = "guess"  # a tentative answer phrased as a question: "Maybe an empty list?"
    filler = "filler"  # "Okay.", "Let me think.", "Sorry."


def _any(*expressions: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{e})" for e in expressions), re.IGNORECASE)


_HINT = _any(
    r"\b(?:can|could|may|might) (?:i|we) (?:get|have|ask for) (?:a|another|one more|some) "
    r"(?:hint|clue|pointer|nudge|help)\b",
    r"\b(?:give|show) me (?:a|another|some) (?:hint|clue|nudge|pointer)\b",
    r"\bhints? please\b|\bplease,? (?:a |another )?hint\b",
    r"^\W*(?:a |another |one more )?(?:hint|clue)s?\W*$",
    r"\b(?:need|want|like|use) (?:a|another|some) (?:hint|clue|nudge|pointer)\b",
    r"\bany (?:hints?|pointers?|clues?)\b",
    r"\b(?:i'?m|i am) (?:stuck|lost)\b",
    r"\bcould you help me\b|\bcan you help me\b",
)
_NO_HINT = re.compile(
    r"\b(?:no|don'?t|do not|without|never) (?:need |want |use )?(?:a |any )?(?:hints?|help)\b",
    re.IGNORECASE,
)
_ASKING = re.compile(
    r"^\W*(?:what|why|how|when|where|which|who|whom|whose|is|are|was|were|do|does|did|can|"
    r"could|should|would|will|may|shall|am|have|has)\b",
    re.IGNORECASE,
)
_TO_YOU = re.compile(r"\byou(?:r)?\b", re.IGNORECASE)
_ASKING_WITHOUT_MARK = _any(
    r"^\W*(?:can|could|would) you (?:clarify|repeat|rephrase|explain|tell me)\b",
    r"^\W*(?:i was wondering|i wonder) (?:if|whether|what|how)\b",
    r"^\W*what do you mean\b",
)
_FILLER = _any(
    r"^\W*(?:ok(?:ay)?|sure|right|alright|great|cool|thanks?|thank you|yes|yeah|no|nope|hmm+|"
    r"um+|uh+|sorry|good question|let me think(?: about (?:it|this|that))?|got it|"
    r"i see|makes sense|fair enough)\W*$",
    r"^\W*(?:i think |so )?that(?:'s| is| covers| about covers) (?:all|it|everything|what i know)"
    r"(?: (?:i know|i have|about (?:it|this|that)|for (?:now|me)))?\W*$",
    r"^\W*(?:i have |i've )?nothing (?:else|more) to add\W*$",
)


def act(sentence: str) -> Act:
    """What the sentence does; an answer unless it asks for a hint, asks, guesses or fills."""
    text = sentence.strip()
    if _HINT.search(text) and not _NO_HINT.search(text):
        return Act.hint_request
    if _FILLER.search(text):
        return Act.filler
    if text.endswith("?"):
        return Act.question if _ASKING.search(text) or _TO_YOU.search(text) else Act.guess
    if _ASKING_WITHOUT_MARK.search(text):
        return Act.question
    return Act.answer


def asks_for_hint(sentences: list[str]) -> bool:
    """True when any sentence of a message asks for a hint."""
    return any(act(s) is Act.hint_request for s in sentences)
