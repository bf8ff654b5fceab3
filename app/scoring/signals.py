"""The measurable signals the offline scorer turns into criterion scores, each in [0, 1]."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from app.content.models import ChecklistSection, KeyPoint, RoundSpec, Signal
from app.engine.matching import find_phrase, phrase_tokens, tokens
from app.scoring.answers import Sentence, Standing, TopicAnswers
from app.scoring.models import Evidence


@dataclass
class Reading:
    """A signal's value, a phrase explaining it, and the quotes it rests on.

    `reached` says whether the interview got to what the signal measures (a key point or
    checklist section was discussed or asked about, code was run); None for signals that read
    any answer (length, structure) and so have no subject of their own.
    """

    value: float
    note: str
    evidence: list[Evidence] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    reached: bool | None = None
    # every key point it credits was only named, none said with its particulars
    only_named: bool = False


@dataclass(frozen=True)
class Inputs:
    """What every signal may look at."""

    groups: Sequence[TopicAnswers]
    spec: RoundSpec
    criterion_id: str


# the director moved on from the question: whatever it did not get to was the candidate's loss
# the question ended with the candidate having had their chance at every part of it
CLOSED = {"covered", "skipped", "stuck", "stale", "limit"}


def _quote(sentence: Sentence) -> Evidence:
    return Evidence(quote=sentence.text, message_seq=sentence.seq)


def _reached(group: TopicAnswers, item_id: str, standing: Standing) -> bool:
    """Whether the interview got to one key point or section of a question."""
    progress = group.progress
    return (
        standing.reached
        or item_id in progress.covered
        or item_id in progress.sections
        or item_id in progress.probed
        or progress.outcome in CLOSED
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# A key point is several things said together ("a cache, a CDN, shards, read replicas"), and a
# checklist section several parts ("components and how a request flows through them"): one
# phrase of it is not all of it. Its depth: how much of a key point's text (its own words, not
# the question's) the sentences on it say, full at DEPTH_SHARE; how many of its phrases were
# heard, full at POINT_PHRASES (a section's at SECTION_PHRASES); or how much those sentences say
# at all (the sentence that names it and those after it in the answer, up to one on another
# point), full at DEPTH_WORDS distinct words. Said in passing, it keeps its floor (DEPTH_FLOOR,
# SECTION_FLOOR) of its credit: naming the component of each point ("a cache in front, like
# Redis") is not the top of the scale, and a full answer, or a paraphrase that states the whole
# point, loses nothing.
DEPTH_SHARE = 0.5
POINT_PHRASES = 3
SECTION_PHRASES = 2
DEPTH_WORDS = 30
DEPTH_FLOOR = 0.4
SECTION_FLOOR = 0.6
# a phrase of this many words states the point rather than names it
STATEMENT_WORDS = 4
# below this depth a covered point reads as covered "only in passing" in the rationale
PASSING = 0.85


@dataclass(frozen=True)
class _Item:
    """What depth reads of a key point or section."""

    phrases: tuple[str, ...]
    own: frozenset[str]  # a key point's text's words; empty for a section
    floor: float = DEPTH_FLOOR
    # this many of its phrases heard make it full
    enough: int = POINT_PHRASES
    # its paraphrases and long phrases: each says the whole of it in other words, not a name
    statements: frozenset[str] = frozenset()


def _heard(words: list[str], item: _Item) -> set[str]:
    return {p for p in item.phrases if find_phrase(words, p)}


def _depth(group: TopicAnswers, item: _Item, others: Sequence[_Item]) -> float:
    """What the sentences that name the item, and those after them in the same answer up to one
    on another item, say of it, in [item.floor, 1]."""
    asked = set(tokens(group.topic.prompt)) | set(tokens(group.topic.title))
    said: set[str] = set()
    heard: set[str] = set()
    for answer in group.units:
        on = False
        for words in answer:
            phrases = _heard(words, item)
            heard |= phrases
            if phrases:
                on = True
            elif on and any(_heard(words, other) for other in others):
                on = False
            if on:
                said.update(words)
    if not heard or heard & item.statements:
        # said whole (a paraphrase), or credited by other means than its phrases: unmeasured
        return 1.0
    said -= asked
    breadth = len(heard) / item.enough
    if own := item.own - asked:
        breadth = max(breadth, len(own & said) / len(own) / DEPTH_SHARE)
    full = min(1.0, max(breadth, len(said) / DEPTH_WORDS))
    return item.floor + (1 - item.floor) * full


def _statements(phrases: Sequence[str], paraphrases: Sequence[str]) -> frozenset[str]:
    long = [p for p in phrases if len(phrase_tokens(p)) >= STATEMENT_WORDS]
    return frozenset((*paraphrases, *long))


def _point(point: KeyPoint) -> _Item:
    return _Item(
        (*point.phrases, *point.paraphrases),
        frozenset(tokens(point.text)),
        statements=_statements(point.phrases, point.paraphrases),
    )


def depth(group: TopicAnswers, point: KeyPoint) -> float:
    """How much of a key point the answers to its question said, in [DEPTH_FLOOR, 1]."""
    others = [_point(p) for p in group.topic.key_points if p.id != point.id]
    return _depth(group, _point(point), others)


def section_depth(group: TopicAnswers, section: ChecklistSection, spec: RoundSpec) -> float:
    """How much of a checklist section the answers to a question said, in [DEPTH_FLOOR, 1]."""
    def item(s: ChecklistSection) -> _Item:
        return _Item(
            (*s.phrases, *s.paraphrases),
            frozenset(),
            SECTION_FLOOR,
            SECTION_PHRASES,
            _statements(s.phrases, s.paraphrases),
        )

    others = [item(s) for s in spec.checklist if s.id != section.id]
    return _depth(group, item(section), others)


def key_points(inputs: Inputs) -> Reading | None:
    """Weighted share of this criterion's key points the answers assert (guesses earn half)."""
    total = earned = 0.0
    evidence: list[Evidence] = []
    standings: list[Standing] = []
    reached = False
    passing = 0
    for group in inputs.groups:
        for point in group.topic.key_points:
            if point.criterion != inputs.criterion_id:
                continue
            finding = group.finding(point.id)
            total += point.weight
            deep = depth(group, point) if finding.standing.credit else 1.0
            earned += point.weight * finding.standing.credit * deep
            standings.append(finding.standing)
            passing += finding.standing is Standing.covered and deep < PASSING
            reached = reached or _reached(group, point.id, finding.standing)
            if finding.evidence is not None:
                evidence.append(finding.evidence)
    if not total:
        return None
    covered = standings.count(Standing.covered)
    note = f"covered {covered} of {_count(len(standings), 'key point')} graded here"
    if passing:
        named = "only named" if passing == covered else f"{passing} of them only named"
        note += f" ({named}, without the particulars a full answer gives)"
    if partly := standings.count(Standing.partly):
        note += f" and only guessed at or named {partly} more"
    if helped := standings.count(Standing.helped):
        note += f"; {helped} more only after a hint about it, which earns half"
    if wrong := standings.count(Standing.wrong):
        note += f"; {wrong} stated wrongly, which earns nothing"
    # the missed key points are listed separately, by question
    only_named = 0 < covered == passing
    return Reading(earned / total, note, evidence, reached=reached, only_named=only_named)


