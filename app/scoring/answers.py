"""The candidate's answers grouped by the question they were given for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.engine.intent import Intent, classify
from app.engine.matching import Match, first_match
from app.engine.state import InterviewState, QuestionProgress
from app.engine.text import units
from app.engine.topics import Topic
from app.scoring.evidence import CandidateMessage, clip
from app.scoring.injection import split_injections

NOT_ANSWERS = {Intent.hint, Intent.skip, Intent.finish, Intent.clarify, Intent.question}


@dataclass(frozen=True)
class Sentence:
    """One sentence of an answer, with its tokens, ready to quote."""

    seq: int
    text: str
    tokens: list[str]


@dataclass(frozen=True)
class Submission:
    """Code submitted for a question and how it fared on the hidden tests."""

    topic_id: str
    seq: int
    code: str
    status: str
    hidden_passed: int
    hidden_total: int

    @property
    def excerpt(self) -> str:
        """The code's first lines, verbatim, to quote as evidence."""
        lines = [line for line in self.code.strip().splitlines() if line.strip()]
        return clip(" ".join(lines[:4]))


@dataclass
class TopicAnswers:
    """One question asked and everything the candidate answered to it."""

    topic: Topic
    progress: QuestionProgress
    sentences: list[Sentence] = field(default_factory=list)
    answer_texts: list[str] = field(default_factory=list)
    injections: list[str] = field(default_factory=list)
    keyword_lists: int = 0
    # the last code submitted for this question, if any
    submission: Submission | None = None

    def find(self, phrases: Sequence[str]) -> tuple[Sentence, Match] | None:
        """The first sentence that evidences any of the phrases."""
        for sentence in self.sentences:
            match = first_match(sentence.tokens, phrases)
            if match:
                return sentence, match
        return None


def group_answers(
    messages: Sequence[CandidateMessage],
    state: InterviewState,
    topics: Sequence[Topic],
    submissions: Sequence[Submission] = (),
) -> list[TopicAnswers]:
    """Split candidate messages (in order) among the questions asked, dropping injections."""
    by_id = {t.id: t for t in topics}
    groups = [TopicAnswers(topic=by_id[p.topic_id], progress=p) for p in state.progress]
    for submission in submissions:  # oldest first: the last one stands
        for group in groups:
            if group.topic.id == submission.topic_id:
                group.submission = submission
    for number, message in enumerate(messages, start=1):
        index = max(i for i, p in enumerate(state.progress) if p.started_turn < number or i == 0)
        group = groups[index]
        if classify(message.content) in NOT_ANSWERS:
            continue
        _, flagged = split_injections(message.content)
        group.injections += flagged
        kept = [u for u in units(message.content) if u.text not in flagged]
        group.keyword_lists += sum(1 for u in kept if u.kind == "list")
        evidence = [u for u in kept if u.kind != "list"]
        if evidence:
            group.answer_texts.append(" ".join(u.text for u in evidence))
        group.sentences += [Sentence(message.seq, clip(u.text), u.tokens) for u in evidence]
    return groups
