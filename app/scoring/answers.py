"""The candidate's answers grouped by the question they answer, read as the interview read them.

Each message is read through its assessment: the one the director decided from, stored with the
message, or the same offline assessor's for a message stored without one (an older transcript).
So the interviewer and the scorecard cannot disagree about what an answer covers, gets wrong or
asks for: a negated, guessed, listed or wrong statement earns on the scorecard exactly what it
earned in the interview. Quotes come from the assessor's answer text (never a request or a
keyword list) that asserts something, and never from the question read back or a repeat.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from app.content.models import RoundSpec, Rubric
from app.engine.assessment import Assessment, ItemStatus
from app.engine.assessor import assess
from app.engine.evidence import AnswerUnit, answer_units, told
from app.engine.intent import Intent
from app.engine.matching import find_phrase, tokens
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
# what a candidate says of a topic rather than about it: praise, pleasantries, how often it
# comes up
_META = frozenset(
    tokens(
        "important interesting fascinating fundamental classic crucial relevant popular common "
        "topic question great good really very always found find love comes come up lot lots "
        "often thanks thank having hi hello honestly"
    )
)
# the speaker, not the subject: left out of what a sentence says, but no sign of talk about it
_SPEAKER = frozenset(tokens("I me my we us our"))
# a point guessed at, followed up, and guessed at again with this many more words of its own
# (the key point's text, not the question's) is known, only said tentatively
CONFIRMING_WORDS = 2


class Standing(StrEnum):
    """How the answers stand on one key point or checklist section."""

    covered = "covered"
    partly = "partly"  # only guessed at ("maybe a heap"), or named in a roll call of parts
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
    # sentences that read the rubric back ("I would define the objective and success metric"):
    # they credit nothing
    readbacks: list[str] = field(default_factory=list)

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
        correction. A claim put right (or given up, "ok fair, ...") is no longer held: the
        point stands on what else was said of it."""
        found = Finding(Standing.not_addressed)
        guesses: list[tuple[int, ItemStatus]] = []  # the guesses since the last other reading
        # the director drops a point from `corrected` when it is stated wrongly again, so every
        # wrong reading of a point still there came before its correction
        put_right = not section and item_id in self.progress.corrected
        for seq, assessment in self.assessments:
            item = assessment.status_of(item_id, section=section)
            if (
                item is None
                or item.status == "not_addressed"
                or (put_right and item.status == "wrong")
                or _in_claim(item, assessment, section=section, phrases=self._phrases(item_id))
                or self._filler(item)
                or any(_overlap(item.quote or "", r) for r in self.readbacks)
            ):
                continue
            if item.status == "wrong":
                found = Finding(Standing.wrong)
                guesses = []
            elif found.standing is Standing.covered:
                continue  # the first quote stands; a later guess takes nothing back
            elif item.status == "covered":
                found = Finding(Standing.covered, _quote(item, seq))
            else:
                guesses.append((seq, item))
                found = self._confirmed(item_id, guesses) or Finding(Standing.partly)
        if not section and self._held(item_id):
            return Finding(Standing.wrong)  # challenged, and the answer did not put it right
        if not section and found.standing is Standing.covered and item_id in self.progress.hinted:
            return Finding(Standing.helped, found.evidence)  # a hint about it came first
        return found

    def _confirmed(
        self, point_id: str, guesses: Sequence[tuple[int, ItemStatus]]
    ) -> Finding | None:
        """Covered, when a key point guessed at was followed up and the answer guessed at it
        again with more of it ("I guess it's the product over the steps of diag of tanh prime
        times W?"): hedged twice, but consistent and more detailed when asked; the hedging is a
        matter of how it was said, not of what is known. The quote is the later guess."""
        if len(guesses) < 2 or point_id not in self.progress.probed:
            return None
        point = next((p for p in self.topic.key_points if p.id == point_id), None)
        if point is None:
            return None
        asked = set(tokens(self.topic.prompt)) | set(tokens(self.topic.title))
        own = {w for w in tokens(point.text) if len(w) > 1} - asked
        before: set[str] = set()
        for _, item in guesses[:-1]:
            before.update(tokens(item.quote or ""))
        seq, last = guesses[-1]
        more = own & set(tokens(last.quote or "")) - before
        if len(more) < CONFIRMING_WORDS:
            return None
        return Finding(Standing.covered, _quote(last, seq))

    def _phrases(self, item_id: str) -> tuple[str, ...]:
        point = next((p for p in self.topic.key_points if p.id == item_id), None)
        return (*point.phrases, *point.paraphrases) if point is not None else ()

    def _filler(self, item: ItemStatus) -> bool:
        """True when the sentence that shows an item says only what the candidate thinks of the
        topic ("a really important topic that comes up a lot in practice"): beside the question's
        words and talk about the topic, at most the one word that matched."""
        if not item.quote:
            return False
        said = set(tokens(item.quote))
        if not said & _META:
            return False
        asked = set(tokens(self.topic.prompt)) | set(tokens(self.topic.title))
        return len(said - asked - _META - _SPEAKER) <= 1

    def _held(self, point_id: str) -> bool:
        progress = self.progress
        return point_id in progress.challenged and point_id not in progress.corrected


def held_wrong(groups: Sequence[TopicAnswers], *, defended: bool = False) -> int:
    """The key points stated wrongly and not corrected afterwards, over every question; with
    `defended`, only those the candidate said again right after the interviewer's push-back."""
    return sum(
        group.finding(point.id).standing is Standing.wrong
        and (not defended or point.id in group.progress.insisted)
        for group in groups
        for point in group.topic.key_points
    )


