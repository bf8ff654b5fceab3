"""Concessions: a reply that opens by granting the interviewer's push-back.

"ok fair, ...", "Hmm, you're right, ...", "oh right, it may have gone through", "let me think
again": said right after a challenge, the candidate gives the claim up before saying what they
would do instead. Whatever follows is their answer to the challenge, even when it is about
another part of the question than the one the claim was about. "Fair enough, but I'd still
retry" grants nothing: a "but" after the cue keeps the claim. Pure and lexical.
"""

from __future__ import annotations

import re

# what a reply may open with before its concession: "Hmm, ok, ...", "oh yeah, ..."
_FILLERS = re.compile(
    r"(?:(?:hmm+|um+|uh+|oh+|ah+|ok(?:ay)?|well|so|yeah|yes|yep|right|mm+|huh|oops|actually)\b[,.!\s]*)*",
    re.IGNORECASE,
)
_CONCESSION = re.compile(
    r"(?:fair(?: point| enough)?|good (?:point|catch|call)|(?:that'?s |that is )?true|"
    r"(?:you'?re|you are) (?:right|correct)|i stand corrected|"
    r"my (?:bad|mistake)|i was wrong|(?:that|this) (?:was|is) wrong|i got (?:that|it) wrong|"
    r"i take (?:that|it) back|scratch that|"
    r"(?:let me )?(?:think|thinking) (?:about (?:it|that) )?(?:again|more)|"
    r"on second thoughts?|now that i think about it|i see(?: what you mean)?)"
    # ... as words of their own: "True negatives are ..." grants nothing
    r"(?=\s*(?:[,.!;:\u2014-]|$|(?:so|then|and|i|we|that|it|you)\b))",
    re.IGNORECASE,
)
# "oh right," / "ah ok," opens a concession only as the whole opening: "right, so ..." alone is
# a way of starting to talk
_REALISED = re.compile(r"(?:oh+|ah+)[,\s]+(?:right|i see|ok(?:ay)?|yes|yeah)\b", re.IGNORECASE)
_KEPT = re.compile(r"[,\s]*but\b", re.IGNORECASE)
# the opening looked at: a concession comes first, within a few words
OPENING_CHARS = 60


def concedes(text: str) -> bool:
    """True when the message opens by granting the push-back before it: "ok fair, ...",
    "hmm, you're right", "oh right, ...", "let me think again"; not "fair, but ...". """
    opening = text.strip().lstrip("\"'(-")[:OPENING_CHARS]
    realised = _REALISED.match(opening)
    if realised is not None:
        return not _KEPT.match(opening, realised.end())
    fillers = _FILLERS.match(opening)
    start = fillers.end() if fillers else 0
    found = _CONCESSION.match(opening, start)
    return found is not None and not _KEPT.match(opening, found.end())