def checklist(inputs: Inputs) -> Reading | None:
    """Share of this criterion's checklist sections the answers address, per question."""
    own = [s for s in inputs.spec.checklist if s.criterion == inputs.criterion_id]
    # per section, how many questions it applies to (a question may leave sections out)
    applies = {s.id: sum(s.id not in g.topic.skip_sections for g in inputs.groups) for s in own}
    sections = [s for s in own if applies[s.id]]
    if not sections:
        return None
    credit: dict[str, float] = {s.name: 0.0 for s in sections}
    # the credit once each section's depth is weighed in: what the value is made of
    deep: dict[str, float] = {s.name: 0.0 for s in sections}
    evidence: list[Evidence] = []
    reached = False
    for group in inputs.groups:
        for section in (s for s in sections if s.id not in group.topic.skip_sections):
            finding = group.finding(section.id, section=True)
            share = finding.standing.credit / applies[section.id]
            credit[section.name] += share
            if share:
                deep[section.name] += share * section_depth(group, section, inputs.spec)
            reached = reached or _reached(group, section.id, finding.standing)
            if finding.evidence is not None:
                evidence.append(finding.evidence)
    # one set, three disjoint parts: the rationale can never call a section both
    addressed = [name for name, c in credit.items() if c >= 1]
    partly = [name for name, c in credit.items() if 0 < c < 1]
    missing = [name for name, c in credit.items() if c == 0]
    note = f"addressed {len(addressed)} of {_count(len(sections), 'checklist part')}"
    if addressed:
        note += f" ({', '.join(addressed)})"
    if partly:
        note += f"; partly: {', '.join(partly)}"
    if named := [name for name in addressed if deep[name] < PASSING * credit[name]]:
        note += f"; only named: {', '.join(named)}"
    return Reading(sum(deep.values()) / len(sections), note, evidence, missing, reached)


