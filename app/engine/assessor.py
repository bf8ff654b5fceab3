"""The offline assessor: deterministic text analysis of one candidate message.

Reads the message sentence by sentence (requests such as "Can I get a hint?" are not answer
text), matches each key point's phrases and paraphrases and each checklist section's phrases
with the one matching rule of `matching`, and reads each match's polarity: a negated match
covers nothing, a hedged one is partial, a match of a key point's wrong version is a claim.
Keyword lists evidence nothing. Pure and fast: no I/O, no model.

This module is the flow; its rules live in `evidence` (the units read), `hits` (phrases found),
`quotes` (words quoted back), `claims` (wrong claims), `lists` (lists that answer), `sections`
(sections credited beyond their phrases), `stuck` (gaps named, help asked for) and
`another_question` (whether the answer is this question's).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.content.models import CoveredBy, RoundSpec
from app.engine.another_question import (
    STORY_PARTS,
    another_story,
    answer_under_way,
    elsewhere,
    on_topic,
    sibling_answer,
)
from app.engine.asked import (
    ASKING,
    about_the_job,
    asking_units,
    assumptions_asked,
    small_talk,
)
from app.engine.assessment import Assessment, Claim, ItemStatus
from app.engine.claims import complexity_claims, restated, wrong_hits
from app.engine.evidence import AnswerUnit, answer_units, told_units
from app.engine.hits import find_hits, item_status, outside_claims, strongest
from app.engine.hypothetical import sets_scene, tells_own_action
from app.engine.intent import Intent, asks_for_simpler, asks_to_repeat, intents
from app.engine.lists import listed_answers
from app.engine.quotes import excerpt
from app.engine.sections import covered_by_kind, sections_by_point, unclaimed
from app.engine.stuck import asked_themselves, asks_about, stuck_on
from app.engine.text import is_test_plan, units
from app.engine.topics import Topic


def _dives_answered(topic: Topic, evidence: Sequence[AnswerUnit]) -> tuple[int, ...]:
    """The topic's deep dives the message answers: one of their `answered_by` said plainly."""
    return tuple(
        index
        for index, dive in enumerate(topic.deep_dives)
        if dive.answered_by and strongest(find_hits(evidence, dive.answered_by))[0] == "covered"
    )


