"""A change said one way with figures that go the other: "the error rate dropped from 2% to 5%",
"we cut p99 from 120 ms to 480 ms". An experienced interviewer does not note the number and move
on: from 2% to 5% is a rise, and they ask which way it went. Only a verb of direction followed,
in the same clause, by "from X to Y" in one unit is read. Pure and lexical.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.engine.assessment import Claim
from app.engine.context_figures import in_context
from app.engine.figures import SCALES
from app.engine.quotes import QUOTE_CHARS

_DOWN = (
    r"dropped|drop|dropping|fell|fall|falling|decreased|decrease|reduced|reduce|reducing|cut|"
    r"cutting|lowered|lower|shrank|shrunk|shrink|declined|slashed|trimmed|halved|"
    r"(?:went|came|brought|got|go|come|bring|get)(?: \w+)? down"
)
_UP = (
    r"rose|rise|rising|increased|increase|increasing|grew|grow|growing|raised|raise|boosted|"
    r"jumped|climbed|doubled|tripled|(?:went|shot|got|go|bring|brought)(?: \w+)? up"
)
_UNITS = (
    r"%|percent|ms|milliseconds?|s|secs?|seconds?|minutes?|mins?|hours?|hrs?|days?|k|m|"
    r"million|thousand"
)
_ABOUT = r"(?:about |around |roughly |~)?"


def _figure(name: str) -> str:
    """A number and its unit, as named groups: "2%", "120 ms", "40" ("a day" is read apart)."""
    return rf"{_ABOUT}(?P<{name}>\d+(?:[.,]\d+)?)\s*(?P<u{name}>{_UNITS})?(?!\w)"


_CHANGE = re.compile(
    rf"\b(?P<verb>{_DOWN}|{_UP})\b[^.;:!?]{{0,60}}?\bfrom\s+{_figure('a')}"
    rf"(?:\s+(?:a|per) \w+)?\s+(?:(?P<dir>down|up)\s+)?to\s+{_figure('b')}(?:\s+(?:a|per) \w+)?",
    re.IGNORECASE,
)
# a verb that says the figures moved but not which way: the last verb before "from" is the one
# that tells the change ("doubled payments went from 5% to 0.3%": "doubled" names the payments)
_MOVED = re.compile(
    rf"\b(?:(?P<way>{_DOWN}|{_UP})|went|moved|changed|shifted|came|ended up|goes|go)\b",
    re.IGNORECASE,
)
_SECONDS = {
    "ms": 0.001,
    "millisecond": 0.001,
    "s": 1,
    "sec": 1,
    "second": 1,
    "minute": 60,
    "min": 60,
    "hour": 3600,
    "hr": 3600,
    "day": 86400,
}


def _amount(number: str, unit: str | None) -> tuple[float, str] | None:
    """A figure in a common unit, with that unit's kind ("time", "%", or "" for a count)."""
    value = float(number.replace(",", ""))
    word = (unit or "").lower()
    if word in ("%", "percent"):
        return value, "%"
    if word in ("k", "m", "million", "thousand"):
        return value * SCALES.get(word, 1.0), ""
    if word:
        singular = word if word in _SECONDS else word.rstrip("s")
        if singular not in _SECONDS:
            return None
        return value * _SECONDS[singular], "time"
    return value, ""


def _verb(found: re.Match[str]) -> str | None:
    """The verb that tells the change: the last verb of movement before "from", or None when
    that verb does not say which way ("went from ... to")."""
    span = found.string[found.start("verb") : found.start("a")]
    moved = list(_MOVED.finditer(span))
    return moved[-1].group("way") if moved else None


def _contradicts(found: re.Match[str]) -> str | None:
    """"a rise" or "a fall" when the figures go against the verb (or "down to"/"up to")."""
    verb = _verb(found)
    said = (found.group("dir") or "").lower()
    if verb is None and not said:
        return None
    before = _amount(found.group("a"), found.group("ua"))
    after = _amount(found.group("b"), found.group("ub") or found.group("ua"))
    if before is None or after is None or before[0] == after[0]:
        return None
    if before[1] != after[1] and found.group("ub") and found.group("ua"):
        return None  # "from 2 seconds to 300 ms" is read in one unit; other pairs are not
    down = said == "down" or (not said and re.fullmatch(_DOWN, verb or "", re.I))
    if down and after[0] > before[0]:
        return "a rise"
    if not down and after[0] < before[0]:
        return "a fall"
    return None


# a figure compared with what it was: "reviewed the same day instead of after 3 days", "from
# 40 a run to zero", "down to 2 minutes from 6"; "3 engineers instead of 5" is a constraint
_NUMBER = (
    r"(?:\d+(?:[.,]\d+)?|zero|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|"
    r"forty|fifty|hundred|half|twice)"
)
_MEASURE = (
    rf"{_NUMBER}\s*(?:%|percent|ms|milliseconds?|s|secs?|seconds?|minutes?|mins?|hours?|hrs?|"
    r"days?|weeks?|months?|x|times|dollars|euros)\b"
)
_VERSUS = r"(?:instead of|rather than|compared to|compared with|down from|up from)"
_COMPARED = re.compile(
    rf"\b{_VERSUS}\b(?:\W+\w+){{0,4}}?\W+{_MEASURE}"
    rf"|\b{_MEASURE}(?:\W+\w+){{0,4}}?\W+{_VERSUS}\b"
    rf"|\bfrom\s+{_ABOUT}{_NUMBER}\b[^.;:!?]{{0,30}}?\bto\s+{_ABOUT}{_NUMBER}\b",
    re.IGNORECASE,
)


# what they had to work with, a few words before: "we had 3 engineers instead of 5"
_HAD = re.compile(r"\b(?:had|have|has|got|given)\b(?:\W+\w+){0,4}\W*$", re.IGNORECASE)


def compares_figures(sentence: str) -> bool:
    """True for a sentence that measures a change: a figure set against what it was, not what
    they had to work with, nor a figure that is the scene, a plan or a lesson (see
    `context_figures.in_context`)."""
    found = _COMPARED.search(sentence)
    return (
        found is not None
        and not _HAD.search(sentence, 0, found.start())
        and not in_context(sentence, found.start())
    )


# the joining word a clause opens with: "and the rate dropped ..." is quoted from "the rate"
_LEAD = re.compile(r"^\s*(?:(?:and|but|so|then|which)\b\s*)*", re.IGNORECASE)


def trend_claims(said: Iterable[str]) -> list[Claim]:
    """Wrong claims for sentences whose figures go against the direction they are said to go."""
    claims = []
    for sentence in said:
        for found in _CHANGE.finditer(sentence):
            way = _contradicts(found)
            if way is None:
                continue
            figures = "from " + sentence[found.start("a") : found.end()].strip()
            # the clause that says it: "the timeout rate dropped from 2% to 6%", not the fix
            # said before it
            clause = max(sentence.rfind(mark, 0, found.start()) for mark in ",;:") + 1
            clause = clause if found.start() - clause <= 60 else 0
            verb = (_verb(found) or found.group("verb")).lower()
            other = "a fall" if way == "a rise" else "a rise"
            claims.append(
                Claim(
                    quote=_LEAD.sub("", sentence[clause:]).rstrip(" .!")[:QUOTE_CHARS],
                    note=f"'{verb}' {figures} says the opposite of the figures: that is {way}.",
                    challenge=f"{figures[0].upper()}{figures[1:]} is {way}, not {other}. Which "
                    "way did it actually go, and what were the numbers?",
                )
            )
            break
    return claims
