"""The question on the table put more simply, for a candidate who asks for simpler words.

An interviewer asked to "say it in simpler terms" gives the ask in fewer words: the question's
own plain version when the content has one, else its first sentence that asks, without code,
asides, examples or the givens after a colon. Pure and lexical.
"""

from __future__ import annotations

import re

from app.engine.text import sentences
from app.engine.topics import Topic

# a sentence that asks for something: a question, or one that says what to do
_ASKS = re.compile(
    r"\?\s*$|^(implement|design|explain|describe|give|write|compare|derive|show|build|estimate|"
    r"propose|outline|discuss|list|choose|compute|tell|walk|find|return|sketch|define|how|what|"
    r"why|which|when|where)\b|,\s*(return|find|compute|design|implement|explain)\b",
    re.IGNORECASE,
)
# a sentence that leans on the one before it ("How does each one ...?")
_LEANS = re.compile(r"\b(each one|them|they|it|this|these|both|either one)\b", re.IGNORECASE)


def plainly(topic: Topic, asked: str | None) -> str:
    """The question on the table in fewer, plainer words: the question's own plain version when
    it has one; else its first paragraph without code, asides or givens, cut to the first
    sentence that asks (with the one before when it leans on it, or is too short to stand)."""
    if asked is None and topic.plain:
        return topic.plain
    text = (asked or topic.prompt).strip().split("\n\n")[0]
    text = re.sub(r"\s*\([^()]*\)", "", text.replace("`", ""))
    said = sentences(text)
    asking = [i for i, s in enumerate(said) if _ASKS.search(s)]
    if not asking:
        return said[0] if said else text
    ask = asking[0]
    opening = " ".join(said[ask].split()[:5])
    lean = _LEANS.search(opening) or len(said[ask].split()) < 6
    kept = said[ask - 1 : ask + 1] if ask > 0 and lean else said[ask : ask + 1]
    return " ".join(_core(s) for s in kept)


# an elaboration: what follows a colon, an example or a list of cases inside a sentence
_ELABORATION = re.compile(r",? (for example|for instance|such as|e\.g\.)[^,]*$|(?<=\w): .*$")


def _core(sentence: str) -> str:
    """A sentence without its elaborations, when enough of it is left to stand alone."""
    end = "?" if sentence.rstrip().endswith("?") else "."
    core = _ELABORATION.sub("", sentence).rstrip(" ,.?!")
    return core + end if len(core.split()) >= 6 else sentence
