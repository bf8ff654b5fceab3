"""Hypothetical answers: what the candidate would do, not what they did.

A behavioral question asks for a real past example. "I would talk to the team, then I'd set up a
meeting" is a plan, and an experienced interviewer credits none of it and asks for a time it
actually happened. Reflection on a real story ("next time I would...", "in hindsight I'd have")
is not hypothetical, nor is a sentence that tells what someone did ("we missed the date, so I
would say...") or what kept happening ("he'd rename columns on Fridays"). Pure and lexical.
"""

from __future__ import annotations

import re

# past participles that are not the verb's plain form: "I'd said", "we'd already built" are had,
# not would ("I'd set up", "I'd run" stay ambiguous, read as would)
_PARTICIPLES = (
    r"been|done|gone|had|got|gotten|seen|said|told|made|written|built|taken|given|known|thought|"
    r"bought|brought|found|sent|spent|left|kept|held|shown|begun|broken|chosen|driven|forgotten|"
    r"grown|hidden|lost|meant|met|paid|sold|spoken|stood|taught|thrown|understood|won|dealt|"
    r"fought|felt|heard|led|sat|stuck|flown|drawn|fallen|[a-z]{3,}ed"
)
_WOULD = re.compile(
    # "I'd decided", "we'd been", "I'd already told": had, not would
    r"\b(i|we|you|one)\s*(would|(?:'d|\u2019d)(?!\s+(?:(?:already|just|also|since|previously|"
    rf"even|only|never|recently)\s+)?(?:{_PARTICIPLES})\b)"
    r"|will|'ll|\u2019ll|should|might)\b"
    r"(?!\s+(say|argue|add|guess|have|(like|love) to (talk|tell)|tell you about|talk about)\b)"
    r"|\b(would|will) (usually|probably|typically|normally|generally|likely)\b"
    r"|\b(the|my) (result|outcome|impact) would\b"
    # what the speaker does as a rule ("I usually ...", "Generally, we ..."); not a lesson put
    # generally ("waiting for certainty is usually the expensive option")
    r"|\b(i|we)\s+(usually|typically|generally|normally)\b"
    r"|^\W*(usually|typically|generally|normally|in general),?\s+(i|we)\b"
    r"|\b(in that situation|in a situation like)\b"
    r"|\bi (always )?(tend|try) to\b|\bmy approach (is|would be)\b",
    re.IGNORECASE,
)
_REFLECTION = re.compile(
    r"\b(next time|in hindsight|looking back|if i did it again|if i had to do it again|"
    r"would have|'d have|since then|from then on|now i|these days|nowadays|ever since)\b"
    # a sentence that opens on "now", before its clause: "Now when someone annoys me I try to"
    r"|^\W*now\b(?! that\b)",
    re.IGNORECASE,
)
# choosing the example is no plan: "the project I'd pick is ...", "I'd go with the time ..."
_CHOOSING = re.compile(
    r"\b(project|example|story|time|one)\s+(i'?d|i would|i'll|i will)\s+(pick|choose|go with)\b"
    r"|\b(i'?d|i would|i'll)\s+(pick|choose|go with)\s+(the|a|my|our)\s+"
    r"(project|example|story|time)\b",
    re.IGNORECASE,
)
# the habitual past of a story: "He'd rename columns on Fridays", "back then I'd ...", "she'd add
# features mid-sprint ..., and it got tense"
_HABITUAL = re.compile(
    # (not "every time" nor "whenever": "every time I would first gather data" is an approach)
    r"\b(on (mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays|weekends)|"
    r"back then|at the time|for months|for weeks|it (got|became|turned|was getting))\b"
    # what someone kept doing, with no "if" before it: "a dev who kept merging API changes ...
    # and we'd find out in QA" (not "if someone kept pushing broken code I'd ...")
    r"|^(?:(?!\bif\b).)*\b(?:who|he|she|they|we|i)\s+kept\s+(?:on\s+)?[a-z]+ing\b",
    re.IGNORECASE,
)
# someone did something: a story, whatever else the sentence supposes
_DID = re.compile(
    r"\b(i|we|he|she|they|my \w+|our \w+|the team)\s+(\w+ly\s+)?(was|were|did|had|went|told|"
    r"asked|built|wrote|found|decided|shipped|led|took|made|got|said|saw|ran|spent|gave|"
    r"realised|realized|noticed|[a-z]{3,}ed)\b",
    re.IGNORECASE,
)


# the speaker did something: "I booked", "I then handed", "I sat down with"; not a state or
# a wish ("I was", "I needed", "I wanted")
_I_DID = re.compile(
    r"\bi\s+(?:\w+ly\s+|then\s+|also\s+|only\s+|just\s+|first\s+|finally\s+|eventually\s+)?"
    r"(?!(?:needed|wanted|liked|loved|hated|hoped|wished|seemed|worried|preferred|supposed|"
    r"used|expected|assumed|believed|feared|guessed|learned|learnt)\b)"
    r"(did|went|told|asked|built|wrote|found|decided|shipped|led|took|made|got|ran|spent|gave|"
    r"set|sat|met|kept|began|brought|chose|drove|taught|sent|put|held|won|split|cut|[a-z]{3,}ed)\b",
    re.IGNORECASE,
)


# a story placed in its setting: "At the food bank I coordinated, ...", "When I was at a
# startup, ...", "Back in 2021 ...", "A few months ago our team ..."
_SCENE = re.compile(
    r"^\W*(?:(?:back )?when (?:i|we) (?:was|were|worked|joined|started|interned|volunteered|"
    r"ran|led|had|moved)\b"
    r"|back (?:at|in|when)\b"
    r"|(?:in|during) (?:early |late |mid-?)?(?:19|20)\d\d\b"
    r"|(?:a few|a couple of|two|three|four|several|some|many) (?:years|months|weeks) ago\b"
    r"|(?:at|in|during|while at|while working at|while i was at) (?:my|our|a|an|the|\w+'s) "
    r"(?!(?:end|meantime|hindsight|retrospect|short|total|first|last|past|beginning|same|"
    r"other|long|next|final)\b)[^,.;?!]{1,60},)",
    re.IGNORECASE,
)
_PAST = re.compile(r"\b(was|were|had)\b")


def sets_scene(sentence: str) -> bool:
    """True for a story's sentence that places it ("At the food bank I ran, two shift leads
    stopped talking"): where or when it happened, told in the past."""
    return (
        bool(_SCENE.search(sentence))
        and bool(_DID.search(sentence) or _PAST.search(sentence))
        and not is_hypothetical(sentence)
    )


def tells_own_action(sentence: str) -> bool:
    """True for a sentence that says something the speaker did ("I booked an hour with her")."""
    return bool(_I_DID.search(sentence)) and not is_hypothetical(sentence)


# a condition: "if someone on the team was difficult ..." supposes, it does not tell
_IF = re.compile(r"\b(?:if|suppose|imagine)\b[^,;:]*$", re.IGNORECASE)


def _did(sentence: str) -> bool:
    """True when the sentence tells that someone did something, outside a condition."""
    return any(not _IF.search(sentence, 0, m.start()) for m in _DID.finditer(sentence))


def is_hypothetical(sentence: str) -> bool:
    """True for a sentence that says what the speaker would do rather than what happened."""
    return bool(
        _WOULD.search(sentence)
        and not _REFLECTION.search(sentence)
        and not _did(sentence)
        and not _HABITUAL.search(sentence)
        and not _CHOOSING.search(sentence)
    )
