"""Phrases found in the evidence: every reading of a phrase in the message's units (negated,
hedged, spread over the sentence), the strongest status they give, and the status of a key point
or checklist section they make, with the words to quote back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from app.engine.assessment import ItemStatus, Status
from app.engine.context_figures import figure_phrase, in_context
from app.engine.evidence import AnswerUnit
from app.engine.matching import find_phrase, literal_pattern, phrase_tokens, requirement, tokens
from app.engine.quotes import claim_excerpt, excerpt, words_said

_RANK: dict[Status, int] = {"not_addressed": 0, "partial": 1, "covered": 2}


@dataclass(frozen=True)
class Hit:
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
        """The sentence the phrase is in, cut around it (see `quotes.excerpt`)."""
        return excerpt(self.evidence.unit.text, self.start)

    @property
    def claim_quote(self) -> str:
        """The quote of a wrong claim, from its clause (see `quotes.claim_excerpt`)."""
        return claim_excerpt(self.evidence, self.start)

    @property
    def said(self) -> str | None:
        """The candidate's words for the phrase, when they read as a phrase (see `said_span`)."""
        span = self.said_span
        return None if span is None else self.evidence.unit.text[span[0] : span[1]]

    @property
    def said_span(self) -> tuple[int, int] | None:
        """Where the words of `said` are in the unit's text (see `quotes.words_said`)."""
        return words_said(self.evidence, (self.start, self.end), self.phrase, loose=self.loose)


def find_hits(
    evidence: Sequence[AnswerUnit],
    phrases: Sequence[str],
    *,
    every_word: bool = False,
    proposed: bool = False,
    outcome: bool = False,
    figures: bool = False,
) -> list[Hit]:
    """Every reading of the phrases in the evidence: each phrase, each unit, each occurrence.
    With `proposed` (a checklist part is covered by what the candidate puts forward), a phrase
    given up right after ("ok, greedy fails") reads as negated; with `outcome` (a part that
    tells what came of the work), so does one said as a goal ("six weeks to ship it"); there and
    with `figures` (a point graded with that part), so does a figure that is the scene, a plan or
    a lesson ("the dashboard showed signups up 40%")."""
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
                negated = (
                    piece.polarity.negated(start, end, phrase)
                    or piece.polarity.dismissed(end)
                    or (proposed and piece.polarity.given_up(end))
                    or (outcome and _GOAL.search(piece.unit.text, 0, start) is not None)
                    or (
                        (outcome or figures)
                        and figure_phrase(phrase)
                        and in_context(piece.unit.text, start)
                    )
                )
                # a term named in an empty frame is as good as a guess: said, not explained
                hedged = piece.polarity.hedged(start, end) or piece.names_only(start, end)
                loose = last - first + 1 > len(phrase_tokens(phrase)) + 1
                hits.append(Hit(piece, start, end, negated, hedged, loose, phrase))
                if not (negated or hedged) and not every_word:
                    break
                # a negated or hedged mention, or a wrong version across clauses: look further on
                # ("maybe a hundred times more reads so it's very read heavy")
                offset = first + 1
    return hits


# a goal, not an outcome: the words right after an infinitive's "to" ("six weeks to ship it")
_GOAL = re.compile(r"\bto\s+$", re.IGNORECASE)

# words that deny what follows them, as tokens read them ("doesn't" reads as "not")
_DENIALS = frozenset({"not", "never", "no", "cannot"})


@lru_cache(maxsize=4096)
def avoided(phrases: tuple[str, ...]) -> frozenset[str]:
    """The phrases another of the point's phrases says denied, right after its denial: the
    outcome the point avoids ("pair with itself" in "a number never pairs with itself")."""
    said = [phrase_tokens(p) for p in phrases]
    found = set()
    for phrase, words in zip(phrases, said, strict=True):
        size = len(words)
        if _DENIALS & set(words):
            continue
        if any(
            other[i] in _DENIALS and other[i + 1 : i + 1 + size] == words
            for other in said
            for i in range(len(other) - size)
        ):
            found.add(phrase)
    return frozenset(found)


def said_denied(hits: Sequence[Hit], outcomes: frozenset[str]) -> list[Hit]:
    """Hits of an outcome the point avoids, denied right before its words ("x doesn't pair
    with itself"), read as said; denied further off ("I didn't handle x pairing with itself")
    they stay denied."""
    return [
        replace(h, negated=False) if h.negated and h.phrase in outcomes and _denied_here(h) else h
        for h in hits
    ]


def _denied_here(hit: Hit) -> bool:
    """True when the word just before the hit's words is a denial."""
    piece = hit.evidence
    first = next((i for i, (s, _) in enumerate(piece.offsets) if s >= hit.start), 0)
    return first > 0 and piece.tokens[first - 1] in _DENIALS


def strongest(hits: Sequence[Hit]) -> tuple[Status, Hit | None]:
    """The best reading among the hits, with its hit: plain is covered, hedged is partial, a
    negated one counts for nothing."""
    best: tuple[Status, Hit | None] = ("not_addressed", None)
    for hit in hits:
        if hit.negated:
            continue
        status: Status = "partial" if hit.hedged else "covered"
        if _RANK[status] > _RANK[best[0]]:
            best = (status, hit)
    return best


def outside_claims(hits: Sequence[Hit], claims: Sequence[Hit]) -> list[Hit]:
    """Hits that are not words of a wrong claim: "move the taller line" credits no point that
    "taller line" names."""
    return [
        h
        for h in hits
        if not any(c.evidence is h.evidence and h.start < c.end and c.start < h.end for c in claims)
    ]


def item_status(item_id: str, hits: Sequence[Hit]) -> ItemStatus:
    """A key point's or section's status from its hits, with the quote and the words said."""
    status, hit = strongest(hits)
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


def _counts(hit: Hit, status: Status) -> bool:
    """True for a hit that gives the status: not negated, and plain unless partial."""
    return not hit.negated and (status == "partial" or not hit.hedged)


def _named(hits: Sequence[Hit]) -> tuple[str, ...]:
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
