"""The candidate's answers grouped by the question they answer, read as the interview read them.

Each message is read through its assessment: the one the director decided from, stored with the
message, or the same offline assessor's for a message stored without one (an older transcript).
So the interviewer and the scorecard cannot disagree about what an answer covers, gets wrong or
asks for: a negated, guessed, listed or wrong statement earns on the scorecard exactly what it
earned in the interview. Quotes come from the assessor's answer text (never a request or a
keyword list) that asserts something, and never from the question read back or a repeat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from app.content.models import RoundSpec
from app.engine.assessment import Assessment, ItemStatus
from app.engine.assessor import AnswerUnit, answer_units, assess, told
from app.engine.intent import Intent
from app.engine.matching import tokens
from app.engine.state import InterviewState, QuestionProgress
from app.engine.text import units
from app.engine.topics import Topic
from app.scoring.evidence import CandidateMessage, clip
from app.scoring.injection import injections
from app.scoring.models import Evidence

PROCEDURAL = {Intent.skip, Intent.finish}
# what a message that tries to answer carries (not a bare request or question)
ANSWERING = {Intent.answer, Intent.off_topic, Intent.dont_know, Intent.too_short, Intent.gibberish}
# a sentence is the question read back when nearly all its words are the question's
ECHO_MIN_TOKENS = 4
ECHO_NEW_SHARE = 0.15


class Standing(StrEnum):
    """How the answers stand on one key point or checklist section."""

    covered = "covered"
    partly = "partly"  # only guessed at ("maybe", "I guess", "Maybe an empty list?")
    helped = "helped"  # made only after a hint about it
    wrong = "wrong"  # stated wrongly, and not corrected afterwards
    not_addressed = "not_addressed"  # also when only negated, listed or asked about

    @property
    def credit(self) -> float:
        """The share of the point's weight this standing earns."""
        return {Standing.covered: 1.0, Standing.partly: 0.5, Standing.helped: 0.5}.get(self, 0.0)

    @property
    def reached(self) -> bool:
        """True when the candidate spoke to the subject, rightly or not."""
        return self is not Standing.not_addressed


@dataclass(frozen=True)
class Sentence:
    """One sentence (or line of code) of an answer, ready to quote."""

    seq: int
    text: str
    tokens: list[str]
    asserts: bool  # claims something, not only denies or guesses: quotable
    code: bool = False  # a line of code, not prose that mentions code ("I return -1")


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


@dataclass(frozen=True)
class Finding:
    """Where the answers stand on a key point or section, and the quote when covered."""

    standing: Standing
    evidence: Evidence | None = None


@dataclass
class TopicAnswers:
    """One question asked and everything the candidate answered to it."""

    topic: Topic
    progress: QuestionProgress
    # each message's assessment, by message seq, in order
    assessments: list[tuple[int, Assessment]] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    answer_texts: list[str] = field(default_factory=list)
    injections: list[str] = field(default_factory=list)
    hints_asked: int = 0
    # sentences of what the candidate would do, where a real example was asked for
    hypotheticals: int = 0
    # messages that tried to answer (anything but a bare skip, finish, hint or question)
    attempts: int = 0
    # the last code submitted for this question, if any
    submission: Submission | None = None
    # the words of each unit (sentence, line) of each answer, by answer, lists and repeats too:
    # to measure how much was said about a credited point, never a source of credit or quotes
    units: list[list[list[str]]] = field(default_factory=list)

    @property
    def hints_used(self) -> int:
        """Hints asked for on this question (a request counts even if no hint was given)."""
        return max(self.progress.hints_used, self.hints_asked)

    def finding(self, item_id: str, *, section: bool = False) -> Finding:
        """Where the answers stand on a key point or section, message by message: the latest
        covered or wrong reading stands (a correction earns credit, a later wrong claim takes
        it back), and a guess earns half unless the point was covered. A claim the interviewer
        challenged stands until the answer to the challenge puts it right: saying something
        else about the point later ("we'd track AUC" after "a random split is fine") is no
        correction."""
        found = Finding(Standing.not_addressed)
        for seq, assessment in self.assessments:
            item = assessment.status_of(item_id, section=section)
            if item is None or item.status == "not_addressed":
                continue
            if item.status == "wrong":
                found = Finding(Standing.wrong)
            elif found.standing is Standing.covered:
                continue  # the first quote stands; a later guess takes nothing back
            elif item.status == "covered":
                found = Finding(Standing.covered, _quote(item, seq))
            else:
                found = Finding(Standing.partly)
        if not section and self._held(item_id):
            return Finding(Standing.wrong)  # challenged, and the answer did not put it right
        if not section and found.standing is Standing.covered and item_id in self.progress.hinted:
            return Finding(Standing.helped, found.evidence)  # a hint about it came first
        return found

    def _held(self, point_id: str) -> bool:
        progress = self.progress
        return point_id in progress.challenged and point_id not in progress.corrected


