"""Numbers restated wrongly: a complexity for the whole solution that is not its cost, and a
figure the question gave, said back at another size.

"So the total is O(n^2)" after describing the one-pass hash map, or "so 50k requests a
second" after being told 500,000, is what an interviewer stops and checks. Only restatements
are read: a per-operation cost ("a lookup is O(1)"), a baseline ("brute force is O(n^2)") or a
derived figure ("at peak", "per server") is not the same number said back. Pure and lexical.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.engine.assessment import Claim
from app.engine.matching import spans, tokens
from app.engine.polarity import Polarity

_BIG_O = re.compile(r"\bO\s*\((?:[^()\n]|\([^()\n]{0,12}\)){1,30}\)", re.IGNORECASE)
# the complexity of the whole solution, said in the words before it
_WHOLE = re.compile(
    r"\b(total|overall|altogether|in all|so (that'?s|it'?s|this is|we get|we have)|that'?s|"
    r"(this|that|it) is|it'?s|runs? in|the (whole|algorithm|solution|approach|final)|"
    r"my (solution|approach|algorithm|code)|complexity|end up|comes? (out )?to)\b",
    re.IGNORECASE,
)
# a part of it, or another approach: not the whole solution's cost
_PART = re.compile(
    r"\b(each|per|single|one (lookup|step|operation|call|pass)|lookups?|inserts?|insertions?|"
    r"push(es)?|pops?|brute|naive|nested|every pair|each pair|baseline|sort(ing|ed)?|"
    r"worst[- ]case|best[- ]case|instead|rather than|alternative|amortized|heap)\b",
    re.IGNORECASE,
)
# a clause that only draws the consequence of the one before: "the insert shifts every element,
# so it's O(n)" is the cost of what that clause named
_CONSEQUENCE = re.compile(
    r"(and )?(so|hence|thus|which (is|makes it|means)|making it|that makes it)"
    r"( (it'?s|that'?s|this is|it is|we get|we have))?",
    re.IGNORECASE,
)
# ... unless the cost is said of the whole: "so it's O(n) overall"
_OVERALL = re.compile(r"\s*(overall|in total|total|altogether|for the whole|end to end)\b", re.I)
# "O(n) per i", "O(log n) for each insert": the cost of a step
_PER = re.compile(r"\s*(time |space )?(per|for (each|every|one)|each|a (step|call|lookup))\b", re.I)
COMPLEXITY_CHALLENGE = (
    "Let's check that cost. How many times is each element handled in your approach, and "
    "what does one of those steps cost?"
)
FIGURE_CHALLENGE = (
    "Let's check that number against what we set at the start. Where does it come from?"
)

# what a figure's scale word multiplies it by ("40 million", "80k", "2bn")
SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9,
          "billion": 1e9, "trillion": 1e12}
_FIGURE = re.compile(
    r"(?<![\w.])(?P<value>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*"
    r"(?P<scale>k|m|mm|b|bn|thousand|million|billion)?\b\s*(?P<unit>(?:[a-z]+\s*){1,4})",
    re.IGNORECASE,
)
_PERIODS = {"second": "second", "sec": "second", "s": "second", "qps": "second",
            "minut": "minute", "min": "minute", "hour": "hour", "day": "day", "daili": "day",
            "week": "week", "month": "month", "monthli": "month", "year": "year"}
# words that make a figure derived from the given one, not the given one said back
_DERIVED = re.compile(
    r"\b(peak|average|per (?!(second|sec|minute|min|hour|day|week|month|year)\b)\w+|"
    r"each|growth|grow|in \d+ years|times|double|triple|half|x\b|headroom|after|before|"
    r"reads?|writes?|of (them|those|these)|only|about \d+ ?% )",
    re.IGNORECASE,
)
# the words that say a figure back: "so we need to handle about 50k", "you said 5 million"
_RESTATING = re.compile(
    r"\b(so|we|we'?ll|we'?re|you said|given|there (are|is|will be)|that'?s|handle|handling|"
    r"serve|serving|expect|expecting|means?)\b",
    re.IGNORECASE,
)
# "60 million store-product series": the word names a modifier, not the thing counted (the
# unit's words stop at the hyphen, so it is the character right after them)
_COMPOUND = re.compile(r"-[a-z]", re.IGNORECASE)
RATIO = 2.0


@dataclass(frozen=True)
class Cost:
    """A complexity said in a sentence, where it is and its token ("n log n" is o(nlogn))."""

    start: int
    end: int
    token: str

    def said(self, sentence: str) -> str:
        """The words the candidate used for it."""
        return sentence[self.start : self.end]


# a cost named by its growth ("so overall it's linear"), not a linear model or a linear probe,
# nor growth in one of several sizes ("linear in the number of points")
_GROWTH = re.compile(
    r"\b(?P<word>linear|quadratic|cubic)\b(?!-)(?!\s+(?:in|layers?|regression|models?|prob\w*|"
    r"algebra|combinations?|transform\w*|interpolat\w*|classifiers?|separab\w*|kernels?|maps?|"
    r"functions?|equations?|systems?|programs?|units?|warm\w*|decay|schedules?|heads?)\b)",
    re.IGNORECASE,
)
_GROWTH_COST = {"linear": "o(n)", "quadratic": "o(n^2)", "cubic": "o(n^3)"}
# ... said as what the cost is ("overall it's linear", "the total is quadratic"), not as what it
# would become ("or the whole thing goes quadratic")
_GROWTH_SAID = re.compile(
    r"(?:\b(?:is|it'?s|that'?s|overall|total|stays?|remains?)|:)\s+(?:just |still |only |now )?$",
    re.IGNORECASE,
)


def costs_said(sentence: str) -> list[Cost]:
    """Every complexity the sentence states, written ("O(n log n)"), said aloud ("big o of n
    squared"), said without its O ("so overall n log n") as `matching` reads them, or named
    by its growth ("linear", "quadratic")."""
    found = [Cost(s, e, t) for t, s, e in spans(sentence) if t.startswith("o(")]
    found += [
        Cost(m.start(), m.end(), _GROWTH_COST[m.group("word").lower()])
        for m in _GROWTH.finditer(sentence)
        if _GROWTH_SAID.search(sentence, 0, m.start())
    ]
    return sorted(found, key=lambda c: c.start)


def mentions_cost(sentence: str) -> bool:
    """True when the sentence states a complexity (a cheap gate before reading it)."""
    return bool(costs_said(sentence))


def mentions_figure(sentence: str) -> bool:
    """True when the sentence has a number at all (a cheap gate before reading figures)."""
    return any(ch.isdigit() for ch in sentence)


def _o(expression: str) -> str:
    return tokens(expression)[0] if tokens(expression) else expression.lower()


def _letters(o: str) -> set[str]:
    return set(re.findall(r"[a-z]", o[2:])) - {"l", "o", "g"}


# what follows a cost that says it is the memory, not the time: "O(n) space", "O(1) extra"
_SPACE = re.compile(
    r"\s*(extra\s+|auxiliary\s+|additional\s+)?(space|memory|extra|storage)\b", re.IGNORECASE
)


def _costs(expected: str) -> tuple[set[str], set[str]]:
    """The expected time costs and space costs ("O(n log n) time, O(n) space"); a cost said
    of neither counts as both."""
    time: set[str] = set()
    space: set[str] = set()
    for match in _BIG_O.finditer(expected):
        if _SPACE.match(expected, match.end()):
            space.add(_o(match.group()))
        else:
            time.add(_o(match.group()))
    return time or space, space or time


_SO_WHOLE = re.compile(
    r"\b(?:so|and|which makes it|that makes it)\s+"
    r"(?=(?:overall|in total|altogether|the (?:whole|total|overall))\b)",
    re.IGNORECASE,
)


def _lead(sentence: str, found: Cost) -> str:
    """The words of the cost's own clause, with the clause before when this one only draws its
    consequence ("the insert shifts every element, so it's O(n)")."""
    before = sentence[: found.start]
    cut = max(before.rfind(","), before.rfind(";"))
    # "sorting is n log n and the sweep is linear so overall it's linear": what follows "so
    # overall" is the whole's cost, whatever parts the words before it priced
    whole = [m.start() for m in _SO_WHOLE.finditer(before, cut + 1)]
    if whole:
        return before[whole[-1] :]
    lead = before[cut + 1 :]
    if cut >= 0 and _CONSEQUENCE.fullmatch(lead.strip()) and not _OVERALL.match(
        sentence, found.end
    ):
        earlier = before[:cut]
        lead = earlier[max(earlier.rfind(","), earlier.rfind(";")) + 1 :] + lead
    return lead


# the words between a count and what one of its items costs: "O(n^2) substrings, each costing up
# to O(n)"; or after it: "O(n) windows at O(k) per window"
_EACH = re.compile(r"\b(each|every one|per|apiece)\b", re.IGNORECASE)
# a word after the cost, the thing counted: "O(n^2) substrings", "O(n^2) (i, j) pairs"
_NOUN = re.compile(r"\s+(\([^()]{0,12}\)\s+)?[a-z]", re.IGNORECASE)
_FACTOR = re.compile(r"(log)?([a-z])(?:\^(\d+))?")


def _factors(o: str) -> Counter[str] | None:
    """The factors of a product of powers ("o(nl^2)" -> n, l, l), or None for a sum or anything
    else this cannot multiply."""
    body = o[2:-1] if o.startswith("o(") and o.endswith(")") else ""
    found: Counter[str] = Counter()
    if body == "1":
        return found
    at = 0
    while at < len(body):
        part = _FACTOR.match(body, at)
        if part is None:
            return None
        found[(part.group(1) or "") + part.group(2)] += int(part.group(3) or 1)
        at = part.end()
    return found or None


def _counted(sentence: str, found: Cost) -> tuple[str, Counter[str] | None] | None:
    """When the cost is a count of things followed by what each of them costs ("that's O(n^2)
    substrings, each costing up to O(n)"): the per-item cost's words and the product's factors
    (None when they cannot be multiplied); else None."""
    rest = sentence[found.end :]
    unit = next(iter(costs_said(rest)), None)
    if unit is None or _SPACE.match(rest) or _OVERALL.match(rest):
        return None
    between = rest[: unit.start]
    if not _NOUN.match(between) or len(between.split()) > 8:
        return None
    if not _EACH.search(between) and not _PER.match(rest, unit.end):
        return None
    count, each = _factors(found.token), _factors(unit.token)
    if count is None or each is None:
        return unit.said(rest), None
    return unit.said(rest), count + each


def complexity_claim(
    expected: str | None,
    said: Iterable[tuple[str, Polarity]],
    *,
    approach_covered: bool,
) -> tuple[str, str, str] | None:
    """(sentence, claimed, note) for the first cost of the whole solution that is not the
    expected one, once the candidate has described the expected approach; else None."""
    time, space = _costs(expected or "")
    if not time or not approach_covered:
        return None
    letters = set().union(*(_letters(o) for o in time | space))
    for sentence, reading in said:
        for found in costs_said(sentence):
            lead = _lead(sentence, found)
            claimed = found.token
            # "O(n) space" is checked against the memory, any other cost against the time
            accepted = space if _SPACE.match(sentence, found.end) else time
            counted = _counted(sentence, found)
            if counted is not None and (
                counted[1] is None or counted[1] in (_factors(o) for o in accepted)
            ):
                continue
            if (
                (claimed in accepted and counted is None)
                or not _letters(claimed) <= letters
                or not _WHOLE.search(lead)
                or _PART.search(lead)
                or _PER.match(sentence, found.end)
                or reading.negated(found.start, found.end)
                or reading.supposed(found.start)
            ):
                continue
            note = f"The solution's cost is {expected}, not {found.said(sentence)}."
            return sentence, found.said(sentence), note
    return None


def _value(match: re.Match[str]) -> float:
    value = float(match.group("value").replace(",", ""))
    return value * SCALES.get((match.group("scale") or "").lower(), 1)


def _unit(match: re.Match[str]) -> tuple[str | None, str | None]:
    """The figure's thing (its first content word) and its period, if it says one."""
    words = tokens(match.group("unit"))
    period = next((_PERIODS[w] for w in words if w in _PERIODS), None)
    thing = next((w for w in words if w not in _PERIODS and w.isalpha() and len(w) > 2), None)
    return thing, period


def given_figures(texts: Sequence[str]) -> list[tuple[float, str, str | None]]:
    """(value, thing, period) of every figure the question states."""
    found = []
    for text in texts:
        for match in _FIGURE.finditer(text):
            thing, period = _unit(match)
            if thing is not None:
                found.append((_value(match), thing, period))
    return found


def _clause(sentence: str, start: int, end: int) -> str:
    """The stretch of the sentence between the commas or semicolons around [start, end)."""
    before = max(sentence.rfind(",", 0, start), sentence.rfind(";", 0, start)) + 1
    after = [i for i in (sentence.find(",", end), sentence.find(";", end)) if i >= 0]
    return sentence[before : min(after, default=len(sentence))]


def figure_claims(
    givens: Sequence[tuple[float, str, str | None]], said: Iterable[tuple[str, Polarity]]
) -> list[Claim]:
    """Sentences that say a given figure back at another size (half or double, or more)."""
    claims = []
    for sentence, reading in said:
        for match in _FIGURE.finditer(sentence):
            clause = _clause(sentence, match.start(), match.end())
            lead = sentence[: match.start()][-len(clause) :]
            unit_end = match.start("unit") + len(match.group("unit").rstrip())
            if _DERIVED.search(clause) or not _RESTATING.search(lead) or _COMPOUND.match(
                sentence, unit_end
            ):
                continue
            thing, period = _unit(match)
            value = _value(match)
            same = [
                v for v, t, p in givens if t == thing and (p == period or not (p and period))
            ]
            if not same or any(max(v, value) / max(min(v, value), 1e-9) < RATIO for v in same):
                continue
            if reading.negated(match.start(), match.end()) or reading.supposed(match.start()):
                continue
            note = f"The question gives {', '.join(f'{v:g}' for v in same)} {thing}; " + (
                f"{match.group().strip()} is not that figure."
            )
            claims.append(Claim(quote=sentence, note=note, challenge=FIGURE_CHALLENGE))
            break
    return claims
