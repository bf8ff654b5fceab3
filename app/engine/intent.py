"""What kind of message the candidate sent: an answer, a request, or something to handle gently."""

from __future__ import annotations

import re
from enum import StrEnum

from app.engine.matching import tokens


class Intent(StrEnum):
    """The director's reading of one candidate message."""

    answer = "answer"
    hint = "hint"
    skip = "skip"
    finish = "finish"
    clarify = "clarify"
    dont_know = "dont_know"
    too_short = "too_short"
    gibberish = "gibberish"


def _patterns(*expressions: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{e})" for e in expressions), re.IGNORECASE)


_HINT = _patterns(
    r"\b(can|could|may) i (get|have) a (hint|clue|pointer|nudge)\b",
    r"^\W*(a |another |one more )?(hint|clue)\b",
    r"\bgive me a (hint|clue|nudge)\b",
    r"\b(i'?m|i am) (stuck|lost)\b",
    r"\bany (hints?|pointers?|clues?)\b",
    r"\b(need|want) (a|another) (hint|clue)\b",
)
_SKIP = _patterns(
    r"\b(i'?m|i am) done with this question\b",
    r"\b(next|another|different) question\b",
    r"\b(let'?s |can we )?(skip|move on)\b",
    r"\bpass on this\b",
)
_FINISH = _patterns(
    r"\b(end|finish|stop|wrap up|conclude) (the|this) interview\b",
    r"^\W*let'?s (wrap up|end here|stop here)\W*$",
)
_DONT_KNOW = _patterns(
    r"\b(i )?(do ?n[o']?t|dont) know\b",
    r"\bno (idea|clue)\b",
    r"\b(i'?m|i am) not sure\b",
    r"\bi have no (idea|clue)\b",
    r"\bnot familiar with\b",
    r"\bnever (heard|used)\b",
)
_CLARIFY = _patterns(
    r"^\W*(what do you mean|can you (clarify|repeat|rephrase|explain the question))",
    r"^\W*(could you (clarify|repeat|rephrase))",
    r"^\W*(can|may|should) i assume\b",
    r"^\W*(is|are|do|does|should|can|what|how (big|many|large)) .{0,120}\?\s*$",
    r"^\W*(sorry,? )?(i )?(did ?n[o']?t|don'?t) (understand|get) the question",
)
_CODE = re.compile(r"[=(){}\[\]:;]|\b(def|return|for|while|class|import|np\.)\b")
_VOWEL = re.compile(r"[aeiouy]")


def _looks_like_words(text: str) -> bool:
    words = re.findall(r"[A-Za-z]+", text)
    if not words:
        return bool(re.search(r"\d", text)) and len(text.split()) > 2
    plausible = [w for w in words if _VOWEL.search(w.lower()) and len(w) <= 20]
    long_consonant_runs = re.search(r"[bcdfghjklmnpqrstvwxz]{6,}", text.lower())
    return len(plausible) / len(words) >= 0.6 and not long_consonant_runs


def classify(text: str) -> Intent:
    """Read the candidate's intent from one message; answers are the default."""
    stripped = text.strip()
    words = stripped.split()
    short = len(words) <= 12
    if short and _HINT.search(stripped):
        return Intent.hint
    if short and _FINISH.search(stripped):
        return Intent.finish
    if len(words) <= 8 and _SKIP.search(stripped):
        return Intent.skip
    if len(words) <= 8 and _DONT_KNOW.search(stripped):
        return Intent.dont_know
    if len(words) <= 30 and _CLARIFY.search(stripped):
        return Intent.clarify
    if not _CODE.search(stripped) and not _looks_like_words(stripped):
        return Intent.gibberish
    if len(tokens(stripped)) < 3 and not _CODE.search(stripped):
        return Intent.too_short
    return Intent.answer
