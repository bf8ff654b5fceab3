"""The offline assessor: deterministic text analysis of one candidate message.

Reads the message sentence by sentence (requests such as "Can I get a hint?" are not answer
text), matches each key point's phrases and paraphrases and each checklist section's phrases
with the one matching rule of `matching`, and reads each match's polarity: a negated match
covers nothing, a hedged one is partial, a match of a key point's wrong version is a claim.
Keyword lists evidence nothing. Pure and fast: no I/O, no model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.content.models import RoundSpec
from app.engine.assessment import Assessment, Claim, ItemStatus, Status
from app.engine.intent import Intent, intents, sentence_intent
from app.engine.matching import could_match, find_phrase, phrase_tokens, spans
from app.engine.polarity import Polarity, polarity
from app.engine.text import Unit, units
from app.engine.topics import Topic

QUOTE_CHARS = 240
_RANK: dict[Status, int] = {"not_addressed": 0, "partial": 1, "covered": 2}


@dataclass(frozen=True)
class AnswerUnit:
    """One unit of answer text, its tokens with offsets, and its polarity."""

    unit: Unit
    tokens: list[str]
    offsets: list[tuple[int, int]]
    polarity: Polarity
    present: frozenset[str]

    @property
    def asserts(self) -> bool:
        """True for code, and for a sentence that claims something (not only denies or guesses)."""
        return self.unit.kind == "code" or any(
            not self.polarity.negated(s, e) and not self.polarity.hedged(s, e)
            for s, e in self.offsets
        )


@dataclass(frozen=True)
class _Hit:
    """A phrase found in a unit of evidence, with its reading."""

    evidence: AnswerUnit
    start: int  # character offsets of the matched words in the unit's text
    end: int
    negated: bool
    hedged: bool

    @property
    def quote(self) -> str:
        text = self.evidence.unit.text
        if len(text) <= QUOTE_CHARS:
            return text
        begin = max(0, min(self.start - QUOTE_CHARS // 3, len(text) - QUOTE_CHARS))
        return text[begin : begin + QUOTE_CHARS].strip()

    @property
    def said(self) -> str:
        return self.evidence.unit.text[self.start : self.end]


def answer_units(text: str) -> tuple[list[AnswerUnit], bool]:
    """The units that are answer text (not requests, not lists), and whether a list was seen."""
    found: list[AnswerUnit] = []
    listed = False
    for unit in units(text):
        if unit.kind == "list":
            listed = True
            continue
        if unit.kind == "prose" and sentence_intent(unit.text) not in (None, Intent.dont_know):
            continue
        located = spans(unit.text)
        found.append(
            AnswerUnit(
                unit=unit,
                tokens=[t for t, _, _ in located],
                offsets=[(s, e) for _, s, e in located],
                polarity=polarity(unit.text),
                present=frozenset(t for t, _, _ in located),
            )
        )
    return found, listed


def _hits(
    evidence: Sequence[AnswerUnit], phrases: Sequence[str], *, every_word: bool = False
) -> list[_Hit]:
    """Every reading of the phrases in the evidence: each phrase, each unit, each occurrence."""
    hits = []
    for piece in evidence:
        for phrase in phrases:
            if not could_match(phrase, piece.present, every_word):
                continue
            offset = 0
            while offset < len(piece.tokens):
                match = find_phrase(piece.tokens[offset:], phrase, every_word=every_word)
                if match is None:
                    break
                first, last = match.start + offset, match.end + offset - 1
                start, end = piece.offsets[first][0], piece.offsets[last][1]
                negated = piece.polarity.negated(start, end)
                hedged = piece.polarity.hedged(start, end)
                hits.append(_Hit(piece, start, end, negated, hedged))
                if not negated and not every_word:
                    break
                # a negated mention, or a wrong version across clauses: look further on
                offset = first + 1
    return hits


def _status(hits: Sequence[_Hit]) -> tuple[Status, _Hit | None]:
    best: tuple[Status, _Hit | None] = ("not_addressed", None)
    for hit in hits:
        if hit.negated:
            continue
        status: Status = "partial" if hit.hedged else "covered"
        if _RANK[status] > _RANK[best[0]]:
            best = (status, hit)
    return best


def _claimed(hit: _Hit) -> bool:
    """A wrong version counts when it is said in prose (code is not a claim), not denied,
    within one clause."""
    evidence = hit.evidence
    return (
        evidence.unit.kind == "prose"
        and not hit.negated
        and evidence.polarity.one_clause(hit.start, hit.end)
    )


def _item(item_id: str, hits: Sequence[_Hit]) -> ItemStatus:
    status, hit = _status(hits)
    if hit is None:
        return ItemStatus(id=item_id, status=status)
    return ItemStatus(id=item_id, status=status, quote=hit.quote, said=hit.said)


def assess(topic: Topic, spec: RoundSpec, text: str) -> Assessment:
    """Assess one candidate message against the question's key points and the round's checklist."""
    found, _ = intents(text)
    evidence, listed = answer_units(text)
    key_points: list[ItemStatus] = []
    claims: list[Claim] = []
    for point in topic.key_points:
        item = _item(point.id, _hits(evidence, (*point.phrases, *point.paraphrases)))
        for version in point.wrong:
            wrong = next(
                (h for h in _hits(evidence, version.phrases, every_word=True) if _claimed(h)), None
            )
            if wrong is not None:
                claims.append(Claim(quote=wrong.quote, note=version.note, key_point=point.id))
                item = ItemStatus(id=point.id, status="wrong", quote=wrong.quote, said=wrong.said)
                break
        key_points.append(item)
    sections = [
        _item(section.id, _hits(evidence, (*section.phrases, *section.paraphrases)))
        for section in spec.checklist
    ]
    complexity = _linear_claim_for_nested_loops(text, evidence)
    if complexity is not None:
        target = _complexity_point(topic)
        claims.append(complexity.model_copy(update={"key_point": target}))
        key_points = [
            ItemStatus(id=k.id, status="wrong", quote=complexity.quote) if k.id == target else k
            for k in key_points
        ]
    addressed = any(s.status != "not_addressed" for s in (*key_points, *sections)) or claims
    if Intent.answer in found and not addressed and not listed and not _on_topic(topic, evidence):
        found = (found - {Intent.answer}) | {Intent.off_topic}
    return Assessment(
        intents=tuple(sorted(found)),
        key_points=tuple(key_points),
        sections=tuple(sections),
        claims=tuple(claims),
        keyword_list=listed,
        assumptions=_assumptions_asked(topic, text) if found & _ASKING else (),
        backend="offline",
    )


_ASKING = {Intent.clarify, Intent.question}


def _on_topic(topic: Topic, evidence: Sequence[AnswerUnit]) -> bool:
    return any(set(piece.tokens) & topic.vocabulary for piece in evidence)


def _assumptions_asked(topic: Topic, text: str) -> tuple[int, ...]:
    """The question's stated assumptions that the message's questions mention."""
    asked = [s for s in units(text) if sentence_intent(s.text) in _ASKING]
    found = []
    for index, assumption in enumerate(topic.assumptions):
        if any(find_phrase(u.tokens, about) for u in asked for about in assumption.about):
            found.append(index)
    return tuple(found)


_NESTED_PROSE = re.compile(
    r"\b(nested (for )?loops?|double (for )?loop|two (nested |for )?loops|"
    r"loop inside (a|another|the) loop|inner loop|(every|all|each) pairs?|"
    r"for (each|every) \w+\b[^.?!]{0,60}"
    r"\b(loop|go|iterate|scan|check|look|walk|run|search|compare)\w* "
    r"((over|through|at) )?(all|every|the rest|the other|the remaining|each))",
    re.IGNORECASE,
)
_LINEAR = re.compile(r"\bO\(\s*n\s*\)|\blinear( time)?\b", re.IGNORECASE)
_QUADRATIC = re.compile(r"O\(\s*n\s*(\^\s*2|\u00b2|\*\s*n)\s*\)|\bquadratic\b|\bn squared\b", re.I)
_LOOP_LINE = re.compile(r"^(\s*)(for|while)\b")


def _nested_loop_in_code(text: str) -> bool:
    """True when a for/while line is indented under another one."""
    open_loops: list[int] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        open_loops = [i for i in open_loops if i < indent]
        if _LOOP_LINE.match(line):
            if open_loops:
                return True
            open_loops.append(indent)
    return False


def _linear_claim_for_nested_loops(text: str, evidence: Sequence[AnswerUnit]) -> Claim | None:
    """ "This is O(n) because we go through the array" about a double loop is a wrong claim."""
    if _QUADRATIC.search(text):
        return None
    if not (_nested_loop_in_code(text) or _NESTED_PROSE.search(text)):
        return None
    for piece in evidence:
        claim = _LINEAR.search(piece.unit.text)
        if claim and not piece.polarity.negated(claim.start(), claim.end()):
            note = "States linear time for a loop nested inside a loop over the input: quadratic."
            return Claim(quote=piece.unit.text[:QUOTE_CHARS], note=note)
    return None


def _complexity_point(topic: Topic) -> str | None:
    """The key point that states the time complexity (a phrase says O(n) or linear)."""
    for point in topic.key_points:
        words = {w for p in point.phrases for w in phrase_tokens(p)}
        if words & {"o(n)", "linear"}:
            return point.id
    return None
