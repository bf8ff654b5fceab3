"""Evidence quotes: sentences of candidate messages, checked verbatim."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.engine.assessment import Assessment
from app.engine.text import squash
from app.scoring.models import Evidence

MAX_QUOTE_CHARS = 300


@dataclass(frozen=True)
class CandidateMessage:
    """A candidate message as scorers see it, with the assessment the interview made of it."""

    seq: int
    content: str
    assessment: Assessment | None = None


def clip(sentence: str) -> str:
    """A quote short enough to show; clipping keeps it a verbatim prefix."""
    text = squash(sentence)
    return text if len(text) <= MAX_QUOTE_CHARS else text[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0]


def verify(
    quotes: Iterable[Evidence], messages: Sequence[CandidateMessage]
) -> tuple[list[Evidence], int]:
    """Keep quotes found verbatim in a candidate message (re-tied to it); count the rest."""
    squashed = {m.seq: squash(m.content) for m in messages}
    kept: list[Evidence] = []
    dropped = 0
    for evidence in quotes:
        quote = squash(evidence.quote)
        if not quote:
            dropped += 1
            continue
        if quote in squashed.get(evidence.message_seq, ""):
            kept.append(Evidence(quote=quote, message_seq=evidence.message_seq))
            continue
        owner = next((seq for seq, text in squashed.items() if quote in text), None)
        if owner is None:
            dropped += 1
        else:
            kept.append(Evidence(quote=quote, message_seq=owner))
    return kept, dropped
