"""Who did it: a story's sentence about the candidate's own doing, or someone else's.

A behavioral question asks what the candidate did. "My teammate Priya reproduced it on a
borrowed phone" tells what Priya did; an experienced interviewer credits the candidate with none
of it and asks what their own part was. "We checked the logs" is the team's doing: it says what
happened, but not yet what the candidate did. Pure and lexical.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from app.content.models import RoundSpec
from app.engine.hits import Hit

# the speaker in the sentence: "I", "I'd", "me", "myself" (not "my": "my teammate did it")
_ME = re.compile(r"\b(i|me|myself)\b|\bi['\u2019](m|ve|d|ll)\b", re.IGNORECASE)
_ROLES = (
    r"teammates?|colleagues?|co-?workers?|managers?|boss|lead|tech lead|team lead|peers?|"
    r"seniors?|juniors?|interns?|architects?|directors?|engineers?|developers?|analysts?|"
    r"designers?|pm|product manager|mentors?|mentees?|counterparts?|contractors?|"
    r"consultants?|vendors?|ops people|sre|qa|tester|reports?|partner"
)
# someone else as the doer: "she", "he", "they", "my teammate ...", "someone else", "it was
# Priya who", "X was the one who"
_SOMEONE = re.compile(
    r"\b(he|she|they)\b(?!\s+(were|was|are|is|had been|kept|said|told|asked|wanted|needed)\b)"
    rf"|\b(my|our|a|another|the other|one of (my|our|the))\s+(\w+\s+)?({_ROLES})\b"
    r"|\b(someone|somebody) (else|from|on)\b"
    r"|\bwas the one (who|that)\b|\bit was \w+ who\b",
    re.IGNORECASE,
)


def told_by_me(sentence: str) -> bool:
    """True for a sentence in which the speaker figures ("I reproduced it", "it was up to
    me")."""
    return bool(_ME.search(sentence))


def someone_elses(sentence: str) -> bool:
    """True for a sentence that tells what someone other than the speaker or their team did
    ("My teammate Priya was the one who reproduced it", "She ruled out the SDK"), with no word
    of the speaker in it."""
    return not told_by_me(sentence) and bool(_SOMEONE.search(sentence))


def own_criteria(spec: RoundSpec) -> frozenset[str]:
    """The criteria graded on the candidate's own doing, in a round about past experience: those
    of the checklist sections a first-person account covers (the action and ownership)."""
    if not spec.past_experience:
        return frozenset()
    return frozenset(s.criterion for s in spec.checklist if s.covered_by == "own_action")


def others_in_part(hits: Sequence[Hit]) -> list[Hit]:
    """Hits in a sentence that tells someone else's doing read as said in part: what a
    colleague did is no account of the candidate's own."""
    return [replace(h, hedged=True) if someone_elses(h.evidence.unit.text) else h for h in hits]