def _per_group(
    pattern: re.Pattern[str] | Callable[[Sentence], bool], label: str, *, last: bool = False
) -> Callable[[Inputs], Reading | None]:
    """A signal read once per question: did any asserting sentence of its answers match? The
    quote is the first match, or the `last` (where a story's results are, not its setbacks)."""
    found = pattern if callable(pattern) else (lambda s: bool(pattern.search(s.text)))

    def signal(inputs: Inputs) -> Reading | None:
        if not inputs.groups:
            return None
        evidence = []
        for group in inputs.groups:
            said = group.sentences[::-1] if last else group.sentences
            hit = next((s for s in said if s.asserts and found(s)), None)
            if hit:
                evidence.append(_quote(hit))
        share = len(evidence) / len(inputs.groups)
        return Reading(
            share, f"{label} in {len(evidence)} of {len(inputs.groups)} answers", evidence
        )

    return signal


# a number in words, as a spoken answer says it: "ninety seconds to thirty", "seventy percent"
_NUMBER_WORD = (
    r"(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|half|a third|"
    r"a quarter|twice|doubled|tripled|halved)"
)
_NUMBER = re.compile(
    r"\b\d+(\.\d+)?\s*(%|x\b|ms\b|s\b|k\b|m\b|hours?|days?|weeks?|users|"
    r"percent|times|million|thousand|qps|requests)|\b\d{2,}\b"
    rf"|\b{_NUMBER_WORD}([ -]\w+)?\s+(percent|seconds|minutes|hours|days|weeks|months|times|"
    r"users|customers|people|tickets|requests|of (the|our|them))\b"
    rf"|\bfrom (about |around )?{_NUMBER_WORD}\b[^.]{{0,40}}\bto\b"
    r"|\b(doubled|tripled|halved|cut in half)\b",
    re.I,
)
# what makes a story one that happened: a name or product (a capital mid-sentence), a time
# ("last spring", "in 2021", "two weeks later"), a workplace, or a figure
_NAMED = re.compile(r"(?<=[a-z,;] )(?!I\b|I'[a-z]+\b)[A-Z][\w.+#-]*")
_WHEN = re.compile(
    r"\b(last|that|this|next) (year|month|week|quarter|spring|summer|autumn|fall|winter|sprint|"
    r"release|weekend)\b|\b(19|20)\d\d\b|\b(mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|"
    r"saturdays?|sundays?)\b|\b(a|one|two|three|four|five|six|few|couple of|\d+) (days?|weeks?|"
    r"months?|quarters?|years?|hours?) (ago|later|before|after|in)\b|\bwithin (a|one|two|three|"
    r"four|five|six|\d+) (days?|weeks?|months?|quarters?|years?)\b|\b(previous|last|former|first|"
    r"current|old) (job|company|employer|team|role|startup|internship)\b",
    re.I,
)
# things counted: "eleven teams", "two sessions a week", "3 services"
_COUNTED = re.compile(
    r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|\d+)"
    r"\s+(?!of\b|percent\b|%)[a-z]{3,}",
    re.I,
)
# fewer particulars than this in every story of a behavioral interview: the shape of a good
# answer, read back, with nothing that says it happened
MIN_PARTICULARS = 2


def particulars(texts: Sequence[str], vocabulary: Collection[str] = ()) -> int:
    """The names, times, workplaces and figures in a story's words.

    An acronym the content itself uses as a word (`vocabulary`, lower case: "an MVP" where a key
    point says "mvp") is a term of the trade, not a name or a product; a capitalised name the
    content also uses ("Black Friday") still is one."""
    return sum(
        sum(not _jargon(name, vocabulary) for name in _NAMED.findall(text))
        + len(_WHEN.findall(text))
        + max(len(_NUMBER.findall(text)), len(_COUNTED.findall(text)))
        for text in texts
    )