def held_wrong(groups: Sequence[TopicAnswers]) -> int:
    """The key points stated wrongly and not corrected afterwards, over every question."""
    return sum(
        group.finding(point.id).standing is Standing.wrong
        for group in groups
        for point in group.topic.key_points
    )


def _quote(item: ItemStatus, seq: int) -> Evidence | None:
    return Evidence(quote=clip(item.quote), message_seq=seq) if item.quote else None


def _echoes(words: list[str], asked: set[str]) -> bool:
    distinct = set(words)
    if len(distinct) < ECHO_MIN_TOKENS:
        return False
    return len(distinct - asked) <= ECHO_NEW_SHARE * len(distinct)


def assessment_of(
    message: CandidateMessage, topic: Topic, spec: RoundSpec, *, earlier: Sequence[str] = ()
) -> Assessment:
    """The assessment the interview made of the message; the offline assessor's when it has
    none (an older transcript) or one made against another question, reading `earlier` (the
    candidate's earlier messages on the question) as the interview did."""
    stored = message.assessment
    if stored is not None and [k.id for k in stored.key_points] == [
        p.id for p in topic.key_points
    ]:
        return stored
    return assess(topic, spec, message.content, earlier=earlier)


@dataclass
class _Reader:
    """Reads messages in order, remembering sentences already said (a repeat counts once)."""

    spec: RoundSpec
    seen: set[tuple[str, ...]] = field(default_factory=set)

    def read(self, group: TopicAnswers, seq: int, text: str, assessment: Assessment) -> None:
        group.injections += injections(text)
        group.hints_asked += assessment.has(Intent.hint)
        group.attempts += bool(ANSWERING.intersection(assessment.intents))
        if assessment.another_question:
            return  # an answer to another question says nothing about this one
        group.assessments.append((seq, assessment))
        group.units.append([u.tokens for u in units(text) if not injections(u.text)])
        pieces, listed = answer_units(text)
        if assessment.keyword_list and not listed:
            return  # a list of terms the model saw where the lexical rules did not: no evidence
        asked = set(tokens(group.topic.prompt)) | set(tokens(group.topic.title))
        # a plan of what they would do, where a story was asked for, is no answer
        stories = [p for p in pieces if told(self.spec, p.unit)]
        group.hypotheticals += len(pieces) - len(stories)
        kept = [p for p in stories if self._new(p, asked)]
        if kept:
            group.answer_texts.append(" ".join(p.unit.text for p in kept))
        wrong = {c.quote for c in assessment.claims}
        group.sentences += [
            Sentence(
                seq,
                clip(p.unit.text),
                p.tokens,
                p.asserts and not any(p.unit.text in q or q in p.unit.text for q in wrong),
                p.unit.kind == "code",
            )
            for p in kept
        ]

    def _new(self, piece: AnswerUnit, asked: set[str]) -> bool:
        """False for prose said before in the interview or that reads the question back."""
        if piece.unit.kind != "prose":
            return True
        key = tuple(piece.tokens)
        new = key not in self.seen and not _echoes(piece.tokens, asked)
        self.seen.add(key)
        return new


def group_answers(
    messages: Sequence[CandidateMessage],
    state: InterviewState,
    topics: Sequence[Topic],
    spec: RoundSpec,
    submissions: Sequence[Submission] = (),
) -> list[TopicAnswers]:
    """Split candidate messages (in order) among the questions asked, each read through its
    assessment."""
    by_id = {t.id: t for t in topics}
    groups = [TopicAnswers(topic=by_id[p.topic_id], progress=p) for p in state.progress]
    for submission in submissions:  # oldest first: the last one stands
        for group in groups:
            if group.topic.id == submission.topic_id:
                group.submission = submission
    reader = _Reader(spec)
    said: list[list[str]] = [[] for _ in groups]  # every message on each question so far
    for number, message in enumerate(messages, start=1):
        index = max(i for i, p in enumerate(state.progress) if p.started_turn < number or i == 0)
        group = groups[index]
        assessment = assessment_of(message, group.topic, spec, earlier=tuple(said[index]))
        said[index].append(message.content)
        if not assessment.has(Intent.answer) and assessment.primary in PROCEDURAL:
            continue
        reader.read(group, message.seq, message.content, assessment)
    return groups
