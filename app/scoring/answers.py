"""The candidate's answers grouped by the question they were given for, sorted into what counts.

Only substantive answer sentences are evidence. Hint requests, questions to the interviewer,
filler, the question read back, keyword lists (commas, bullets, one term per line) and sentences
said over are set aside: they may show a subject was touched (so it was assessed) but they earn
nothing. Within a sentence, negated words ("not using a heap") earn nothing and guessed words
("maybe a heap") earn half.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from app.content.models import ChecklistSection, KeyPoint
from app.engine.intent import Intent, classify
from app.engine.listing import listed_lines, normalised, stuffed
from app.engine.matching import Match, first_match, tokens
from app.engine.negation import Polarity, parts
from app.engine.requests import Act, act
from app.engine.state import InterviewState, QuestionProgress
from app.engine.text import Unit, sentences, units
from app.engine.topics import Topic
from app.scoring.evidence import CandidateMessage, clip
from app.scoring.injection import split_injections

PROCEDURAL = {Intent.skip, Intent.finish}
ASKING = {Act.hint_request, Act.question, Act.filler}
MASK = "\x00"  # stands in for a word that earns nothing; no phrase token can equal it
# a sentence is the question read back when nearly all its words are the question's
ECHO_MIN_TOKENS = 4
ECHO_NEW_SHARE = 0.15


class Standing(StrEnum):
    """How an answer stands on one key point or checklist section."""

    covered = "covered"
    partly = "partly"  # only guessed at ("maybe", "I guess", "Maybe an empty list?")
    denied = "denied"  # only negated or professed unknown ("not using a heap")
    listed = "listed"  # only named in a keyword list, a question or a repeated sentence
    not_addressed = "not_addressed"

    @property
    def credit(self) -> float:
        """The share of the point's weight this standing earns."""
        return {Standing.covered: 1.0, Standing.partly: 0.5}.get(self, 0.0)

    @property
    def reached(self) -> bool:
        """True when the candidate touched the subject at all, rightly or not."""
        return self is not Standing.not_addressed


@dataclass(frozen=True)
class Sentence:
    """One substantive sentence of an answer, ready to quote, with its words by polarity."""

    seq: int
    text: str
    tokens: list[str]  # asserted words; negated and guessed words masked
    guessed: list[str] = field(default_factory=list)  # asserted and guessed; negated masked
    said: list[str] = field(default_factory=list)  # every word

    @property
    def asserts(self) -> bool:
        """True when the sentence claims something (not only denies or guesses): quotable."""
        return any(t != MASK for t in self.tokens)


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
    """Where an answer stands on some phrases, and the sentence to quote when covered."""

    standing: Standing
    sentence: Sentence | None = None


@dataclass
class TopicAnswers:
    """One question asked and everything the candidate answered to it."""

    topic: Topic
    progress: QuestionProgress
    sentences: list[Sentence] = field(default_factory=list)
    answer_texts: list[str] = field(default_factory=list)
    injections: list[str] = field(default_factory=list)
    keyword_lists: int = 0
    # words that were said but claim nothing: lists, questions, repeats, the question read back
    mentions: list[list[str]] = field(default_factory=list)
    hints_asked: int = 0
    # messages that tried to answer (anything but a bare skip, finish, hint or question)
    attempts: int = 0
    # the last code submitted for this question, if any
    submission: Submission | None = None

    @property
    def hints_used(self) -> int:
        """Hints asked for on this question (a request counts even if no hint was given)."""
        return max(self.progress.hints_used, self.hints_asked)

    def find(self, phrases: Sequence[str]) -> tuple[Sentence, Match] | None:
        """The first sentence that asserts any of the phrases (negated or guessed words never)."""
        for sentence in self.sentences:
            match = first_match(sentence.tokens, phrases)
            if match:
                return sentence, match
        return None

    def standing(self, phrases: Sequence[str]) -> Finding:
        """How the answers stand on the phrases: the strongest standing any sentence gives."""
        found = self.find(phrases)
        if found:
            return Finding(Standing.covered, found[0])
        if any(first_match(s.guessed, phrases) for s in self.sentences):
            return Finding(Standing.partly)
        if any(first_match(s.said, phrases) for s in self.sentences):
            return Finding(Standing.denied)
        if any(first_match(words, phrases) for words in self.mentions):
            return Finding(Standing.listed)
        return Finding(Standing.not_addressed)


    def on_point(self, point: KeyPoint) -> Finding:
        """Where the answers stand on a key point, reconciled with what the interview's assessor
        read: a point it credited in words the scorer's phrases do not know (a paraphrase, or
        the LLM's reading) counts; one it found stated wrongly, and never corrected, earns
        nothing even if its words appear. A point the scorer saw only listed, negated or guessed
        keeps that stricter reading. So the interview and the scorecard agree on what was said."""
        finding = self.standing(point.phrases)
        if point.id in self.progress.covered:
            unseen = finding.standing is Standing.not_addressed
            return Finding(Standing.covered) if unseen else finding
        if point.id in self.progress.wrong:
            return Finding(Standing.denied)
        return finding

    def on_section(self, section: ChecklistSection) -> Finding:
        """Where the answers stand on a checklist section (one the assessor credited in words
        the scorer's phrases do not know counts)."""
        finding = self.standing(section.phrases)
        if section.id in self.progress.sections and finding.standing is Standing.not_addressed:
            return Finding(Standing.covered)
        return finding