def _jargon(name: str, vocabulary: Collection[str]) -> bool:
    word = name.rstrip(".")
    return len(word) > 1 and word.isupper() and word.lower() in vocabulary


_COMPLEXITY = re.compile(
    r"\bO\s*\([^)]{1,20}\)|\b(linear|logarithmic|quadratic|constant) "
    r"(time|space)\b|\bn log n\b",
    re.I,
)
_TESTING = re.compile(
    r"\b(edge case|corner case|test(s|ed|ing)?|assert|example input|"
    r"empty (input|array|list|string)|null|overflow|duplicates?|sanity check|"
    r"finite difference|gradient check|dry run|walk through)\b",
    re.I,
)
_STRUCTURE = re.compile(
    r"(^\s*(\d+[.)]|[-*•])\s)|\b(first(ly)?|second(ly)?|third|then|next|"
    r"finally|trade ?-?offs?|on the other hand|alternatively|because|"
    r"therefore|in summary|to summari[sz]e|pros?|cons?)\b|"
    # a part labelled as such: "Situation: ...", "What I did: ...", "Step 2: ..."
    r"\b(situation|task|action|result|reflection|context|approach|what i did|outcome|"
    r"step \d+|summary|plan|requirements|assumptions)\s*:|"
    # any part labelled at the start of a message or line, as design candidates walk a
    # template: "API: ...", "Read path: ...", "Trade-offs: ..."
    r"^\s*(?-i:[A-Z])[\w/-]*(?: [\w/-]+){0,2}:\s|"
    # a reason given: "..., since browsers cache a 301"
    r"\bsince\b",
    re.I | re.M,
)
# a first-person sentence shorter than this is not an account of an action
MIN_ACCOUNT_TOKENS = 5
# "I did": an account of an action; "I think", "I would", "I'm not sure", "I was the lead" are not
_I_DID = re.compile(
    r"\bI\b(?!['\u2019](?:d|m)\b| (?:was|am|would|think|thought|guess|believe|feel|might|could|"
    r"may|suppose|hope|mean|don'?t|do not|didn'?t|did not|wasn'?t|was not|haven'?t|have not|"
    r"hadn'?t|had not|wouldn'?t|couldn'?t|won'?t|am not|'?m not|can'?t|cannot|have no|"
    r"never)\b)",
)
_I = re.compile(r"\b(i|i'm|i've|i'd|my|me|myself)\b", re.I)
_WE = re.compile(r"\b(we|we're|we've|our|us|the team)\b", re.I)

# numbers offered as alternatives ("a 301 or 302 redirect", "HTTP 401/403") name codes, not
# quantities
_CODES = re.compile(r"\b\d{3}\s*(?:or|/)\s*\d{3}\b", re.I)


def _numbered(sentence: Sentence) -> bool:
    return bool(_NUMBER.search(_CODES.sub(" ", sentence.text)))


def _outcome_told(group: TopicAnswers, spec: RoundSpec, criterion_id: str) -> set[int]:
    """The messages that told the outcome this criterion grades: its outcome section or one of
    its key points covered or said in part there."""
    sections = {s.id for s in spec.checklist if s.outcome and s.criterion == criterion_id}
    points = {p.id for p in group.topic.key_points if p.criterion == criterion_id}
    return {
        seq
        for seq, assessment in group.assessments
        if any(
            item.status in ("covered", "partial")
            for item in (
                *(i for i in assessment.sections if i.id in sections),
                *(i for i in assessment.key_points if i.id in points),
            )
        )
    }


def quantified(inputs: Inputs) -> Reading | None:
    """Numbers given: for the criterion an outcome section grades (a story's result), in the
    messages that told the outcome ("showed him three of the broken builds" in an account of
    what they did is no measured result); elsewhere in any sentence."""
    if not any(s.outcome and s.criterion == inputs.criterion_id for s in inputs.spec.checklist):
        return _any_numbers(inputs)
    if not inputs.groups:
        return None
    evidence = []
    for group in inputs.groups:
        told = _outcome_told(group, inputs.spec, inputs.criterion_id)
        said = (s for s in group.sentences[::-1] if s.seq in told and s.asserts and _numbered(s))
        hit = next(said, None)
        if hit:
            evidence.append(_quote(hit))
    return Reading(
        len(evidence) / len(inputs.groups),
        f"numbers given for the outcome in {len(evidence)} of {len(inputs.groups)} answers",
        evidence,
    )


