"""What a candidate says they are stuck on: the key points a request for help names, the
follow-up questions it asks itself, and the points a sentence naming a gap keeps uncredited.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from app.content.models import RoundSpec
from app.engine.evidence import AnswerUnit
from app.engine.gap import REQUEST_WORDS, named_points
from app.engine.intent import Intent, named_gap, sentence_intent
from app.engine.matching import find_phrase, phrase_tokens, tokens
from app.engine.text import units
from app.engine.topics import Topic


def stuck_on(topic: Topic, evidence: Sequence[AnswerUnit]) -> dict[str, tuple[str, ...]]:
    """Per sentence that names a gap, the key points it names: "It's DP over the amounts, I
    know that much, but I can't work out what the recurrence is" credits no recurrence, whatever
    words of it the sentence says on the way."""
    found = {}
    for piece in evidence:
        gap = named_gap(piece.unit.text) if piece.unit.kind == "prose" else None
        if gap is None:
            continue
        if named := named_outright(topic, gap):
            found[piece.unit.text] = named
    return found


def named_outright(topic: Topic, gap: str) -> tuple[str, ...]:
    """The key points a gap names by their name or a whole phrase, not by a word in passing
    ("I can't work out how one turns into the other" after naming both sides is a guess at the
    link)."""
    said = set(tokens(gap))
    points = {p.id: p for p in topic.key_points}
    return tuple(
        p
        for p in named_points(topic, gap)
        if said & set(tokens(p.replace("-", " ")))
        or any(set(phrase_tokens(f)) <= said for f in points[p].phrases)
    )


def _request(text: str) -> tuple[list[str], list[int], list[int], dict[int, str]]:
    """A request for help read by sentence: the sentences, those that ask, those with the one
    before each (where the gap may be named: "I keep mixing up the order. Any breadcrumbs?"),
    and the gap each of those names ("..., but I'm stuck on the scaling detail, could you point
    me at it?": what follows "stuck on", whatever the sentence said before it)."""
    sentences = [u.text for u in units(text) if u.kind == "prose"]
    asking = [i for i, s in enumerate(sentences) if sentence_intent(s) is Intent.hint]
    before = sorted({j for i in asking for j in (i - 1, i) if j >= 0})
    gaps = {i: gap for i in before if (gap := named_gap(sentences[i])) is not None}
    return sentences, asking, before, gaps


def section_asked_about(spec: RoundSpec, topic: Topic, text: str) -> str | None:
    """The part of a design or a story a request for help names by its name ("I'm blanking on
    the features part"), and no key point by its own ("stuck on how to evaluate this" names the
    evaluation point). Not in the coding rounds, whose parts (approach, implementation) are
    steps of one solution the hints already lead through."""
    named = " ".join(_request(text)[3].values())
    if spec.code_required or named_outright(topic, named):
        return None
    gap = set(tokens(named))
    return next(
        (
            s.id
            for s in spec.checklist
            if gap & set(tokens(s.name)) and s.id not in topic.skip_sections
        ),
        None,
    )


def asks_about(topic: Topic, text: str, said: Collection[str] = ()) -> tuple[str, ...]:
    """The key points a request for help names: in the sentence that asks, with the one before
    it when it asks barely ("I'm lost on the evaluation. Any hints?"); the whole message only
    when those name none. A long answer ending "stuck on evaluating this, any pointers?" asks
    about the evaluation, not about what the answer said before. Read from the answer around a
    request that names nothing, the points the message made (`said`) are what it answered, not
    what it is stuck on ("Threads share the heap, processes don't. Stuck on what comes next,
    any hint?"); a gap it names is about them last."""
    sentences, asking, before, gaps = _request(text)
    # a gap too short to name a point by its words names the points whose phrase it says whole
    # ("not sure how to handle a hot key": the hot keys, not what the sentence said before)
    gap = " ".join(gaps.values())
    words = tokens(gap)
    named = named_points(topic, gap) or tuple(
        p.id for p in topic.key_points if any(find_phrase(words, ph) for ph in p.phrases)
    )
    if named:
        # ties go the way the whole sentence leans ("for the temperature part, I'm not sure how
        # to do the search itself")
        lean = named_points(topic, " ".join(sentences[i] for i in gaps))
        # a gap whose words fit a point the message just made and one it did not is about the
        # one not made yet ("... a resend gets the stored response. What I can't see is what to
        # do when Stripe times out": the timeout, not the idempotency just explained)
        return tuple(
            sorted(
                named,
                key=lambda p: (p in said, lean.index(p) if p in lean else len(lean)),
            )
        )
    named = named_points(topic, " ".join(sentences[j] for j in asking))
    for part in (" ".join(sentences[j] for j in before), text):
        if named:
            break
        named = tuple(p for p in named_points(topic, part) if p not in said)
    return named


# a request sharing this share of a follow-up's words of its subject asks that follow-up itself
ASKED_THEMSELVES = 0.6


def asked_themselves(topic: Topic, text: str, named: Sequence[str]) -> tuple[str, ...]:
    """The named points whose follow-up question the message itself asks: most of the words
    the follow-up asks about, not its words of asking ("could you point me somewhere for the
    loop rewrite?" asks "How would you rewrite the loop, and what does the rewrite cost?")."""
    if not named:
        return ()
    said = set(tokens(text))
    found = []
    for follow_up in topic.follow_ups:
        if follow_up.key_point in named:
            asked = set(tokens(follow_up.prompt)) - REQUEST_WORDS
            if asked and len(asked & said) >= ASKED_THEMSELVES * len(asked):
                found.append(follow_up.key_point)
    return tuple(found)
