"""Checklist sections credited beyond their own phrases: by the kind of evidence that covers
them (`covered_by`), by a covered key point of their name or their criterion; and not by a
wrong claim alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from app.content.models import ChecklistSection, CoveredBy, RoundSpec
from app.engine.assessment import Claim, ItemStatus
from app.engine.doers import told_by_me
from app.engine.evidence import AnswerUnit
from app.engine.hypothetical import sets_scene, tells_own_action
from app.engine.matching import find_phrase, tokens
from app.engine.quotes import excerpt
from app.engine.text import is_test_plan
from app.engine.topics import Topic
from app.engine.trend import compares_figures
from app.engine.weighing import weighs_options

# the coding rounds' checklist sections for the code itself and for the idea behind it
IMPLEMENTATION = "implementation"
APPROACH = "approach"


def _covered_by_kind(
    spec: RoundSpec, kind: CoveredBy, sections: list[ItemStatus], quote: str | None
) -> list[ItemStatus]:
    """The sections that this kind of evidence covers beyond their phrases (`covered_by`: a
    first-person account of an action, a clarifying question), covered with the quote."""
    covered = {s.id for s in spec.checklist if s.covered_by == kind}
    return [
        ItemStatus(id=s.id, status="covered", quote=quote)
        if s.id in covered and s.status != "covered"
        else s
        for s in sections
    ]


def unclaimed(sections: list[ItemStatus], claims: Sequence[Claim]) -> list[ItemStatus]:
    """A section whose only evidence is a wrong claim is not addressed: "that is O(n^2)
    overall" is no account of the cost."""
    wrong = {c.quote for c in claims}
    return [
        ItemStatus(id=s.id, status="not_addressed") if s.quote in wrong else s for s in sections
    ]


@lru_cache(maxsize=1024)
def point_sections(topic: Topic, spec: RoundSpec) -> dict[str, tuple[str, ...]]:
    """Per key point, the sections of its criterion that its statement names by their phrases."""
    found: dict[str, tuple[str, ...]] = {}
    for point in topic.key_points:
        said = tokens(point.text)
        found[point.id] = tuple(
            s.id
            for s in spec.checklist
            if s.criterion == point.criterion
            and any(find_phrase(said, p) for p in (*s.phrases, *s.paraphrases))
        )
    return found


def _sole_sections(spec: RoundSpec) -> dict[str, str]:
    """Per criterion graded by one checklist section only, that section."""
    return {
        s.criterion: s.id
        for s in spec.checklist
        if sum(o.criterion == s.criterion for o in spec.checklist) == 1
    }


def speaks_of(section: ChecklistSection, text: str) -> bool:
    """True when a text (a hint, a question) is about the section: its name's words or one of
    its phrases."""
    said = tokens(text)
    return bool(set(said) & set(tokens(section.name))) or any(
        find_phrase(said, p) for p in (*section.phrases, *section.paraphrases)
    )


def sections_by_point(
    topic: Topic, spec: RoundSpec, key_points: Sequence[ItemStatus], sections: list[ItemStatus]
) -> list[ItemStatus]:
    """A section is covered by a covered key point of its name, or graded on the same criterion
    when it is the only section of that criterion: "I'd test an empty list and one element"
    covers the edge case point, and so the testing part, whatever the section's own phrases
    say."""
    criteria = {p.id: p.criterion for p in topic.key_points}
    sole = _sole_sections(spec)
    by_section = {
        sole[criteria[k.id]]: k
        for k in reversed(key_points)
        if k.status == "covered" and criteria.get(k.id) in sole
    }
    # a key point named as a section is ("complexity", "scaling") covers it too
    named = {s.id for s in spec.checklist}
    by_section |= {k.id: k for k in key_points if k.status == "covered" and k.id in named}
    # and one whose statement is about a section of its criterion: the labels point ("Labels:
    # opened within a time window...") covers "Data sources and label generation"
    about = point_sections(topic, spec)
    # ... unless the message said it in the words of one of those sections: "offline AUC, then
    # ship it, online tests take too long" makes the evaluation point about offline metrics
    # only, not the online experiment its statement also names
    own = {s.id for s in sections if s.status == "covered" and s.said}
    for k in key_points:
        if k.status == "covered" and not own & set(about.get(k.id, ())):
            by_section |= {s: k for s in about.get(k.id, ()) if s not in by_section}
    # a first-person account ("what did you do?") is not covered by the team's doing: "we
    # checked the logs" covers the investigation, not the candidate's own action
    own = {s.id for s in spec.checklist if s.covered_by == "own_action"}
    return [
        s.model_copy(update={"status": "covered", "quote": by_section[s.id].quote, "said": None})
        if s.status != "covered"
        and s.id in by_section
        and (s.id not in own or told_by_me(by_section[s.id].quote or ""))
        else s
        for s in sections
    ]


def sections_by_kind(
    topic: Topic,
    spec: RoundSpec,
    evidence: Sequence[AnswerUnit],
    key_points: list[ItemStatus],
    sections: list[ItemStatus],
    *,
    clarifies: bool,
    under_way: bool,
) -> tuple[list[ItemStatus], list[ItemStatus]]:
    """The sections covered by the kind of evidence the message holds (a first-person action, a
    scene set, options weighed, a clarifying question, a test plan), and the key points a test
    plan covers; `under_way` when an answer on the question is under way."""
    # "I spent the weekend hiking" alone is no STAR action
    if under_way or any(i.status != "not_addressed" for i in (*key_points, *sections)):
        prose = [e for e in evidence if e.unit.kind == "prose"]
        kinds: tuple[tuple[CoveredBy, Callable[[str], bool]], ...] = (
            ("own_action", tells_own_action),
            ("scene", sets_scene),
            ("trade_off", weighs_options),
            ("measured_change", compares_figures),
        )
        for kind, tells in kinds:
            told = next((e for e in prose if tells(e.unit.text)), None)
            if told is not None:
                quote = excerpt(told.unit.text)
                sections = _covered_by_kind(spec, kind, sections, quote)
    if clarifies:  # a question is never quoted as evidence of what they know
        sections = _covered_by_kind(spec, "clarifying_question", sections, None)
    plan = next((e for e in evidence if e.unit.kind == "prose" and is_test_plan(e.unit.text)), None)
    if plan is not None:  # the inputs they would test: the testing part and its key points
        quote = excerpt(plan.unit.text)
        sections = _covered_by_kind(spec, "test_plan", sections, quote)
        tested = {s.criterion for s in spec.checklist if s.covered_by == "test_plan"}
        criteria = {p.id: p.criterion for p in topic.key_points}
        key_points = [
            ItemStatus(id=k.id, status="covered", quote=quote)
            if criteria[k.id] in tested and k.status == "not_addressed"
            else k
            for k in key_points
        ]
    return key_points, sections