_any_numbers = _per_group(_numbered, "numbers given", last=True)
complexity = _per_group(_COMPLEXITY, "complexity stated")
# a line of code as the assessor read it: "I return -1 if nothing is found" is prose
code = _per_group(lambda s: s.code, "code written")
testing = _per_group(_TESTING, "tests or edge cases discussed")


# what ownership reads when nothing says what the candidate did, however often they say "I"
NO_ACCOUNT = 0.2


def ownership(inputs: Inputs) -> Reading | None:
    """How much the candidate speaks of their own actions ("I") rather than the team's."""
    text = " ".join(t for g in inputs.groups for t in g.answer_texts)
    mine, ours = len(_I.findall(text)), len(_WE.findall(text))
    if mine + ours == 0:
        return Reading(NO_ACCOUNT, "no first-person account of actions")
    share = mine / (mine + ours)
    evidence = [
        _quote(s)
        for g in inputs.groups
        for s in g.sentences
        if s.asserts and _I_DID.search(s.text) and len(s.tokens) >= MIN_ACCOUNT_TOKENS
    ][:2]
    note = f"{mine} first-person vs {ours} team references"
    if not evidence:
        # "I didn't talk to him, I thought it would be awkward": pronouns, but no action of theirs
        return Reading(NO_ACCOUNT, f"{note}, but no sentence says what the candidate did")
    return Reading(min(1.0, share / 0.6), note, evidence)


def structure(inputs: Inputs) -> Reading | None:
    """Organised answers: enumerations, sequencing words, stated trade-offs and reasons."""
    answers = [t for g in inputs.groups for t in g.answer_texts]
    if not answers:
        return None
    markers = sum(len(_STRUCTURE.findall(t)) for t in answers)
    per_answer = markers / len(answers)
    return Reading(min(1.0, per_answer / 2), f"{per_answer:.1f} structure markers per answer")


def elaboration(inputs: Inputs) -> Reading | None:
    """Answers of a useful length: neither one-liners nor walls of text."""
    answers = [t for g in inputs.groups for t in g.answer_texts]
    if not answers:
        return Reading(0.0, "no substantive answers")
    words = sum(len(t.split()) for t in answers) / len(answers)
    bands = [(15, 0.1), (40, 0.5), (300, 1.0), (600, 0.7)]
    value = next((v for limit, v in bands if words < limit), 0.4)
    return Reading(value, f"{words:.0f} words per answer on average")


def independence(inputs: Inputs) -> Reading | None:
    """Solved with few hints: each hint used costs a third of a question's ladder."""
    if not inputs.groups:
        return None
    used = sum(g.hints_used for g in inputs.groups)
    value = max(0.0, 1 - used / (3 * len(inputs.groups)))
    return Reading(value, f"{used} hint(s) used")


def hidden_tests(inputs: Inputs) -> Reading | None:
    """Pass rate of the last submitted code on each question's hidden tests, quoting the code."""
    submitted = [g for g in inputs.groups if g.submission and g.submission.hidden_total]
    if not submitted:
        return None  # no code was run: the other signals judge correctness
    rates, notes, evidence = [], [], []
    for group in submitted:
        s = group.submission
        assert s is not None
        rates.append(s.hidden_passed / s.hidden_total)
        notes.append(f"last submission passed {s.hidden_passed}/{s.hidden_total} hidden tests")
        evidence.append(Evidence(quote=s.excerpt, message_seq=s.seq))
    missing = [
        f"code passing every hidden test of {g.topic.title}"
        for g in submitted
        if g.submission and g.submission.hidden_passed < g.submission.hidden_total
    ]
    return Reading(sum(rates) / len(rates), "; ".join(notes), evidence, missing, reached=True)


SIGNALS: dict[Signal, Callable[[Inputs], Reading | None]] = {
    "key_points": key_points,
    "checklist": checklist,
    "quantified": quantified,
    "ownership": ownership,
    "structure": structure,
    "elaboration": elaboration,
    "complexity": complexity,
    "code": code,
    "testing": testing,
    "independence": independence,
    "hidden_tests": hidden_tests,
}
