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

from collections.abc import Sequence

from app.content.models import RoundSpec
from app.engine.another_question import (
    STORY_PARTS,
    another_story,
    answer_under_way,
    elsewhere,
    names_its_scenario,
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
from app.engine.concession import concedes
from app.engine.doers import others_in_part, own_criteria
from app.engine.evidence import AnswerUnit, answer_units, told_units
from app.engine.hits import (
    Hit,
    avoided,
    find_hits,
    item_status,
    outside_claims,
    said_denied,
    strongest,
)
from app.engine.intent import (
    Intent,
    asks_for_more,
    asks_for_simpler,
    asks_to_choose,
    asks_to_repeat,
    goes_back,
    intents,
    only_checks_in,
)
from app.engine.lists import listed_answers
from app.engine.matching import tokens
from app.engine.referents import parties, pronoun_phrases
from app.engine.replies import wrong_reply
from app.engine.rollcall import in_passing, rollcalls
from app.engine.sections import IMPLEMENTATION, sections_by_kind, sections_by_point, unclaimed
from app.engine.stuck import asked_themselves, asks_about, section_asked_about, stuck_on
from app.engine.text import units
from app.engine.topics import EVERYDAY, Topic


def _dives_answered(topic: Topic, evidence: Sequence[AnswerUnit]) -> tuple[int, ...]:
    """The topic's deep dives the message answers: one of their `answered_by` said plainly."""
    return tuple(
        index
        for index, dive in enumerate(topic.deep_dives)
        if dive.answered_by and strongest(find_hits(evidence, dive.answered_by))[0] == "covered"
    )


def _key_points(
    topic: Topic, spec: RoundSpec, evidence: Sequence[AnswerUnit], named: frozenset[str]
) -> tuple[list[ItemStatus], list[Claim], list[Hit], dict[str, list[Hit]]]:
    """Each key point's status, the wrong claims made, the hits of those claims (their words
    credit nothing else), and each point's hits that stand; the parties just `named` ("the
    authors") are what "them" stands for."""
    own = own_criteria(spec)
    wrong = wrong_hits(topic, evidence)
    said_wrong = [hit for hit, _ in wrong.values()]
    stuck = stuck_on(topic, evidence)
    key_points: list[ItemStatus] = []
    claims: list[Claim] = []
    found: dict[str, list[Hit]] = {}
    # a point graded where the outcome section is: its figures are what came of the work
    outcome = {s.criterion for s in spec.checklist if s.outcome}
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
        phrases = (*point.phrases, *point.paraphrases)
        phrases += pronoun_phrases(phrases, named)
        hits = find_hits(evidence, phrases, figures=point.criterion in outcome)
        hits = said_denied(hits, avoided(phrases))
        hits = [h for h in hits if point.id not in stuck.get(h.evidence.unit.text, ())]
        found[point.id] = outside_claims(hits, said_wrong)
        if point.criterion in own:
            found[point.id] = others_in_part(found[point.id])
        key_points.append(item_status(point.id, found[point.id]))
    return key_points, claims, said_wrong, found


def _fresh(topic: Topic, evidence: Sequence[AnswerUnit], earlier: Sequence[str]) -> int:
    """How many content words of the answer are new on the question: not said before by the
    candidate, not the question's, and not everyday words ("lots", "way", "think")."""
    said = {t for u in evidence for t in u.tokens if len(t) > 1} - EVERYDAY
    known = set(tokens(topic.prompt)) | set(tokens(topic.title))
    for before in earlier:
        known.update(tokens(before))
    return len(said - known)


# typographic quotes, as phones and word processors type them (U+2019 in "it\u2019s"), read as
# the plain ones every pattern is written with; one character for one, so offsets stay put
_PLAIN_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def assess(
    topic: Topic,
    spec: RoundSpec,
    text: str,
    *,
    earlier: Sequence[str] = (),
    asked: str | None = None,
) -> Assessment:
    """Assess one candidate message against the question's key points and the round's checklist;
    `earlier` is what the candidate said before on the same question (what "this" refers to),
    `asked` the words of the question on the table (what a bare "yes" or "no" answers). Read
    with plain quotes (a typographic apostrophe as "'"); what it quotes is in the candidate's
    own characters."""
    plain = text.translate(_PLAIN_QUOTES)
    found = _assess(
        topic,
        spec,
        plain,
        earlier=[e.translate(_PLAIN_QUOTES) for e in earlier],
        asked=asked,
    )
    return found if plain == text else _in_their_characters(found, text, plain)


def _theirs(quote: str | None, text: str, plain: str) -> str | None:
    """The quote as the candidate typed it: the same stretch of the original message."""
    if quote is None or quote in text:
        return quote
    at = plain.find(quote)
    return text[at : at + len(quote)] if at >= 0 else quote


def _in_their_characters(found: Assessment, text: str, plain: str) -> Assessment:
    """The assessment with every quote and word said taken from the message as typed."""

    def item(status: ItemStatus) -> ItemStatus:
        return status.model_copy(
            update={
                "quote": _theirs(status.quote, text, plain),
                "said": _theirs(status.said, text, plain),
                "named": tuple(_theirs(n, text, plain) or n for n in status.named),
            }
        )

    return found.model_copy(
        update={
            "key_points": tuple(item(k) for k in found.key_points),
            "sections": tuple(item(s) for s in found.sections),
            "claims": tuple(
                c.model_copy(update={"quote": _theirs(c.quote, text, plain)})
                for c in found.claims
            ),
        }
    )


def _assess(
    topic: Topic,
    spec: RoundSpec,
    text: str,
    *,
    earlier: Sequence[str],
    asked: str | None,
) -> Assessment:
    found, _ = intents(text)
    units_said, listed = answer_units(text)
    evidence, hypothetical = told_units(spec, units_said)
    # "them" stands for a party the candidate's last message or the question just named
    party = parties([earlier[-1] if earlier else None, asked])
    key_points, claims, said_wrong, point_hits = _key_points(topic, spec, evidence, party)
    replied = wrong_reply(topic, asked, text)
    if replied is not None:  # "yep, always" to "is a lookup always constant time?"
        claims.append(replied)
        key_points = [
            k.model_copy(update={"status": "wrong", "quote": replied.quote})
            if k.id == replied.key_point
            else k
            for k in key_points
        ]
        found = (found - {Intent.too_short}) | {Intent.answer}
    section_hits = {
        s.id: outside_claims(
            find_hits(evidence, (*s.phrases, *s.paraphrases), proposed=True, outcome=s.outcome),
            said_wrong,
        )
        for s in spec.checklist
    }
    sections = [item_status(s.id, section_hits[s.id]) for s in spec.checklist]
    # what was only named in a roll call of components is said in part, not explained
    calls = rollcalls(evidence, point_hits)
    key_points = in_passing(key_points, point_hits, calls)
    sections = in_passing(sections, section_hits, calls)
    key_points, sections, by_list = listed_answers(topic, spec, text, key_points, sections, asked)
    key_points, claims = complexity_claims(topic, text, earlier, evidence, key_points, claims)
    key_points, claims = restated(topic, earlier, evidence, key_points, claims)
    # an answer under way on the question: what follows may use words of its own
    # ... and so is one that takes up what the candidate said before ("I said the edge box
    # hands it over, but ..."), whatever words that earlier answer used
    # (not when that answer was itself another problem's)
    # (a story's "I said" is what happened then, not the candidate taking up their answer)
    went_back = not spec.past_experience and goes_back(text)
    under_way = answer_under_way(topic, spec, earlier) or (
        bool(earlier) and went_back and not elsewhere(topic, spec, answer_units(earlier[-1])[0])
    )
    key_points, sections = sections_by_kind(
        topic,
        spec,
        evidence,
        key_points,
        sections,
        clarifies=Intent.clarify in found,
        under_way=under_way,
    )
    sections = unclaimed(sections_by_point(topic, spec, key_points, sections), claims)
    if spec.code_required and not any(e.unit.kind == "code" for e in evidence):
        # in a round that assesses code, the code is the implementation: "append to the order"
        # or "I'd loop through it" in prose is the approach, not the code asked for
        sections = [
            ItemStatus(id=s.id, status="not_addressed") if s.id == IMPLEMENTATION else s
            for s in sections
        ]
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
            and (
                elsewhere(topic, spec, evidence)
                or (
                    sibling_answer(topic, evidence)
                    and not names_its_scenario(topic, spec, evidence)
                )
            )
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
        rollcall=bool(calls) and any(k.status == "partial" for k in key_points),
        assumptions=assumptions_asked(topic, asking),
        dives=_dives_answered(topic, evidence) if not another else (),
        restate=bool(asking) and asks_to_repeat(text),
        simpler=bool(asking) and asks_for_simpler(text),
        choice=bool(asking) and asks_to_choose(text),
        check_in=found == {Intent.clarify} and only_checks_in(text),
        goes_back=Intent.answer in found and went_back,
        asks_about=(
            named := asks_about(topic, text, {k.id for k in key_points if k.status == "covered"})
            if Intent.hint in found
            else ()
        ),
        asks_section=section_asked_about(spec, topic, text) if Intent.hint in found else None,
        asked_themselves=asked_themselves(topic, text, named),
        more=asks_for_more(text),
        hypothetical=hypothetical and not addressed,
        concedes=concedes(text),
        another_question=another,
        fresh=_fresh(topic, evidence, earlier) if Intent.answer in found else 0,
        backend="offline",
    )
