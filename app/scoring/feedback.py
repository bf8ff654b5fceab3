"""A scorecard read back as advice: what went well (with the quote that shows it), the two or
three things to practise next (the level to reach, the points missed, a question to try), and
the missed points under the question they belong to, beside its model outline.

Pure: it reads a grade that is already made and the round's content; it never changes a score.
A criterion is either a strength or a thing to practise, never both, so the summary cannot
contradict itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel

from app.content.models import Question, Rubric
from app.engine.topics import Topic
from app.scoring.models import RECOMMENDATION_LABELS, CriterionResult, Recommendation

MAX_STRENGTHS = 3
MAX_FOCUS = 3
MIN_FOCUS = 2
MAX_MISSED_PER_FOCUS = 2
_DIFFICULTY = {"medium": 0, "easy": 1, "hard": 2}


class Quote(BaseModel):
    """The candidate's own words that show a level, and the message they are from."""

    text: str
    message_seq: int


class Strength(BaseModel):
    """A criterion that went well: its level in the rubric's words and the quote that shows it."""

    criterion_id: str
    name: str
    score: int
    level: str
    quote: Quote | None = None


class PractiseQuestion(BaseModel):
    """A bank question to practise a criterion on."""

    id: str
    title: str
    round: str
    difficulty: str


class Focus(BaseModel):
    """A thing to practise next: where it is, the next level's words, what was missed, a drill."""

    criterion_id: str
    name: str
    score: int
    level: str
    next_level: str
    missed: list[str]
    drill: str
    quote: Quote | None = None
    question: PractiseQuestion | None = None


class MissedGroup(BaseModel):
    """The key points missed on one question, beside the outline of a strong answer."""

    question_id: str
    title: str
    missed: list[str]
    outline: list[str]


class Feedback(BaseModel):
    """The scorecard as advice, in the order it is read."""

    headline: str
    strengths: list[Strength]
    practise: list[Focus]
    not_assessed: list[str]
    by_question: list[MissedGroup]


def _quote(criterion: CriterionResult) -> Quote | None:
    first = criterion.evidence[0] if criterion.evidence else None
    return Quote(text=first.quote, message_seq=first.message_seq) if first else None


def _choose(
    criteria: Sequence[CriterionResult], weights: Mapping[str, float]
) -> tuple[list[CriterionResult], list[CriterionResult]]:
    """(strengths, things to practise): the weakest criteria below the top level, heaviest
    first, two at least while any is below it; the best of the rest as strengths."""
    scored = [c for c in criteria if c.score is not None]
    heavy_first = sorted(scored, key=lambda c: (c.score, -weights.get(c.criterion_id, 1)))
    focus = [c for c in heavy_first if (c.score or 0) <= 2][:MAX_FOCUS]
    for criterion in heavy_first:
        if len(focus) >= MIN_FOCUS:
            break
        if criterion not in focus and (criterion.score or 0) < criterion.max_score:
            focus.append(criterion)
    rest = [c for c in scored if c not in focus and (c.score or 0) >= 3]
    strengths = sorted(rest, key=lambda c: (-(c.score or 0), -weights.get(c.criterion_id, 1)))
    return strengths[:MAX_STRENGTHS], focus


def _practise_question(
    criterion_id: str, bank: Sequence[Question], asked: set[str]
) -> PractiseQuestion | None:
    """The round's question, not asked here, that weighs most on the criterion."""
    fresh = [q for q in bank if q.id not in asked] or list(bank)
    if not fresh:
        return None

    def weight(question: Question) -> float:
        return sum(p.weight for p in question.key_points if p.criterion == criterion_id)

    best = min(fresh, key=lambda q: (-weight(q), _DIFFICULTY.get(q.difficulty, 3), q.id))
    return PractiseQuestion(
        id=best.id, title=best.title, round=best.round.value, difficulty=best.difficulty
    )


def _drill(
    name: str, score: int, missed: Sequence[str], question: PractiseQuestion | None
) -> str:
    where = f"Answer “{question.title}” out loud" if question else "Answer another question"
    cover = "; before you start, note how you will cover the points missed here" if missed else ""
    return f"{where} and aim for level {score + 1} of {name}{cover}."


def _headline(
    recommendation: Recommendation,
    overall: float,
    strengths: Sequence[Strength],
    focus: Sequence[Focus],
    not_assessed: Sequence[str],
) -> str:
    parts = [f"{RECOMMENDATION_LABELS[recommendation]} ({overall:.1f} of 4)."]
    if recommendation == "not_enough_evidence":
        parts.append("Too little of the rubric was assessed to recommend either way.")
    if strengths:
        parts.append(f"Went well: {_names([s.name for s in strengths])}.")
    if focus:
        parts.append(f"Practise next: {_names([f.name for f in focus])}.")
    elif strengths:
        parts.append("Every assessed criterion is at the top level: try a harder question next.")
    if not_assessed:
        parts.append(f"Not assessed, as the interview did not get to it: {_names(not_assessed)}.")
    return " ".join(parts)


def _names(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def feedback(
    *,
    criteria: Sequence[CriterionResult],
    recommendation: Recommendation,
    overall: float,
    rubric: Rubric,
    topics: Sequence[Topic],
    missed: Sequence[Mapping[str, str]],
    bank: Sequence[Question],
    outlines: Mapping[str, Sequence[str]],
) -> Feedback:
    """The scorecard's criteria and missed points, read back as advice."""
    by_id = {c.id: c for c in rubric.criteria}
    weights = {c.id: c.weight for c in rubric.criteria}
    point_criterion = {(t.id, p.id): p.criterion for t in topics for p in t.key_points}
    asked = {t.id for t in topics}
    chosen_strengths, chosen_focus = _choose(criteria, weights)

    def level(criterion_id: str, score: int) -> str:
        known = by_id.get(criterion_id)
        return known.level(score) if known else ""

    strengths = [
        Strength(
            criterion_id=c.criterion_id,
            name=c.name,
            score=c.score or 0,
            level=level(c.criterion_id, c.score or 0),
            quote=_quote(c),
        )
        for c in chosen_strengths
    ]
    focus = []
    for c in chosen_focus:
        score = c.score or 0
        next_level = level(c.criterion_id, min(score + 1, c.max_score))
        texts = [
            m["text"]
            for m in missed
            if point_criterion.get((m["question_id"], m["key_point_id"])) == c.criterion_id
        ][:MAX_MISSED_PER_FOCUS]
        question = _practise_question(c.criterion_id, bank, asked)
        focus.append(
            Focus(
                criterion_id=c.criterion_id,
                name=c.name,
                score=score,
                level=level(c.criterion_id, score),
                next_level=next_level,
                missed=texts,
                drill=_drill(c.name, score, texts, question),
                quote=_quote(c),
                question=question,
            )
        )
    not_assessed = [c.name for c in criteria if c.score is None]
    groups = []
    for topic in topics:
        texts = [m["text"] for m in missed if m["question_id"] == topic.id]
        outline = list(outlines.get(topic.id, ()))
        if texts or outline:
            groups.append(MissedGroup(question_id=topic.id, title=topic.title, missed=texts,
                                      outline=outline))
    return Feedback(
        headline=_headline(recommendation, overall, strengths, focus, not_assessed),
        strengths=strengths,
        practise=focus,
        not_assessed=not_assessed,
        by_question=groups,
    )
