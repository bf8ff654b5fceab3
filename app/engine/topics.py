"""A question as the director sees it: from the bank, or the candidate's own text."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.content.models import Assumption, DeepDive, FollowUp, KeyPoint, Question, RoundSpec
from app.engine.figures import given_figures
from app.engine.matching import literal_pattern, needed_words, phrase_tokens, tokens
from app.engine.text import sentences

CUSTOM_TOPIC_ID = "custom"
# the id of the question an LLM wrote about a project of the candidate's CV (no bank question
# has it: a test checks)
CV_QUESTION_ID = "cv-project"


@dataclass(frozen=True, eq=False)
class Topic:
    """What the director steers by for one question. Built once per question and process
    (`services.directors`), and compared by identity: the caches keyed by a topic hash its
    identity, not every key point it holds."""

    id: str
    title: str
    prompt: str
    key_points: tuple[KeyPoint, ...]
    follow_ups: tuple[FollowUp, ...]
    hints: tuple[str, ...]
    vocabulary: frozenset[str]
    assumptions: tuple[Assumption, ...] = ()
    deep_dives: tuple[DeepDive, ...] = ()
    # the round's checklist sections this question leaves out
    skip_sections: tuple[str, ...] = ()
    # the project from the candidate's CV the question is asked about (candidate text: data)
    project: str | None = None
    # the reference solution's cost ("O(n) time, O(n) space") and the figures the question's
    # prompt states, (value, thing, period): what a restated number is checked against
    expected_complexity: str | None = None
    givens: tuple[tuple[float, str, str | None], ...] = ()
    # behavioral: what a story answering this question names (see `Question.theme`)
    theme: tuple[str, ...] = ()
    # the question in plain words, asked for "in simpler terms" (see `Question.plain`)
    plain: str | None = None
    # the candidate picks the subject (see `Question.any_subject`)
    any_subject: bool = False
    # the other questions of the round, each as its key points' phrases that use a word this
    # question never does: an answer that makes two points of one of them answers that one
    siblings: tuple[tuple[tuple[str, ...], ...], ...] = ()
    # the key point each ladder step leads to, by the step's text, where the question states it
    # (None: a general step); the other steps' subjects are inferred (`gap.subject_of`)
    hint_about: Mapping[str, str | None] = field(default_factory=dict)

    @property
    def custom(self) -> bool:
        """True for a question the candidate wrote themselves."""
        return self.id == CUSTOM_TOPIC_ID


# everyday words that appear in questions but say nothing about being on topic, with the
# words of a back-of-envelope estimate ("roughly 17 hours a week, about half of one person")
EVERYDAY = frozenset(
    tokens(
        """up down out off on over we i our my me us get got go went going make made take took
        like just really well good great lot lots much many more most then now thing things way
        want need know think see say said one first last all not no day week weekend year time
        people place back new old big small long little right left
        rough roughly about around approx approximately ballpark basically number numbers
        hundred thousand million billion half quarter double twice second minute hour month
        within free person"""
    )
)


def _vocabulary(texts: list[str], spec: RoundSpec) -> frozenset[str]:
    words = {t for text in texts for t in tokens(text)} - EVERYDAY
    words |= {
        t
        for section in spec.checklist
        for p in (*section.phrases, *section.paraphrases)
        for t in phrase_tokens(p)
    } - EVERYDAY
    return frozenset(words)


def _echoes(phrase: str, asked: set[str], question: str) -> bool:
    """True when the question's own words are enough for the phrase to match: its words, and
    its words as written where the phrase must be written so ("self.x" is not in "forward(self,
    x)")."""
    literal = literal_pattern(phrase)
    return len(set(phrase_tokens(phrase)) & asked) >= needed_words(phrase) and (
        literal is None or literal.search(question) is not None
    )


def _not_echoing(point: KeyPoint, asked: set[str], question: str) -> KeyPoint:
    """Drop evidence phrases and paraphrases that merely repeat the question's own words."""
    kept = tuple(p for p in point.phrases if not _echoes(p, asked, question))
    paraphrases = tuple(p for p in point.paraphrases if not _echoes(p, asked, question))
    update: dict[str, object] = {"paraphrases": paraphrases}
    if kept:
        update["phrases"] = kept
    return point.model_copy(update=update)