def _masked(sentence: str) -> tuple[list[str], list[str], list[str]]:
    """The sentence's tokens three ways: asserted only, asserted and guessed, all."""
    asserted: list[str] = []
    guessed: list[str] = []
    said: list[str] = []
    for part in parts(sentence):
        words = tokens(part.text)
        said += words
        asserted += words if part.polarity is Polarity.asserted else [MASK] * len(words)
        guessed += words if part.polarity is not Polarity.negated else [MASK] * len(words)
    return asserted, guessed, said


def _echoes(words: list[str], asked: set[str]) -> bool:
    distinct = set(words)
    if len(distinct) < ECHO_MIN_TOKENS:
        return False
    return len(distinct - asked) <= ECHO_NEW_SHARE * len(distinct)


@dataclass
class _Reader:
    """Reads messages in order, remembering sentences already said (a repeat counts once)."""

    seen: set[str] = field(default_factory=set)

    def read(self, group: TopicAnswers, message: CandidateMessage) -> None:
        _, flagged = split_injections(message.content)
        group.injections += flagged
        listed = listed_lines(message.content)
        stuffing = stuffed(sentences(message.content))
        asked = set(tokens(group.topic.prompt)) | set(tokens(group.topic.title))
        evidence: list[Unit] = []
        hint = attempted = False
        for unit in units(message.content):
            if unit.text in flagged:
                continue
            kind = act(unit.text) if unit.kind == "prose" else Act.answer
            hint = hint or kind is Act.hint_request
            attempted = attempted or kind in (Act.answer, Act.guess)
            key = normalised(unit.text)
            # a numbered line ("1. Reproduced the outage") splits into two units: either is listed
            in_list = any(unit.text in line for line in listed)
            if unit.kind == "list" or in_list or key in stuffing:
                group.keyword_lists += 1
                group.mentions.append(unit.tokens)
            elif kind in ASKING or (
                unit.kind == "prose" and (key in self.seen or _echoes(unit.tokens, asked))
            ):
                group.mentions.append(unit.tokens)
            elif kind is Act.guess:  # a tentative answer: half credit, never quoted
                masked = [MASK] * len(unit.tokens)
                group.sentences.append(
                    Sentence(message.seq, clip(unit.text), masked, unit.tokens, unit.tokens)
                )
            else:
                evidence.append(unit)
            self.seen.add(key)
        group.hints_asked += hint
        group.attempts += attempted
        if evidence:
            group.answer_texts.append(" ".join(u.text for u in evidence))
        for unit in evidence:
            if unit.kind == "code":
                words = unit.tokens
                sentence = Sentence(message.seq, clip(unit.text), words, words, words)
            else:
                sentence = Sentence(message.seq, clip(unit.text), *_masked(unit.text))
            group.sentences.append(sentence)


def group_answers(
    messages: Sequence[CandidateMessage],
    state: InterviewState,
    topics: Sequence[Topic],
    submissions: Sequence[Submission] = (),
) -> list[TopicAnswers]:
    """Split candidate messages (in order) among the questions asked, sorting what counts."""
    by_id = {t.id: t for t in topics}
    groups = [TopicAnswers(topic=by_id[p.topic_id], progress=p) for p in state.progress]
    for submission in submissions:  # oldest first: the last one stands
        for group in groups:
            if group.topic.id == submission.topic_id:
                group.submission = submission
    reader = _Reader()
    for number, message in enumerate(messages, start=1):
        index = max(i for i, p in enumerate(state.progress) if p.started_turn < number or i == 0)
        if classify(message.content) in PROCEDURAL:
            continue
        reader.read(groups[index], message)
    return groups