def assess(topic: Topic, spec: RoundSpec, text: str, *, earlier: Sequence[str] = ()) -> Assessment:
    """Assess one candidate message against the question's key points and the round's checklist;
    `earlier` is what the candidate said before on the same question (what "this" refers to)."""
    found, _ = intents(text)
    units_said, listed = answer_units(text)
    evidence, hypothetical = told_units(spec, units_said)
    wrong = wrong_hits(topic, evidence)
    said_wrong = [hit for hit, _ in wrong.values()]
    stuck = stuck_on(topic, evidence)
    key_points: list[ItemStatus] = []
    claims: list[Claim] = []
    for point in topic.key_points:
        if point.id in wrong:
            hit, version = wrong[point.id]
            claims.append(
                Claim(
                    quote=hit.claim_quote,
                    note=version.note,
                    key_point=point.id,
                    challenge=version.challenge,
                )
            )
            key_points.append(
                ItemStatus(id=point.id, status="wrong", quote=hit.quote, said=hit.said)
            )
            continue
        hits = find_hits(evidence, (*point.phrases, *point.paraphrases))
        hits = [h for h in hits if point.id not in stuck.get(h.evidence.unit.text, ())]
        key_points.append(item_status(point.id, outside_claims(hits, said_wrong)))
    sections = [
        item_status(
            s.id, outside_claims(find_hits(evidence, (*s.phrases, *s.paraphrases)), said_wrong)
        )
        for s in spec.checklist
    ]
    key_points, sections, by_list = listed_answers(topic, spec, text, key_points, sections)
    key_points, claims = complexity_claims(topic, text, earlier, evidence, key_points, claims)
    key_points, claims = restated(topic, earlier, evidence, key_points, claims)
    # an answer under way on the question: what follows may use words of its own
    under_way = answer_under_way(topic, spec, earlier)
    # "I spent the weekend hiking" alone is no STAR action
    if under_way or any(i.status != "not_addressed" for i in (*key_points, *sections)):
        prose = [e for e in evidence if e.unit.kind == "prose"]
        kinds: tuple[tuple[CoveredBy, Callable[[str], bool]], ...] = (
            ("own_action", tells_own_action),
            ("scene", sets_scene),
        )
        for kind, tells in kinds:
            told = next((e for e in prose if tells(e.unit.text)), None)
            if told is not None:
                quote = excerpt(told.unit.text)
                sections = covered_by_kind(spec, kind, sections, quote)
    if Intent.clarify in found:  # a question is never quoted as evidence of what they know
        sections = covered_by_kind(spec, "clarifying_question", sections, None)
    plan = next((e for e in evidence if e.unit.kind == "prose" and is_test_plan(e.unit.text)), None)
    if plan is not None:  # the inputs they would test: the testing part and its key points
        quote = excerpt(plan.unit.text)
        sections = covered_by_kind(spec, "test_plan", sections, quote)
        tested = {s.criterion for s in spec.checklist if s.covered_by == "test_plan"}
        criteria = {p.id: p.criterion for p in topic.key_points}
        key_points = [
            ItemStatus(id=k.id, status="covered", quote=quote)
            if criteria[k.id] in tested and k.status == "not_addressed"
            else k
            for k in key_points
        ]
    sections = unclaimed(sections_by_point(topic, spec, key_points, sections), claims)
    addressed = any(s.status != "not_addressed" for s in (*key_points, *sections)) or claims
    if (
        Intent.answer in found
        and not addressed
        and not listed
        and not hypothetical
        and not under_way
        and not on_topic(topic, evidence)
    ):
        found = (found - {Intent.answer}) | {Intent.off_topic}
    points_said = any(k.status != "not_addressed" for k in key_points) or claims
    # a story's words are its own: a behavioral answer is another question's when it names
    # nothing the question is about, not when its words are new
    told_through = sum(s.status == "covered" for s in sections) >= STORY_PARTS
    # a story's key points are read by their specific words alone
    # (`another_question.another_story`): "I learned" credits a reflection point of every
    # behavioral question
    said_here = bool(claims) if spec.past_experience else points_said
    another = (
        Intent.answer in found
        and not said_here
        and not by_list  # the list asked for ("Reqs: push, sms, email") is about this question
        # a plan gets "tell me about a time"; a story told through with a plan in it is judged
        and not (hypothetical and not told_through)
        and (
            told_through and not under_way and another_story(topic, spec, evidence)
            if spec.past_experience
            else not under_way
            and (elsewhere(topic, spec, evidence) or sibling_answer(topic, evidence))
        )
    )
    if another:
        # the director records nothing of it and the scorecard takes nothing from it
        found = (found - {Intent.answer}) | {Intent.off_topic}
    asking = asking_units(units(text)) if found & ASKING else []
    if asking and not addressed and small_talk(topic, asking):
        found = (found - {Intent.question}) | {Intent.off_topic}
    elif asking and about_the_job(asking):
        found -= {Intent.off_topic}  # the question is the point of the message
    return Assessment(
        intents=tuple(sorted(found)),
        key_points=tuple(key_points),
        sections=tuple(sections),
        claims=tuple(claims),
        keyword_list=listed,
        assumptions=assumptions_asked(topic, asking),
        dives=_dives_answered(topic, evidence) if not another else (),
        restate=bool(asking) and asks_to_repeat(text),
        simpler=bool(asking) and asks_for_simpler(text),
        asks_about=(named := asks_about(topic, text) if Intent.hint in found else ()),
        asked_themselves=asked_themselves(topic, text, named),
        hypothetical=hypothetical and not addressed,
        another_question=another,
        backend="offline",
    )
