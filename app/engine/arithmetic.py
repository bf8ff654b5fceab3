"""A candidate's own back-of-envelope arithmetic: an amount processed at a rate, said to take a
time that is off by more than `OFF_BY` ("40 million tokens, which on 8 GPUs at 2,000 tokens per
second is about 20 seconds": about 42 minutes). Only that chain, within one sentence, is read;
"on N GPUs at R per second" may mean R each or R in all, and the time is wrong only when it is
wrong both ways. Pure and lexical.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.engine.assessment import Claim
from app.engine.figures import SCALES
from app.engine.matching import tokens
from app.engine.quotes import QUOTE_CHARS

ARITHMETIC_CHALLENGE = (
    "Let's redo that calculation step by step: what is the total rate, and how long does the "
    "whole amount take at that rate?"
)
# a time this many times too small or too large is a slip of units, not a rounding
OFF_BY = 10.0

_SECONDS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hr": 3600,
    "hour": 3600,
    "day": 86400,
}
_NUMBER = (
    r"(?P<{0}>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)\s*"
    r"(?P<{0}_scale>k|m|bn|b|thousand|million|billion|trillion)?\b"
)
_ABOUT = r"(?:about|roughly|around|only|just|under|~)?\s*"
_AMOUNT = re.compile(_NUMBER.format("value") + r"\s*(?P<noun>[a-z]+)", re.IGNORECASE)
_RATE = re.compile(
    r"\bat\s+" + _ABOUT + _NUMBER.format("rate") + r"\s*(?P<noun>[a-z]+)?\s*"
    r"(?:per|a|/)\s*(?P<per>second|sec|s|minute|min|hour|hr|day)\b",
    re.IGNORECASE,
)
_COUNT = re.compile(
    r"\b(?:on|across|with|using)\s+"
    + _NUMBER.format("count")
    + r"\s+(?:gpus?|machines?|servers?|workers?|nodes?|replicas?|cards?|instances?)\b",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"\b(?:is|takes?|that'?s|in|=)\s+"
    + _ABOUT
    + _NUMBER.format("time")
    + r"\s*(?P<unit>seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h|days?)\b",
    re.IGNORECASE,
)


def _value(match: re.Match[str], name: str) -> float:
    """The number a match names, scaled ("40 million" is 4e7, "80k" 8e4)."""
    number = float(match.group(name).replace(",", ""))
    scale = (match.group(f"{name}_scale") or "").lower()
    return number * SCALES.get(scale, 1.0)


def _unit_seconds(unit: str) -> float:
    """Seconds in a time unit as said ("minutes", "hrs", "s")."""
    word = unit.lower().rstrip("s") or "s"
    return float(_SECONDS.get(word, _SECONDS.get(word[:3], 1)))


def _same_thing(amount: str, rate: str | None) -> bool:
    """True when the rate counts what the amount counts ("tokens" and "tokens"), or says no
    noun of its own ("at 2,000 a second")."""
    return rate is None or tokens(amount) == tokens(rate)


def _slip(sentence: str) -> tuple[str, int] | None:
    """The note for a time said of an amount at a rate that is off by OFF_BY both ways, with
    where the clause saying the amount starts."""
    rate = _RATE.search(sentence)
    if rate is None:
        return None
    said = _TIME.search(sentence, rate.end())
    amounts = [
        a
        for a in _AMOUNT.finditer(sentence, 0, rate.start())
        if _same_thing(a.group("noun"), rate.group("noun"))
    ]
    if said is None or not amounts:
        return None
    amount = _value(amounts[-1], "value")
    per = _unit_seconds(rate.group("per"))
    each = _value(rate, "rate") / per
    count = _COUNT.search(sentence, amounts[-1].end(), said.start())
    rates = [each, each * _value(count, "count")] if count else [each]
    stated = _value(said, "time") * _unit_seconds(said.group("unit"))
    if not stated or not each:
        return None
    taken = [amount / r for r in rates]
    if all(max(stated / t, t / stated) > OFF_BY for t in taken):
        best = min(taken, key=lambda t: max(stated / t, t / stated))
        told = sentence[said.start("time") : said.end()]
        start = max(sentence.rfind(mark, 0, amounts[-1].start()) for mark in ",;:") + 1
        return f"At that rate the amount takes about {_spoken(best)}, not {told}.", start
    return None


def _spoken(seconds: float) -> str:
    """A duration in its largest whole unit: "42 minutes", "2.8 hours"."""
    for name, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= 2 * size:
            return f"{_rounded(seconds / size)} {name}"
    return f"{_rounded(seconds)} seconds"


def _rounded(value: float) -> str:
    """A figure as said: whole from ten up, one decimal below."""
    return f"{round(value):,}" if value >= 10 else f"{value:.1f}"


def arithmetic_claims(said: Iterable[str]) -> list[Claim]:
    """Wrong claims for the sentences whose amount-at-a-rate arithmetic is off by OFF_BY."""
    claims = []
    for sentence in said:
        slip = _slip(sentence)
        if slip is not None:
            note, start = slip
            quote = sentence[start:].strip()[:QUOTE_CHARS]
            claims.append(Claim(quote=quote, note=note, challenge=ARITHMETIC_CHALLENGE))
    return claims