def bank_topic(
    question: Question,
    spec: RoundSpec,
    project: str | None = None,
    *,
    others: Sequence[Question] = (),
) -> Topic:
    """The topic for a question of the bank; restating the question evidences nothing. With a
    project from the candidate's CV, a question that has a CV version is asked about it; with
    the round's other questions, an answer to one of them is told apart (`Topic.siblings`)."""
    if project is not None and question.cv_prompt is not None:
        prompt = question.cv_prompt.replace("{project}", project)
        question = question.model_copy(update={"prompt": prompt})
    else:
        project = None
    asked = set(tokens(question.prompt)) | set(tokens(question.title))
    said = f"{question.title}\n{question.prompt}"
    key_points = tuple(_not_echoing(point, asked, said) for point in question.key_points)
    texts = [question.prompt, question.title, *question.tags]
    texts += [p for kp in question.key_points for p in (kp.text, *kp.phrases, *kp.paraphrases)]
    # a myth's words are the question's too: "users not complaining doesn't mean it's working"
    texts += [p for kp in question.key_points for w in kp.wrong for p in (*w.phrases, w.note)]
    return Topic(
        id=question.id,
        title=question.title,
        prompt=question.prompt,
        key_points=key_points,
        follow_ups=question.follow_ups,
        hints=tuple(step.text for step in question.hints),
        hint_about={step.text: step.about for step in question.hints if step.stated},
        vocabulary=(vocabulary := _vocabulary(texts, spec)),
        assumptions=_with_stated_sizes(question.assumptions + spec.assumptions, question.prompt),
        deep_dives=question.deep_dives,
        skip_sections=question.skip_sections,
        project=project,
        expected_complexity=question.expected_complexity,
        givens=tuple(given_figures([question.prompt])),
        theme=question.theme,
        plain=question.plain if project is None else None,
        any_subject=question.any_subject,
        siblings=_siblings(question.id, others, vocabulary),
    )


# what a question about how big the problem is mentions
_SIZE_WORDS = (
    "traffic",
    "volume",
    "qps",
    "throughput",
    "per second",
    "how many users",
    "how many requests",
)
# a figure as a question states it: "100 million new links", "one million ad requests"
_FIGURE = re.compile(r"\d|\b(hundred|thousand|million|billion|trillion)s?\b", re.IGNORECASE)


def _with_stated_sizes(assumptions: tuple[Assumption, ...], prompt: str) -> tuple[Assumption, ...]:
    """The assumptions, and when none gives figures but the question does, one that points the
    candidate asking "what's the expected traffic?" back to the question's own figures."""
    if any(given_figures([a.answer]) for a in assumptions):
        return assumptions
    stated = [s for s in sentences(prompt) if _FIGURE.search(s)]
    if not stated:
        return assumptions
    answer = "It's in the question: " + " ".join(stated)
    return (*assumptions, Assumption(about=_SIZE_WORDS, answer=answer))


def _siblings(
    own_id: str, others: Sequence[Question], vocabulary: frozenset[str]
) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Per other question, its key points' phrases that use a word this question never does."""
    found = []
    for other in others:
        if other.id == own_id:
            continue
        points = []
        for point in other.key_points:
            phrases = (*point.phrases, *point.paraphrases)
            specific = tuple(p for p in phrases if set(phrase_tokens(p)) - vocabulary)
            if specific:
                points.append(specific)
        if points:
            found.append(tuple(points))
    return tuple(found)


def custom_topic(text: str, spec: RoundSpec) -> Topic:
    """The topic for a candidate's own question: steered by the round's checklist alone."""
    return Topic(
        id=CUSTOM_TOPIC_ID,
        title="Your question",
        prompt=text,
        key_points=(),
        follow_ups=(),
        hints=(),
        vocabulary=_vocabulary([text], spec),
        assumptions=spec.assumptions,
    )
