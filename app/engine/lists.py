"""What a list answers where a list is the answer: a checklist section answered by a list under
its name or heading (`covered_by: list`: requirements, features) and the key points about it,
and a key point whose follow-up asks for an enumeration. Anywhere else a keyword list evidences
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from app.content.models import RoundSpec
from app.engine.assessment import ItemStatus, Status
from app.engine.evidence import AnswerUnit, list_units
from app.engine.hits import Hit, find_hits
from app.engine.matching import STOPWORDS, tokens
from app.engine.quotes import excerpt
from app.engine.sections import point_sections
from app.engine.text import units
from app.engine.topics import Topic

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


def _framed(spec: RoundSpec, text: str, asked: str | None = None) -> dict[str, str]:
    """Per list unit, the section whose name frames it: its own label ("Reqs: push, sms"), or
    a heading on the line before the run of lists it begins ("Features" over "- hotel: stars,
    review score"), where the line's own label names no section; else the section whose
    question is on the table (`asked`: "What signals would you feed the model?")."""
    framed: dict[str, str] = {}
    heading: str | None = None
    on_table = next((s.id for s in spec.checklist if asked in s.probes), None)
    for unit in units(text):
        if unit.kind == "list":
            label = _LABEL.match(unit.text)
            own = _names_section(spec, label.group(1)) if label else None
            section = own or heading or on_table
            if section is not None:
                framed[unit.text] = section
            continue
        words = unit.text.rstrip(":").split()
        short = unit.kind == "prose" and len(words) <= MAX_HEADING_WORDS
        heading = _names_section(spec, unit.text) if short and not unit.text.endswith(".") else None
    return framed


def listed_answers(
    topic: Topic,
    spec: RoundSpec,
    text: str,
    key_points: list[ItemStatus],
    sections: list[ItemStatus],
    asked: str | None = None,
) -> tuple[list[ItemStatus], list[ItemStatus], bool]:
    """What a list answers where a list is the answer: a section answered by a list under its
    name or to its question (`covered_by: list`: requirements, features) and the key points
    about it, and a key
    point whose follow-up asks for a list ("where have you seen this?"). Two of the point's
    phrases named cover it; one, under the point's section, is a start (a term of an outline is
    not). Whether a list answered anything, too."""
    pieces = list_units(text)
    if not pieces:
        return key_points, sections, False
    by_list = {s.id for s in spec.checklist if s.covered_by == "list"}
    framed = {u: s for u, s in _framed(spec, text, asked).items() if s in by_list}
    answered: set[str] = set()
    for section_id in set(framed.values()):
        under = next(p for p in pieces if framed.get(p.unit.text) == section_id)
        quote = excerpt(under.unit.text)
        sections = [
            ItemStatus(id=s.id, status="covered", quote=quote)
            if s.id == section_id and s.status == "not_addressed"
            else s
            for s in sections
        ]
        answered.add(section_id)
    about = point_sections(topic, spec)
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
            framing += [
                p for p in pieces if p not in framing and _focused(p, find_hits([p], phrases))
            ]
        hits = [h for h in find_hits(framing, phrases) if not h.negated]
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


def _focused(piece: AnswerUnit, hits: Sequence[Hit]) -> bool:
    """True when most of a list's items name one of the phrases found."""
    text = piece.unit.text
    bounds = [m.start() for m in re.finditer(r"[,;]", text)]
    items = [0, *bounds]
    named = {sum(b < h.start for b in bounds) for h in hits if not h.negated}
    return len(named) >= LISTED_PHRASES and len(named) >= FOCUSED_SHARE * len(items)
