"""Key points named one per item of a roll call, not explained.

"I'd use idempotency keys with a unique constraint, a state machine with pending state, a double
entry ledger that's append only, the outbox pattern with kafka" names four components of a
payment design, each with a qualifier, and says how none of them works. An interviewer hears that
the candidate knows the names and asks how one of them works; a panel does not credit the design.
So a key point whose only words in the message are items of such a sentence is said in part, as
an LLM assessor is told to read it ("right but without the reasoning the point asks for"): the
director follows it up, the scorecard gives it half.

A roll call is a sentence of items (`text.enumerated_items`) of which ROLLCALL_POINTS or more
are each led by a different key point's words. A list of one point's parts ("exactly-once
charges, an audit trail, a small PCI scope": the requirements) is the point said, not a roll
call; so is a run of steps, which are clauses ("then a worker calls the provider").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.engine.assessment import ItemStatus
from app.engine.evidence import AnswerUnit
from app.engine.hits import Hit
from app.engine.text import enumerated_items

ROLLCALL_POINTS = 3
# the words before the first item's thing ("I'd use", "we need a"): its head may come after them
LEAD_TOKENS = 3
# the roll calls of a message: each unit's id, with the spans of its items
Rollcalls = dict[int, tuple[tuple[int, int], ...]]


def _head(piece: AnswerUnit, span: tuple[int, int], hit: Hit, first: bool) -> bool:
    """True when the hit's words lead the item: no content word before them (after a few words
    of lead in the first item)."""
    start, end = span
    before = sum(start <= s < hit.start for s, _ in piece.offsets)
    return start <= hit.start < end and before <= (LEAD_TOKENS if first else 0)


def rollcalls(
    evidence: Sequence[AnswerUnit], hits: Mapping[str, Sequence[Hit]]
) -> Rollcalls:
    """The units that are roll calls of the key points (by the key points' `hits`), with their
    items."""
    found = {}
    for piece in evidence:
        if piece.unit.kind != "prose":
            continue
        items = enumerated_items(piece.unit.text)
        if not items:
            continue
        led: dict[int, str] = {}  # item index -> the point that leads it
        for point_id, point_hits in hits.items():
            for hit in _plain(point_hits):
                if hit.evidence is not piece:
                    continue
                for index, span in enumerate(items):
                    if index not in led and _head(piece, span, hit, index == 0):
                        led[index] = point_id
        if len(set(led.values())) >= ROLLCALL_POINTS:
            found[id(piece)] = items
    return found


def _plain(hits: Sequence[Hit]) -> list[Hit]:
    return [h for h in hits if not (h.negated or h.hedged)]


def in_passing(
    items: Sequence[ItemStatus], hits: Mapping[str, Sequence[Hit]], calls: Rollcalls
) -> list[ItemStatus]:
    """The key points or sections as read, those covered only by items of roll calls said in
    part."""
    if not calls:
        return list(items)

    def listed(hit: Hit) -> bool:
        return any(start <= hit.start < end for start, end in calls.get(id(hit.evidence), ()))

    def named(item: ItemStatus) -> bool:
        plain = _plain(hits.get(item.id, ()))
        return item.status == "covered" and bool(plain) and all(listed(h) for h in plain)

    return [
        item.model_copy(update={"status": "partial", "named": ()}) if named(item) else item
        for item in items
    ]
