"""A complexity claim that contradicts the approach: linear time for a loop inside a loop.

"This is O(n) because we go through the array" about a double loop is a wrong claim, whether
the loops are in the code of this message, in the code the candidate wrote earlier on the same
question, or described in prose ("for each number I scan the rest"). A double loop named as
the baseline the candidate rejects ("comparing every pair is slow, so instead...") is not their
approach. Pure and lexical.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from app.engine.polarity import Polarity
from app.engine.text import sentences

NOTE = "States linear time for a loop nested inside a loop over the input: quadratic."
_NESTED_PROSE = re.compile(
    r"\b(nested (for )?loops?|double (for )?loop|two (nested |for )?loops|"
    r"loop inside (a|another|the) loop|inner loop|(every|all|each) pairs?|"
    r"for (each|every) \w+\b[^.?!]{0,60}"
    r"\b(loop|go|iterate|scan|check|look|walk|run|search|compare)\w* "
    r"((over|through|at) )?(all|every|the rest|the other|the remaining|each))",
    re.IGNORECASE,
)
# a double loop named as the slow baseline, not as the approach
_BASELINE = re.compile(
    r"\b(brute[- ]force|naive|naively|obvious|baseline|too slow|slow|instead|rather than)\b",
    re.IGNORECASE,
)
_LINEAR = re.compile(r"\bO\(\s*n\s*\)|\blinear( time)?\b", re.IGNORECASE)
_QUADRATIC = re.compile(r"O\(\s*n\s*(\^\s*2|\u00b2|\*\s*n)\s*\)|\bquadratic\b|\bn squared\b", re.I)
_LOOP_LINE = re.compile(r"^(\s*)(for|while)\b")
_CODE_LINE = re.compile(r"```|^\s*(def \w+\(|for \w.* in .*:|while .*:|return\b)", re.MULTILINE)


def nested_loop_in_code(text: str) -> bool:
    """True when a for/while line is indented under another one."""
    open_loops: list[int] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        open_loops = [i for i in open_loops if i < indent]
        if _LOOP_LINE.match(line):
            if open_loops:
                return True
            open_loops.append(indent)
    return False


def _nested_in_prose(text: str) -> bool:
    return any(_NESTED_PROSE.search(s) and not _BASELINE.search(s) for s in sentences(text))


def _has_code(text: str) -> bool:
    return bool(_CODE_LINE.search(text))


def nested_here(text: str) -> bool:
    """True when this message's approach is a double loop, in code or in prose."""
    return nested_loop_in_code(text) or _nested_in_prose(text)


def nested_earlier(text: str, earlier: Sequence[str]) -> bool:
    """True when this message brings no code and the latest code written earlier on the
    question is a double loop (what "this is O(n)" then refers to)."""
    if _has_code(text):
        return False
    latest = next((e for e in reversed(earlier) if _has_code(e)), None)
    return latest is not None and nested_loop_in_code(latest)


def linear_claim(text: str, said: Iterable[tuple[str, Polarity]]) -> str | None:
    """The first sentence that asserts linear time, unless the message also says quadratic."""
    if _QUADRATIC.search(text):
        return None
    for sentence, reading in said:
        claim = _LINEAR.search(sentence)
        if claim and not reading.negated(claim.start(), claim.end()):
            return sentence
    return None
