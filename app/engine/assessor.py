"""The offline assessor: deterministic text analysis of one candidate message.

Reads the message sentence by sentence (requests such as "Can I get a hint?" are not answer
text), matches each key point's phrases and paraphrases and each checklist section's phrases
with the one matching rule of `matching`, and reads each match's polarity: a negated match
covers nothing, a hedged one is partial, a match of a key point's wrong version is a claim.
Keyword lists evidence nothing. Pure and fast: no I/O, no model.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from app.content.models import CoveredBy, RoundSpec, WrongVersion
from app.engine.asked import (
    ASKING,
    about_the_job,
    asking_units,
    assumptions_asked,
    small_talk,
)
from app.engine.assessment import Assessment, Claim, ItemStatus, Status
from app.engine.complexity import NOTE, linear_claim, nested_earlier, nested_here
from app.engine.figures import (
    COMPLEXITY_CHALLENGE,
    complexity_claim,
    figure_claims,
    given_figures,
    mentions_cost,
    mentions_figure,
)
from app.engine.gap import named_points
from app.engine.hypothetical import is_hypothetical, sets_scene, tells_own_action
from app.engine.intent import (
    Intent,
    asks_for_simpler,
    asks_to_repeat,
    checks_in,
    intents,
    named_gap,
    sentence_intent,
)
from app.engine.matching import (
    STOPWORDS,
    Corrected,
    find_phrase,
    folded,
    literal_pattern,
    phrase_tokens,
    requirement,
    spans,
    tokens,
)
from app.engine.polarity import _VERBISH, Polarity, polarity
from app.engine.text import Unit, is_test_plan, named_span, units
from app.engine.topics import EVERYDAY, Topic

QUOTE_CHARS = 240
_RANK: dict[Status, int] = {"not_addressed": 0, "partial": 1, "covered": 2}


@dataclass(frozen=True)
class AnswerUnit:
    """One unit of answer text, its tokens with offsets, and its polarity."""

    unit: Unit
    tokens: list[str]
    offsets: list[tuple[int, int]]
    polarity: Polarity
    present: frozenset[str]
    # the tokens as wrong versions read them (everyday equivalents folded)
    folded: frozenset[str] = frozenset()
    # terms only named in an empty frame ("it is about X and Y"): named, not explained
    named: tuple[int, int] | None = None

    def names_only(self, start: int, end: int) -> bool:
        """True when the span lies in terms the sentence only names (see `text.named_span`)."""
        return self.named is not None and self.named[0] <= start and end <= self.named[1]

    @property
    def asserts(self) -> bool:
        """True for code, and for a sentence that claims something (not only denies or guesses)."""
        return self.unit.kind == "code" or any(
            not self.polarity.negated(s, e) and not self.polarity.hedged(s, e)
            for s, e in self.offsets
        )


@dataclass(frozen=True)
class _Hit:
    """A phrase found in a unit of evidence, with its reading."""

    evidence: AnswerUnit
    start: int  # character offsets of the matched words in the unit's text
    end: int
    negated: bool
    hedged: bool
    # the matched words are spread over more of the sentence than the phrase has words
    loose: bool = False
    phrase: str = ""  # the phrase found

    @property
    def quote(self) -> str:
        text = self.evidence.unit.text
        if len(text) <= QUOTE_CHARS:
            return text
        begin = max(0, min(self.start - QUOTE_CHARS // 3, len(text) - QUOTE_CHARS))
        end = begin + QUOTE_CHARS
        # whole words only, still verbatim: not "t company I was the backend lead ..."
        if begin > 0 and not text[begin - 1].isspace():
            begin = text.find(" ", begin, self.start + 1) + 1 or begin
        if end < len(text) and not text[end].isspace():
            space = text.rfind(" ", begin + 1, end)
            end = space if space > begin else end
        return text[begin:end].strip()

    @property
    def claim_quote(self) -> str:
        """The quote of a wrong claim: from the start of the clause that holds it, so that a
        push-back quotes the wrong words, not the right ones said before them ("indexing is
        O(1), append is O(1), and popping from the front is O(1) too"); without its full stop,
        as it is quoted inside a sentence of the interviewer's."""
        text = self.evidence.unit.text
        begin = self.evidence.polarity.clause_start(self.start)
        rest = text[begin:] if begin else self.quote
        if len(rest) > QUOTE_CHARS:  # whole words only
            rest = rest[: rest.rfind(" ", 0, QUOTE_CHARS) if " " in rest[:QUOTE_CHARS] else None]
        return rest.strip().removesuffix(".").rstrip()

    @property
    def said(self) -> str | None:
        """The candidate's words for the phrase, when they read as a phrase: an acknowledgement
        of "second on average, and with a hundred reads per" would make no sense."""
        span = self.said_span
        return None if span is None else self.evidence.unit.text[span[0] : span[1]]

    @property
    def said_span(self) -> tuple[int, int] | None:
        """Where the words of `said` are in the unit's text."""
        span = self._span()
        if span is None:
            return None
        text = self.evidence.unit.text
        start, end = _whole_words(text, *span)
        words = text[start:end]
        # a match of some of the phrase's words ("lock 2 and B" for "holds lock A and wants
        # lock B") is evidence, not words to quote back
        read = tokens(words)
        if not set(phrase_tokens(self.phrase)) <= set(read):
            return None
        if any(isinstance(t, Corrected) for t in read):
            return None  # "Right, 'o(n) spcae'" would quote the typo back
        if _SPOKEN_FILLER.search(words):  # "hash uh map" is the hash map, said aloud
            return None
        if _CLAUSE_MARK.search(words) or not _in_order(phrase_tokens(self.phrase), tokens(words)):
            return None  # "w, so you minimise", "critic you get actor" for "actor critic"
        if len(words.split()) == 1 and not _NAME.search(words):
            return None  # "Right, 'vector': noted" praises a word, not a point
        # words of a clause of their own inside ("seat row where status" for "seat status")
        inner = set(_WORDS.findall(words.lower())) - set(_WORDS.findall(self.phrase.lower()))
        if inner & _CLAUSE_WORDS or any(_VERBISH.fullmatch(w) for w in inner):
            return None
        # the condition of what the sentence says, not what it says: "when the model says
        # 70%, the event happens 70% of the time" is quoted as "model says 70%"
        if _SUPPOSES.search(text, self.evidence.polarity.clause_start(start), start):
            return None
        return (start, end) if _names_something(words) else None

    def _span(self) -> tuple[int, int] | None:
        """Where the phrase's words are, said as a phrase: the match, or, when the match is
        spread out ("wait, no preemption and circular wait" for "circular wait", its first
        word taken from "hold and wait"), the phrase's words close together inside it."""
        wanted = phrase_tokens(self.phrase)
        matched = tokens(self.evidence.unit.text[self.start : self.end])
        if not self.loose and _in_order(wanted, matched):
            return self.start, self.end
        if not wanted:
            return None
        located = list(zip(self.evidence.tokens, self.evidence.offsets, strict=False))
        within = [i for i, (_, (at, _end)) in enumerate(located) if self.start <= at < self.end]
        if not within:
            return None
        # the phrase's last words may follow the match: "wait ... circular" then "wait"
        inside = [(t, b, e) for t, (b, e) in located[within[0] : within[-1] + len(wanted)]]
        best = None
        for first in range(len(inside)):
            if inside[first][0] != wanted[0]:
                continue
            rest, last = iter(enumerate(inside[first:], first)), None
            for word in wanted:
                last = next((i for i, (t, _, _) in rest if t == word), None)
                if last is None:
                    break
            if last is not None and last - first + 1 <= len(wanted) + 1:
                begin, end = inside[first][1], inside[last][2]
                # every word of the phrase, small ones too: "lock B" is not "lock a then b"
                said = set(_WORDS.findall(self.evidence.unit.text[begin:end].lower()))
                if set(_WORDS.findall(self.phrase.lower())) <= said:
                    best = (begin, end)
        return best


def _in_order(phrase: Sequence[str], said: Sequence[str]) -> bool:
    """True when the phrase's words come in the candidate's words in the phrase's order."""
    rest = iter(said)
    return all(word in rest for word in phrase)


_CLAUSE_MARK = re.compile(r"[,;:]\s|\s[-\u2013\u2014]\s")
# words that open a clause of their own inside a phrase's words: "seat row where status"
_WORDS = re.compile(r"[\w']+")
_CLAUSE_WORDS = frozenset({"where", "which", "that", "who", "whose", "when", "while", "because"})
# a condition: what it opens is supposed, and the sentence's claim comes after it
_SUPPOSES = re.compile(r"\b(?:when|whenever|if|once|unless|until)\b", re.IGNORECASE)


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The span grown to whole words: "A/B test", not "B test"; "k-means", not "means"."""
    while start > 0 and (
        text[start - 1].isalnum()
        or (text[start - 1] in "/-" and start > 1 and text[start - 2].isalnum())
    ):
        start -= 1
    while end < len(text) and (
        text[end].isalnum()
        or (text[end] in "/-" and end + 1 < len(text) and text[end + 1].isalnum())
    ):
        end += 1
    return start, end


# one word worth quoting back: a name ("Redis", "BYOL", "MD5", "k-means"), not a common noun
_NAME = re.compile(r"^[A-Z]|[A-Z].*[A-Z]|\d|\w-\w")


_SPOKEN_FILLER = re.compile(r"\b(um+|uh+|erm*|you know)\b", re.IGNORECASE)


# words that name nothing an acknowledgement could quote back: "What I took", "np"
_UNQUOTABLE = (
    STOPWORDS
    | EVERYDAY
    | frozenset({"what", "how", "why", "who"})
    # the words that link a story's parts: "I follow the part about 'turned out'" says nothing
    | frozenset(tokens("turned turns caused because happened ended came found became was were"))
)


def _names_something(words: str) -> bool:
    return any((len(t) >= 3 or not t.isalpha()) and t not in _UNQUOTABLE for t in tokens(words))


@lru_cache(maxsize=1024)
def list_units(text: str) -> tuple[AnswerUnit, ...]:
    """The message's keyword lists as units of evidence: they evidence nothing, except where a
    list is the answer asked for (see `_listed`)."""
    found = []
    for unit in units(text):
        if unit.kind == "list":
            located = spans(unit.text)
            found.append(
                AnswerUnit(
                    unit=unit,
                    tokens=[t for t, _, _ in located],
                    offsets=[(s, e) for _, s, e in located],
                    polarity=polarity(unit.text),
                    present=(present := frozenset(t for t, _, _ in located)),
                    folded=folded(present),
                )
            )
    return tuple(found)


@lru_cache(maxsize=1024)
def answer_units(text: str) -> tuple[tuple[AnswerUnit, ...], bool]:
    """The units that are answer text (not requests, not lists), and whether a list was seen.
    Cached: each turn reads the question's earlier answers again."""
    found: list[AnswerUnit] = []
    listed = False
    for unit in units(text):
        if unit.kind == "list":
            listed = True
            continue
        if unit.kind == "prose" and sentence_intent(unit.text) not in (None, Intent.dont_know):
            continue
        located = spans(unit.text)
        reading = polarity(unit.text, checks_in=checks_in(unit.text))
        if reading.retracts_previous and found and found[-1].unit.kind == "prose":
            # "No wait, ..." takes back the sentence before it
            taken_back = found[-1].polarity
            found[-1] = replace(
                found[-1], polarity=replace(taken_back, retracted_before=len(taken_back.text))
            )
        found.append(
            AnswerUnit(
                unit=unit,
                tokens=[t for t, _, _ in located],
                offsets=[(s, e) for _, s, e in located],
                polarity=reading,
                present=(present := frozenset(t for t, _, _ in located)),
                folded=folded(present),
                named=named_span(unit.text) if unit.kind == "prose" else None,
            )
        )
    return tuple(found), listed


def _hits(
    evidence: Sequence[AnswerUnit], phrases: Sequence[str], *, every_word: bool = False
) -> list[_Hit]:
    """Every reading of the phrases in the evidence: each phrase, each unit, each occurrence."""
    hits = []
    wanted = [(phrase, *requirement(phrase, every_word)) for phrase in phrases]
    for piece in evidence:
        present = piece.folded if every_word else piece.present
        for phrase, required, need in wanted:
            if len(required & present) < need:  # a cheap pre-check: too few of its words
                continue
            literal = literal_pattern(phrase)
            if literal is not None and not literal.search(piece.unit.text):
                continue  # "at the time" is not any "time"
            offset = 0
            while offset < len(piece.tokens):
                match = find_phrase(piece.tokens[offset:], phrase, every_word=every_word)
                if match is None:
                    break
                first, last = match.start + offset, match.end + offset - 1
                # the match grows over the phrase's words that follow it: one it has not
                # reached yet ("... the other one needs"), or a repeat of a word the phrase
                # repeats ("n log n"); not a later repeat of another ("overwrite the old value,
                # old keys get lost")
                words = phrase_tokens(phrase)
                size = len(tokens(phrase))
                while (
                    last + 1 < len(piece.tokens)
                    and last + 1 - first < size
                    and piece.tokens[last + 1] in words
                    and (
                        size > len(words)
                        or piece.tokens[last + 1] not in piece.tokens[first : last + 1]
                    )
                ):
                    last += 1
                start, end = piece.offsets[first][0], piece.offsets[last][1]
                negated = piece.polarity.negated(start, end, phrase)
                # a term named in an empty frame is as good as a guess: said, not explained
                hedged = piece.polarity.hedged(start, end) or piece.names_only(start, end)
                loose = last - first + 1 > len(phrase_tokens(phrase)) + 1
                hits.append(_Hit(piece, start, end, negated, hedged, loose, phrase))
                if not (negated or hedged) and not every_word:
                    break
                # a negated or hedged mention, or a wrong version across clauses: look further on
                # ("maybe a hundred times more reads so it's very read heavy")
                offset = first + 1
    return hits


def _status(hits: Sequence[_Hit]) -> tuple[Status, _Hit | None]:
    best: tuple[Status, _Hit | None] = ("not_addressed", None)
    for hit in hits:
        if hit.negated:
            continue
        status: Status = "partial" if hit.hedged else "covered"
        if _RANK[status] > _RANK[best[0]]:
            best = (status, hit)
    return best


def _claimed(hit: _Hit) -> bool:
    """A wrong version counts when it is said in prose (code is not a claim), not denied
    before or after ("moving the taller one can never help"), not supposed ("if you ..."),
    not reported as someone else's ("people say ..."), within one clause."""
    evidence = hit.evidence
    return (
        evidence.unit.kind == "prose"
        and not hit.negated
        and evidence.polarity.one_clause(hit.start, hit.end, hit.phrase)
        and not evidence.polarity.refuted_after(hit.end)
        and not evidence.polarity.supposed(hit.start, hit.end)
        and not evidence.polarity.checked(hit.start)
        and not evidence.polarity.attributed(hit.start)
    )


# a list that names this many of a point's phrases is the enumeration asked for; one is a start
LISTED_PHRASES = 2
# a follow-up that asks for an enumeration and nothing more: "Outside of a classifier's loss,
# where have you seen this computation?", "Which features would you give the model?" (not
# "Which other losses would you consider, and when would they beat cross-entropy?")
_ASKS_FOR_LIST = re.compile(
    r"\b(?:where (?:else|have you seen|does (?:it|this) (?:show|come) up|is (?:it|this) used|"
    r"would you use (?:it|one|them))|what other|which other|which (?:\w+ )?\w+s (?:would|do|could|"
    r"should|are|did)|name (?:a few|some|two|three)|examples? of)\b",
    re.IGNORECASE,
)
_ASKS_MORE = re.compile(r"[,;]\s*and\s+(?:how|why|when|what|which|where)\b|\band why\b", re.I)
# "Reqs: push, sms", "- hotel: stars, price": the label of a list's line
_LABEL = re.compile(r"^\s*(?:[-*\u2022]\s+)?([A-Za-z][\w&/+-]*(?: [\w&/+-]+){0,2})\s*:")
# a heading over the lines that follow: "Features", "Functional requirements:"
MAX_HEADING_WORDS = 3


@lru_cache(maxsize=1024)
def _enumerated(topic: Topic) -> frozenset[str]:
    """The key points whose follow-up asks for a list and nothing more: a list of the right
    items answers them."""
    return frozenset(
        f.key_point
        for f in topic.follow_ups
        if _ASKS_FOR_LIST.search(f.prompt) and not _ASKS_MORE.search(f.prompt)
    )


def _names_section(spec: RoundSpec, label: str) -> str | None:
    """The checklist section a label or heading names by its id or name ("Reqs", "Features",
    "Estimates"), if one does."""
    said = [t for t in tokens(label) if t.isalpha() and t not in STOPWORDS and len(t) >= 3]
    for section in spec.checklist:
        named = {t for t in tokens(f"{section.id.replace('_', ' ')} {section.name}")}
        named = {t for t in named if t not in STOPWORDS and len(t) >= 3}
        if any(w.startswith(n) or n.startswith(w) for w in said for n in named):
            return section.id
    return None


def _framed(spec: RoundSpec, text: str) -> dict[str, str]:
    """Per list unit, the section whose name frames it: its own label ("Reqs: push, sms"), or
    a heading on the line before the run of lists it begins ("Features" over "- hotel: stars,
    review score"), where the line's own label names no section."""
    framed: dict[str, str] = {}
    heading: str | None = None
    for unit in units(text):
        if unit.kind == "list":
            label = _LABEL.match(unit.text)
            own = _names_section(spec, label.group(1)) if label else None
            section = own or heading
            if section is not None:
                framed[unit.text] = section
            continue
        words = unit.text.rstrip(":").split()
        short = unit.kind == "prose" and len(words) <= MAX_HEADING_WORDS
        heading = _names_section(spec, unit.text) if short and not unit.text.endswith(".") else None
    return framed


def _listed(
    topic: Topic,
    spec: RoundSpec,
    text: str,
    key_points: list[ItemStatus],
    sections: list[ItemStatus],
) -> tuple[list[ItemStatus], list[ItemStatus], bool]:
    """What a list answers where a list is the answer: a section answered by a list under its
    name (`covered_by: list`: requirements, features) and the key points about it, and a key
    point whose follow-up asks for a list ("where have you seen this?"). Two of the point's
    phrases named cover it; one, under the point's section, is a start (a term of an outline is
    not). Whether a list answered anything, too."""
    pieces = list_units(text)
    if not pieces:
        return key_points, sections, False
    by_list = {s.id for s in spec.checklist if s.covered_by == "list"}
    framed = {u: s for u, s in _framed(spec, text).items() if s in by_list}
    answered: set[str] = set()
    for section_id in set(framed.values()):
        under = next(p for p in pieces if framed.get(p.unit.text) == section_id)
        quote = _Hit(under, 0, len(under.unit.text), False, False).quote
        sections = [
            ItemStatus(id=s.id, status="covered", quote=quote)
            if s.id == section_id and s.status == "not_addressed"
            else s
            for s in sections
        ]
        answered.add(section_id)
    about = _point_sections(topic, spec)
    points = {p.id: p for p in topic.key_points}
    found = []
    for item in key_points:
        point = points[item.id]
        if item.status != "not_addressed":
            found.append(item)
            continue
        # the lists under the point's section: one of its phrases there is a start
        framing = [
            p
            for p in pieces
            if (section := framed.get(p.unit.text)) is not None
            and (item.id == section or section in about.get(item.id, ()))
        ]
        # any list, where the point asks for one, if it names what was asked: "Same trick in
        # HMM forward pass, CTC, CRF normalisers" to "where have you seen it?"; a dozen terms
        # of everything, two of them right, is a keyword dump
        phrases = (*point.phrases, *point.paraphrases)
        if item.id in _enumerated(topic):
            framing += [p for p in pieces if p not in framing and _focused(p, _hits([p], phrases))]
        hits = [h for h in _hits(framing, phrases) if not h.negated]
        named = {h.phrase for h in hits}
        if len(named) >= LISTED_PHRASES:
            status: Status = "covered"
        elif named and any(framed.get(h.evidence.unit.text) for h in hits):
            status = "partial"
        else:
            found.append(item)
            continue
        found.append(ItemStatus(id=item.id, status=status, quote=hits[0].quote))
        answered.add(item.id)
    return found, sections, bool(answered)


# a list whose items are this share of a point's is about that point
FOCUSED_SHARE = 0.5


def _focused(piece: AnswerUnit, hits: Sequence[_Hit]) -> bool:
    """True when most of a list's items name one of the phrases found."""
    text = piece.unit.text
    bounds = [m.start() for m in re.finditer(r"[,;]", text)]
    items = [0, *bounds]
    named = {sum(b < h.start for b in bounds) for h in hits if not h.negated}
    return len(named) >= LISTED_PHRASES and len(named) >= FOCUSED_SHARE * len(items)


def _stuck_on(topic: Topic, evidence: Sequence[AnswerUnit]) -> dict[str, tuple[str, ...]]:
    """Per sentence that names a gap, the key points it names: "It's DP over the amounts, I
    know that much, but I can't work out what the recurrence is" credits no recurrence, whatever
    words of it the sentence says on the way."""
    found = {}
    points = {p.id: p for p in topic.key_points}
    for piece in evidence:
        gap = named_gap(piece.unit.text) if piece.unit.kind == "prose" else None
        if gap is None:
            continue
        said = set(tokens(gap))
        # named by its name or a whole phrase, not by a word in passing ("I can't work out how
        # one turns into the other" after naming both sides is a guess at the link)
        named = tuple(
            p
            for p in named_points(topic, gap)
            if said & set(tokens(p.replace("-", " ")))
            or any(set(phrase_tokens(f)) <= said for f in points[p].phrases)
        )
        if named:
            found[piece.unit.text] = named
    return found


def _outside(hits: Sequence[_Hit], claims: Sequence[_Hit]) -> list[_Hit]:
    """Hits that are not words of a wrong claim: "move the taller line" credits no point that
    "taller line" names."""
    return [
        h
        for h in hits
        if not any(c.evidence is h.evidence and h.start < c.end and c.start < h.end for c in claims)
    ]


def _item(item_id: str, hits: Sequence[_Hit]) -> ItemStatus:
    status, hit = _status(hits)
    if hit is None:
        return ItemStatus(id=item_id, status=status)
    named = _named(hits) if status == "covered" else ()
    # the words to quote: the first of its hits said as a phrase, not only the first hit's
    said = next((h.said for h in hits if _counts(h, status) and h.said), None)
    return ItemStatus(
        id=item_id,
        status=status,
        quote=hit.quote,
        said=said,
        named=named if len(named) >= LISTED_ITEMS else (),
    )


# a message that names this many of a point's items names a list: "mutual exclusion, hold and
# wait, no preemption and circular wait" is acknowledged as a whole, not by one of its items
LISTED_ITEMS = 2


def _counts(hit: _Hit, status: Status) -> bool:
    return not hit.negated and (status == "partial" or not hit.hedged)


def _named(hits: Sequence[_Hit]) -> tuple[str, ...]:
    """The point's different items the message names as phrases, in the order it says them."""
    units: dict[int, int] = {}
    found: list[tuple[int, int, int, str]] = []
    for hit in hits:
        order = units.setdefault(id(hit.evidence), len(units))
        span = hit.said_span if _counts(hit, "covered") else None
        if span is None:
            continue
        start, end = span
        said = hit.evidence.unit.text[start:end]
        if any(o == order and start < e and s < end for o, s, e, _ in found):
            continue  # the same words, read by another phrase
        if any(w.casefold() == said.casefold() for *_, w in found):
            continue
        found.append((order, start, end, said))
    return tuple(w for *_, w in sorted(found))


def _wrong_hits(
    topic: Topic, evidence: Sequence[AnswerUnit]
) -> dict[str, tuple[_Hit, WrongVersion]]:
    """Per key point, the first wrong version said as a claim, with the version."""
    found: dict[str, tuple[_Hit, WrongVersion]] = {}
    for point in topic.key_points:
        for version in point.wrong:
            hits = _hits(evidence, version.phrases, every_word=True)
            named = _variant_names(version.note)
            said = (h for h in hits if _claimed(h))
            wrong = next((h for h in said if not h.evidence.polarity.said_of(h.start, named)), None)
            if wrong is not None:
                found[point.id] = (wrong, version)
                break
    return found


# a wrong version's note that names what the wrong words describe: "That is BatchNorm; ...",
# "That is the post-LN layout of the original Transformer; ..."
_THAT_IS = re.compile(r"^(?:that|this) (?:is|'s) (?:the |a |an )?(?P<name>[^;.(]+)", re.I)
# a word of such a name that names on its own: "post-LN", "Transformer", "BatchNorm"
_NAMING_WORD = re.compile(r"[\w-]*(?:[A-Z0-9]|\w-\w)[\w-]*")


@lru_cache(maxsize=1024)
def _variant_names(note: str) -> tuple[re.Pattern[str], ...]:
    """The names of the other design a wrong version's note says the wrong words describe:
    the whole name and each of its words that names on its own, as whole words ("classifier
    guidance" is not "classifier-free guidance")."""
    found = _THAT_IS.match(note.strip())
    if found is None:
        return ()
    name = found.group("name").strip(" ,")
    names = {name, *(w for w in _NAMING_WORD.findall(name) if len(w) > 1)}
    return tuple(
        re.compile(rf"(?<![\w-]){re.escape(n)}(?![\w-])", re.IGNORECASE) for n in sorted(names)
    )


def _dives_answered(topic: Topic, evidence: Sequence[AnswerUnit]) -> tuple[int, ...]:
    """The topic's deep dives the message answers: one of their `answered_by` said plainly."""
    return tuple(
        index
        for index, dive in enumerate(topic.deep_dives)
        if dive.answered_by and _status(_hits(evidence, dive.answered_by))[0] == "covered"
    )


def assess(topic: Topic, spec: RoundSpec, text: str, *, earlier: Sequence[str] = ()) -> Assessment:
    """Assess one candidate message against the question's key points and the round's checklist;
    `earlier` is what the candidate said before on the same question (what "this" refers to)."""
    found, _ = intents(text)
    units_said, listed = answer_units(text)
    evidence, hypothetical = _told(spec, units_said)
    wrong = _wrong_hits(topic, evidence)
    said_wrong = [hit for hit, _ in wrong.values()]
    stuck = _stuck_on(topic, evidence)
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
        hits = _hits(evidence, (*point.phrases, *point.paraphrases))
        hits = [h for h in hits if point.id not in stuck.get(h.evidence.unit.text, ())]
        key_points.append(_item(point.id, _outside(hits, said_wrong)))
    sections = [
        _item(s.id, _outside(_hits(evidence, (*s.phrases, *s.paraphrases)), said_wrong))
        for s in spec.checklist
    ]
    key_points, sections, by_list = _listed(topic, spec, text, key_points, sections)
    key_points, claims = _complexity(topic, text, earlier, evidence, key_points, claims)
    key_points, claims = _restated(topic, earlier, evidence, key_points, claims)
    # an answer under way on the question: what follows may use words of its own
    under_way = _under_way(topic, spec, earlier)
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
                quote = _Hit(told, 0, len(told.unit.text), False, False).quote
                sections = _covered_by(spec, kind, sections, quote)
    if Intent.clarify in found:  # a question is never quoted as evidence of what they know
        sections = _covered_by(spec, "clarifying_question", sections, None)
    plan = next((e for e in evidence if e.unit.kind == "prose" and is_test_plan(e.unit.text)), None)
    if plan is not None:  # the inputs they would test: the testing part and its key points
        quote = _Hit(plan, 0, len(plan.unit.text), False, False).quote
        sections = _covered_by(spec, "test_plan", sections, quote)
        tested = {s.criterion for s in spec.checklist if s.covered_by == "test_plan"}
        criteria = {p.id: p.criterion for p in topic.key_points}
        key_points = [
            ItemStatus(id=k.id, status="covered", quote=quote)
            if criteria[k.id] in tested and k.status == "not_addressed"
            else k
            for k in key_points
        ]
    sections = _unclaimed(_sections_by_point(topic, spec, key_points, sections), claims)
    addressed = any(s.status != "not_addressed" for s in (*key_points, *sections)) or claims
    if (
        Intent.answer in found
        and not addressed
        and not listed
        and not hypothetical
        and not under_way
        and not _on_topic(topic, evidence)
    ):
        found = (found - {Intent.answer}) | {Intent.off_topic}
    points_said = any(k.status != "not_addressed" for k in key_points) or claims
    # a story's words are its own: a behavioral answer is another question's when it names
    # nothing the question is about, not when its words are new
    told_through = sum(s.status == "covered" for s in sections) >= STORY_PARTS
    # a story's key points are read by their specific words alone (`_another_story`): "I
    # learned" credits a reflection point of every behavioral question
    said_here = bool(claims) if spec.past_experience else points_said
    another = (
        Intent.answer in found
        and not said_here
        and not by_list  # the list asked for ("Reqs: push, sms, email") is about this question
        # a plan gets "tell me about a time"; a story told through with a plan in it is judged
        and not (hypothetical and not told_through)
        and (
            told_through and not under_way and _another_story(topic, spec, evidence)
            if spec.past_experience
            else not under_way
            and (_elsewhere(topic, spec, evidence) or _sibling_answer(topic, evidence))
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
        asks_about=(named := _asks_about(topic, text) if Intent.hint in found else ()),
        asked_themselves=_asked_themselves(topic, text, named),
        hypothetical=hypothetical and not addressed,
        another_question=another,
        backend="offline",
    )


def _complexity(
    topic: Topic,
    text: str,
    earlier: Sequence[str],
    evidence: Sequence[AnswerUnit],
    key_points: list[ItemStatus],
    claims: list[Claim],
) -> tuple[list[ItemStatus], list[Claim]]:
    """Linear time claimed for a double loop (here, or in the code written earlier when this
    message describes no other approach) is a wrong claim about the complexity point."""
    target = _complexity_point(topic)
    other = any(k.status == "covered" and k.id != target for k in key_points)
    if not (nested_here(text) or (nested_earlier(text, earlier) and not other)):
        return key_points, claims
    quote = linear_claim(text, ((e.unit.text, e.polarity) for e in evidence))
    if quote is None:
        return key_points, claims
    claims = [*claims, Claim(quote=quote[:QUOTE_CHARS], note=NOTE, key_point=target)]
    key_points = [
        ItemStatus(id=k.id, status="wrong", quote=quote[:QUOTE_CHARS]) if k.id == target else k
        for k in key_points
    ]
    return key_points, claims


def told(spec: RoundSpec, unit: Unit) -> bool:
    """False for a sentence of a plan ("I would talk to them") where a story is asked for."""
    return not (spec.past_experience and unit.kind == "prose" and is_hypothetical(unit.text))


def _told(spec: RoundSpec, evidence: Sequence[AnswerUnit]) -> tuple[list[AnswerUnit], bool]:
    """The evidence that tells what happened, and whether a hypothetical was left out."""
    kept = [e for e in evidence if told(spec, e.unit)]
    return kept, len(kept) < len(evidence)


def _restated(
    topic: Topic,
    earlier: Sequence[str],
    evidence: Sequence[AnswerUnit],
    key_points: list[ItemStatus],
    claims: list[Claim],
) -> tuple[list[ItemStatus], list[Claim]]:
    """A wrong cost for the whole solution once its approach was described, and a figure of
    the question said back at another size, are wrong claims."""
    said = [(e.unit.text, e.polarity) for e in evidence if e.unit.kind == "prose"]
    target = _complexity_point(topic)
    costed = topic.expected_complexity and any(mentions_cost(text) for text, _ in said)
    if costed and (target is None or not any(c.key_point == target for c in claims)):
        approach = _approach_said(topic, evidence, earlier)
        found = complexity_claim(topic.expected_complexity, said, approach_covered=approach)
        if found is not None:
            sentence, _, note = found
            point = next((p for p in topic.key_points if p.id == target), None)
            quote = sentence[:QUOTE_CHARS]
            own = point.challenge if point is not None else None
            claims = [
                *claims,
                Claim(
                    quote=quote,
                    note=note,
                    key_point=target,
                    challenge=None if own else COMPLEXITY_CHALLENGE,
                ),
            ]
            key_points = [
                ItemStatus(id=k.id, status="wrong", quote=quote) if k.id == target else k
                for k in key_points
            ]
    if not any(mentions_figure(text) for text, _ in said):
        return key_points, claims
    return key_points, [*claims, *figure_claims(_heard(topic, earlier), said)]


def _covered_by(
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


def _unclaimed(sections: list[ItemStatus], claims: Sequence[Claim]) -> list[ItemStatus]:
    """A section whose only evidence is a wrong claim is not addressed: "that is O(n^2)
    overall" is no account of the cost."""
    wrong = {c.quote for c in claims}
    return [
        ItemStatus(id=s.id, status="not_addressed") if s.quote in wrong else s for s in sections
    ]


def _heard(topic: Topic, earlier: Sequence[str]) -> list[tuple[float, str, str | None]]:
    """The figures the candidate was given: the prompt's, and those of the assumptions their
    earlier questions on this question were answered with."""
    asked = {i for text in earlier for i in assumptions_asked(topic, asking_units(units(text)))}
    answers = [topic.assumptions[i].answer for i in sorted(asked)]
    return [*topic.givens, *given_figures(answers)]


def _approach_said(topic: Topic, evidence: Sequence[AnswerUnit], earlier: Sequence[str]) -> bool:
    """Whether the solution the expected cost belongs to is on the table: code was written,
    or the heaviest key point (the approach) is covered, in this message or an earlier one."""
    if not topic.key_points:
        return False
    point = max(topic.key_points, key=lambda p: p.weight)
    pieces = [*evidence, *(u for text in earlier for u in answer_units(text)[0])]
    if any(p.unit.kind == "code" for p in pieces):
        return True
    return _status(_hits(pieces, (*point.phrases, *point.paraphrases)))[0] == "covered"


@lru_cache(maxsize=1024)
def _point_sections(topic: Topic, spec: RoundSpec) -> dict[str, tuple[str, ...]]:
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


def _sections_by_point(
    topic: Topic, spec: RoundSpec, key_points: Sequence[ItemStatus], sections: list[ItemStatus]
) -> list[ItemStatus]:
    """A section is covered by a covered key point of its name, or graded on the same criterion
    when it is the only section of that criterion: "I'd test an empty list and one element"
    covers the edge case point, and so the testing part, whatever the section's own phrases
    say."""
    criteria = {p.id: p.criterion for p in topic.key_points}
    sole = {
        s.criterion: s.id
        for s in spec.checklist
        if sum(o.criterion == s.criterion for o in spec.checklist) == 1
    }
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
    about = _point_sections(topic, spec)
    for k in key_points:
        if k.status == "covered":
            by_section |= {s: k for s in about.get(k.id, ()) if s not in by_section}
    return [
        s.model_copy(update={"status": "covered", "quote": by_section[s.id].quote, "said": None})
        if s.status != "covered" and s.id in by_section
        else s
        for s in sections
    ]


# an answer to another problem: most of its words are foreign to this question
FOREIGN_WORDS = 4
FOREIGN_SHARE = 0.6
# words of the question's statement an answer must use to be about it: one ("score", "posts")
# is shared by many problems of a round
STATED_WORDS = 2


@lru_cache(maxsize=64)
def _generic(spec: RoundSpec) -> frozenset[str]:
    """The round's generic checklist words ("api", "table", "cache"): every question's."""
    return frozenset(
        t for s in spec.checklist for p in (*s.phrases, *s.paraphrases) for t in tokens(p)
    )


@lru_cache(maxsize=1024)
def _stated(title: str, prompt: str, spec: RoundSpec) -> frozenset[str]:
    """The words of a question's statement beyond the round's generic checklist words."""
    return frozenset(tokens(f"{title} {prompt}")) - _generic(spec)


# points of another question of the round an answer must make to be that question's answer
SIBLING_POINTS = 2
SIBLING_PHRASES = 3


def _sibling_answer(topic: Topic, evidence: Sequence[AnswerUnit]) -> bool:
    """True when the answer, touching none of this question's key points, makes two or more of
    another question's in that question's own words (L2's penalty, its gradient and its prior,
    asked about dropout, answer "L1 vs L2", though they share "overfitting" with this one), or
    one of them in three of its words (a random forest's bootstrap samples, random feature
    subsets and averaging, asked what a language model is)."""
    for points in topic.siblings:
        made = [
            hits
            for phrases in points
            if _status(hits := _hits(evidence, phrases))[0] == "covered"
        ]
        phrases = {h.phrase for hits in made for h in hits}
        if len(made) >= SIBLING_POINTS or len(phrases) >= SIBLING_PHRASES:
            return True
    return False


def _elsewhere(topic: Topic, spec: RoundSpec, evidence: Sequence[AnswerUnit]) -> bool:
    """True when the prose, touching none of the question's key points, no word of its title
    and at most one other word of its statement beyond the round's generic ones, is mostly
    words this question never uses ("sort the intervals, merge the overlapping ones" to
    two-sum): the round's generic words ("sort", "approach") make it look on topic, but it is
    not; one word of the statement ("score" in a fraud question) is shared by many problems,
    one of its title ("video") is what the question is about."""
    words = {
        t
        for e in evidence
        if e.unit.kind == "prose"
        for t in e.tokens
        if t.isalpha() and len(t) > 2 and t not in EVERYDAY
    }
    if topic.any_subject or len(words) < FOREIGN_WORDS:
        return False
    stated = _stated(topic.title, topic.prompt, spec)
    # code that defines or calls what the question names ("def logsumexp(x, axis=-1):") is an
    # answer to it, whatever the prose around it says
    coded = {t for e in evidence if e.unit.kind == "code" for t in e.tokens}
    if coded & _stated(topic.title, "", spec):
        return False
    # the round's generic words ("API", "table", "key-value store") say nothing about which
    # problem is answered: the share is of the rest
    specific = words - _generic(spec)
    foreign = specific - topic.vocabulary
    shared = words & stated
    return (
        len(shared) < STATED_WORDS
        and not shared & _stated(topic.title, "", spec)
        and len(foreign) >= FOREIGN_WORDS
        and len(foreign) >= FOREIGN_SHARE * len(specific)
    )


def _asks_about(topic: Topic, text: str) -> tuple[str, ...]:
    """The key points a request for help names: in the sentence that asks, with the one before
    it when it asks barely ("I'm lost on the evaluation. Any hints?"); the whole message only
    when those name none. A long answer ending "stuck on evaluating this, any pointers?" asks
    about the evaluation, not about what the answer said before."""
    said = [u.text for u in units(text) if u.kind == "prose"]
    asking = [i for i, s in enumerate(said) if sentence_intent(s) is Intent.hint]
    before = sorted({j for i in asking for j in (i - 1, i) if j >= 0})
    # "..., but I'm stuck on the scaling detail, could you point me at it?": what follows
    # "stuck on" is the gap, whatever the sentence said before it
    # the gap is named in the sentence that asks, or in the one before it ("I keep mixing up
    # the order. Any breadcrumbs?")
    gaps = {i: gap for i in before if (gap := named_gap(said[i])) is not None}
    # a gap too short to name a point by its words names the points whose phrase it says whole
    # ("not sure how to handle a hot key": the hot keys, not what the sentence said before)
    gap = " ".join(gaps.values())
    words = tokens(gap)
    named = named_points(topic, gap) or tuple(
        p.id for p in topic.key_points if any(find_phrase(words, ph) for ph in p.phrases)
    )
    if named:
        # ties go the way the whole sentence leans ("for the temperature part, I'm not sure how
        # to do the search itself")
        lean = named_points(topic, " ".join(said[i] for i in gaps))
        return tuple(sorted(named, key=lambda p: lean.index(p) if p in lean else len(lean)))
    for part in ([said[j] for j in asking], [said[j] for j in before]):
        named = named_points(topic, " ".join(part))
        if named:
            return named
    return named_points(topic, text)


# a request sharing this share of a follow-up's words asks that follow-up itself
ASKED_THEMSELVES = 0.6


def _asked_themselves(topic: Topic, text: str, named: Sequence[str]) -> tuple[str, ...]:
    """The named points whose follow-up question the message itself asks."""
    if not named:
        return ()
    said = set(tokens(text))
    found = []
    for follow_up in topic.follow_ups:
        if follow_up.key_point in named:
            asked = set(tokens(follow_up.prompt))
            if asked and len(asked & said) >= ASKED_THEMSELVES * len(asked):
                found.append(follow_up.key_point)
    return tuple(found)


# fewer words, or fewer checklist parts (situation, action, result...), than this are a
# scene still being set, not a story told through yet
STORY_TOKENS = 15
STORY_PARTS = 3


def _touches(topic: Topic, spec: RoundSpec, evidence: Sequence[AnswerUnit]) -> bool:
    """True when the words name the question's theme or any of its key points (even negated:
    "I didn't take the feedback well" is about feedback). A key point's phrase made only of the
    round's generic words ("I learned", "shipped", "percent") says a story has a lesson or a
    result, not what it is about."""
    return bool(_hits(evidence, (*topic.theme, *_specific_phrases(topic, spec))))


@lru_cache(maxsize=1024)
def _specific_phrases(topic: Topic, spec: RoundSpec) -> tuple[str, ...]:
    """The question's key point phrases with a word beyond the round's checklist words."""
    generic = _generic(spec)
    return tuple(
        p
        for point in topic.key_points
        for p in (*point.phrases, *point.paraphrases)
        if set(phrase_tokens(p)) - generic
    )


def _under_way(topic: Topic, spec: RoundSpec, earlier: Sequence[str]) -> bool:
    """Whether an answer on the question is under way: an earlier message touched it, or, in a
    behavioral round, began a story (set its scene, told a part of it), which the interviewer
    took up. A story goes on in words of its own, and is never called another one midway."""
    for said in earlier:
        told = answer_units(said)[0]
        if _touches(topic, spec, told):
            return True
        if spec.past_experience and any(
            _hits(told, (*s.phrases, *s.paraphrases)) for s in spec.checklist
        ):
            return True
    return False


def _another_story(topic: Topic, spec: RoundSpec, evidence: Sequence[AnswerUnit]) -> bool:
    """True when a behavioral story (an outage, told to "a time you received critical
    feedback") names nothing of the question's theme and none of its key points: the story
    answers another question (the caller checks nothing said before on the question did). A
    question without a theme ("pick a significant project") takes any story."""
    if not topic.theme:
        return False
    prose = [e for e in evidence if e.unit.kind == "prose"]
    return sum(len(e.tokens) for e in prose) >= STORY_TOKENS and not _touches(topic, spec, prose)


def _on_topic(topic: Topic, evidence: Sequence[AnswerUnit]) -> bool:
    return any(set(piece.tokens) & topic.vocabulary for piece in evidence)


def _complexity_point(topic: Topic) -> str | None:
    """The key point that states the time complexity: the one named so, else the one a phrase
    of which says O(n) or linear."""
    named = next((p.id for p in topic.key_points if "complexity" in p.id), None)
    if named is not None:
        return named
    for point in topic.key_points:
        words = {w for p in point.phrases for w in phrase_tokens(p)}
        if words & {"o(n)", "linear"}:
            return point.id
    return None