def _in_claim(
    item: ItemStatus,
    assessment: Assessment,
    *,
    section: bool,
    phrases: Sequence[str] = (),
) -> bool:
    """True when the sentence that shows a point or section (right or guessed) states the wrong
    version of a key point in the same stretch, or in the consequence drawn from it: "L2 gives
    sparse models, so I'd use it for feature selection" is no trade-off discussion, whatever
    words of one it has. A stretch ends at a colon, a semicolon or a comma before "and", "but",
    "so" ("The LSTM fixes it completely: the cell state is updated by addition, so you never
    need clipping" still says the cell state: the premise is right, the consequence wrong). The
    point's words are where the assessor quoted them, else where its phrases are. A section is
    not credited by any sentence that carries a wrong claim."""
    if item.status == "wrong" or not item.quote:
        return False
    if section:
        # a section is the sentence's shape, not words in it: one stretch that carries a wrong
        # claim is enough ("I learned that escalating early works; I'd do the same again")
        return any(_overlap(item.quote, c.quote.rstrip(" .!?")) for c in assessment.claims)
    stretches = [s for s in _STRETCH.split(item.quote) if s.strip()]
    for wrong in assessment.key_points:
        if wrong.status != "wrong" or wrong.quote != item.quote:
            continue
        # the wrong words: as the assessor quoted them, else a cost said wrongly (the figure
        # alone), else the claim's own clause
        claim = next((c.quote for c in assessment.claims if c.key_point == wrong.id), "")
        cost = _COST.search(claim)
        marker = wrong.said or (cost.group() if cost else claim.rstrip(" .!?"))
        if not marker:
            continue
        tainted = [marker in s or s.strip(" .!?") in marker for s in stretches]
        for index in range(1, len(stretches)):  # what follows from a wrong premise
            if tainted[index - 1] and _CONSEQUENCE.match(stretches[index]):
                tainted[index] = True
        for stretch, bad in zip(stretches, tainted, strict=True):
            if bad and _located(item, stretch, phrases):
                return True
    return False


def _located(item: ItemStatus, stretch: str, phrases: Sequence[str]) -> bool:
    if item.said:
        return item.said in stretch
    said = tokens(stretch)
    return any(find_phrase(said, p) for p in phrases)


# where one statement of a sentence ends and another begins
_STRETCH = re.compile(
    r"[:;]|\s[-\u2013\u2014]\s|,\s*(?=(?:and|but|while|whereas|though|although|also|so)\b)",
    re.I,
)
_CONSEQUENCE = re.compile(r"\s*so\b", re.I)
_COST = re.compile(r"\bO\s*\([^()]{1,30}\)", re.I)


def _overlap(text: str, quote: str) -> bool:
    return bool(quote) and (text in quote or quote in text)


def _quote(item: ItemStatus, seq: int) -> Evidence | None:
    return Evidence(quote=clip(item.quote), message_seq=seq) if item.quote else None


# a sentence of the rubric's words reads it back when this many of them are not the question's
READBACK_WORDS = 3
# words that carry no content of their own when a plan is read back ("I would ...")
_FRAME = frozenset(tokens("I would we will like"))


def rubric_words(rubric: Rubric, spec: RoundSpec) -> frozenset[str]:
    """The words of the rubric's criteria (names, descriptions, level descriptors) and of the
    round's checklist section names: a sentence made of them reads the grading scheme back."""
    texts = [t for c in rubric.criteria for t in (c.name, c.description, *c.levels.values())]
    texts += [s.name for s in spec.checklist]
    return frozenset(w for t in texts for w in tokens(t)) | _FRAME


def _echoes(words: list[str], asked: set[str]) -> bool:
    # figures are no words of the question: "[[0, 1], [1, 0]]" reads nothing back
    distinct = {w for w in words if not w.isdigit()}
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
    # the rubric's words (empty without a rubric): a sentence of them is no answer
    rubric: frozenset[str] = frozenset()

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
        if self.rubric:
            back = [p for p in pieces if p.unit.kind == "prose" and self._reads_back(p, asked)]
            group.readbacks += [p.unit.text for p in back]
            pieces = tuple(p for p in pieces if p not in back)
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
                p.asserts and not any(_overlap(p.unit.text, q) for q in wrong),
                p.unit.kind == "code",
            )
            for p in kept
        ]

    def _reads_back(self, piece: AnswerUnit, asked: set[str]) -> bool:
        """True for a sentence made of the rubric's words (and the question's), several of them
        the rubric's own: "I would define the objective and success metric, name the
        proxy-metric pitfalls"; not "dW is (D_in, D_out) like W", whose symbols are anywhere."""
        if not _echoes(piece.tokens, asked | self.rubric):
            return False
        graded = {w for w in piece.tokens if len(w) > 3} & self.rubric - asked - _FRAME
        return len(graded) >= READBACK_WORDS

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
    rubric: Rubric | None = None,
) -> list[TopicAnswers]:
    """Split candidate messages (in order) among the questions asked, each read through its
    assessment; with the rubric, sentences that read it back credit nothing."""
    by_id = {t.id: t for t in topics}
    groups = [TopicAnswers(topic=by_id[p.topic_id], progress=p) for p in state.progress]
    for submission in submissions:  # oldest first: the last one stands
        for group in groups:
            if group.topic.id == submission.topic_id:
                group.submission = submission
    reader = _Reader(spec, rubric=rubric_words(rubric, spec) if rubric else frozenset())
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
