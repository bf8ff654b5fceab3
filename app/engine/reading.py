"""An LLM's reading of one candidate message, checked and turned into an Assessment.

The model answers in this schema; nothing it says is trusted as is: ids it invents are dropped,
every quote must be the candidate's own words (verbatim, line breaks aside) or the status it
supports falls to not addressed, and the explicit requests the offline reading found (a hint,
skip, finish) are kept even if the model missed them. Pure: no I/O.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.engine.assessment import Assessment, Claim, ItemStatus, Status
from app.engine.intent import Intent

# requests the deterministic reading finds reliably; never lost to a model that missed them
KEPT_FROM_OFFLINE = (Intent.hint, Intent.skip, Intent.finish)
QUOTE_CHARS = 300


class _Reply(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ItemReading(_Reply):
    """The model's status for one key point or checklist section."""

    id: str = Field(max_length=80)
    status: Status
    quote: str | None = Field(default=None, max_length=QUOTE_CHARS)


class ClaimReading(_Reply):
    """An incorrect or unsupported claim, quoted, with a note for the interviewer."""

    quote: str = Field(max_length=QUOTE_CHARS)
    note: str = Field(max_length=300)


class Reading(_Reply):
    """What the assessment call returns."""

    intents: list[
        Literal[
            "answer", "hint", "clarify", "logistics", "question", "skip", "finish",
            "off_topic", "instruct", "dont_know",
        ]
    ] = Field(min_length=1, max_length=10)
    key_points: list[ItemReading] = Field(default_factory=list, max_length=40)
    sections: list[ItemReading] = Field(default_factory=list, max_length=20)
    claims: list[ClaimReading] = Field(default_factory=list, max_length=10)
    keyword_list: bool = False
    another_question: bool = False


def _squash(text: str) -> str:
    return " ".join(text.split())


def _verbatim(quote: str | None, message: str) -> str | None:
    """The quote if the candidate said it, word for word (line breaks aside), else None."""
    if quote is None or not quote.strip():
        return None
    squashed = _squash(quote)
    return squashed if squashed in _squash(message) else None


def _items(readings: list[ItemReading], known: tuple[str, ...], message: str) -> list[ItemStatus]:
    by_id = {r.id: r for r in readings if r.id in known}
    items = []
    for item_id in known:
        reading = by_id.get(item_id)
        quote = _verbatim(reading.quote, message) if reading else None
        if reading is None or reading.status == "not_addressed" or quote is None:
            items.append(ItemStatus(id=item_id, status="not_addressed"))
        else:
            items.append(ItemStatus(id=item_id, status=reading.status, quote=quote))
    return items


def to_assessment(
    reading: Reading,
    *,
    message: str,
    key_points: tuple[str, ...],
    sections: tuple[str, ...],
    offline: Assessment,
) -> Assessment:
    """The model's reading as an Assessment, with every quote checked against the message."""
    intents = [Intent(i) for i in reading.intents]
    intents += [i for i in KEPT_FROM_OFFLINE if offline.has(i) and i not in intents]
    claims = [
        Claim(quote=quote, note=c.note)
        for c in reading.claims
        if (quote := _verbatim(c.quote, message)) is not None
    ]
    points = _items(reading.key_points, key_points, message)
    return Assessment(
        intents=tuple(dict.fromkeys(intents)),
        key_points=tuple(points),
        sections=tuple(_items(reading.sections, sections, message)),
        claims=tuple(claims),
        keyword_list=reading.keyword_list or offline.keyword_list,
        # the model judges what is explained: a roll call it credited in full is no roll call
        rollcall=offline.rollcall and any(k.status == "partial" for k in points),
        assumptions=offline.assumptions,
        dives=offline.dives,
        restate=offline.restate,
        choice=offline.choice,
        check_in=offline.check_in,
        goes_back=offline.goes_back,
        asks_about=offline.asks_about,
        asks_section=offline.asks_section,
        asked_themselves=offline.asked_themselves,
        more=offline.more,
        hypothetical=offline.hypothetical,
        concedes=offline.concedes,
        fresh=offline.fresh,
        # a reading that credits a key point is on this question, whatever the flag says
        another_question=reading.another_question
        and all(k.status == "not_addressed" for k in reading.key_points),
        backend="llm",
    )
