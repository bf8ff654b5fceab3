"""Bare replies: "yep, always" or "not really, no" to a yes/no question, read with the question.

"Is a dict lookup always constant time?" "Yep, always." says the wrong thing in two words;
read alone it is too short to say anything. A follow-up whose wrong answer is a plain yes or no
names it (`FollowUp.wrong_reply`), and a bare reply right after it (a yes or a no, softened or
with the question's own words said back: "yes, always constant") is that wrong claim, pushed back
on as an experienced interviewer would. Pure and lexical.
"""

from __future__ import annotations

import re
from typing import Literal

from app.engine.assessment import Claim
from app.engine.topics import Topic

Reply = Literal["yes", "no"]

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_YES = frozenset(
    "yes yeah yep yup yea sure course absolutely definitely correct right always certainly "
    "totally".split()
)
_NO = frozenset(
    "no nope nah not never none nothing don't didn't isn't doesn't wasn't weren't aren't "
    "won't wouldn't can't couldn't hardly".split()
)
# the words around a bare yes or no that add nothing: "honestly", "I think so", "pretty much",
# "not that I can think of", "not on my side"
_SOFT = frozenset(
    "i i'd i'm me my it it's its that that's this they so well um uh hmm honestly think guess "
    "believe mean say pretty much basically really at all of in every case time one can could "
    "remember recall know see side part fault on was were is are be do does did as far the "
    "a an far".split()
)
# not knowing is neither yes nor no: "not sure", "I don't know", "no idea", "can't remember"
_UNSURE = re.compile(
    r"\b(not|un)\s*sure\b|\b(don'?t|do not|dunno|no) (know|idea|clue)\b|\bidk\b|"
    r"\b(can'?t|cannot|don'?t) (remember|recall|say)\b|\bno idea\b",
    re.IGNORECASE,
)
# a reply this long says something of its own, whatever its words
MAX_WORDS = 12


def bare_reply(text: str, asked: str = "") -> Reply | None:
    """The yes or no a message is, and nothing else ("Yep, always." "Not really, no.", "No, I
    don't think I did"), words of the question `asked` said back aside; else None."""
    words = _WORD.findall(text.replace("\u2019", "'").lower())
    if not words or len(words) > MAX_WORDS or _UNSURE.search(text):
        return None  # "not sure", "I don't know": no answer either way
    echo = set(_WORD.findall(asked.replace("\u2019", "'").lower()))
    if any(w not in _YES | _NO | _SOFT | echo for w in words):
        return None
    if any(w in _NO for w in words):
        return "no"
    return "yes" if any(w in _YES or w in echo - _SOFT for w in words) else None


def wrong_reply(topic: Topic, asked: str | None, text: str) -> Claim | None:
    """The wrong claim a bare yes or no makes when the question on the table (`asked`) is a
    follow-up whose wrong answer it is."""
    if asked is None:
        return None
    follow_up = next((f for f in topic.follow_ups if f.prompt == asked), None)
    if follow_up is None or follow_up.wrong_reply is None:
        return None
    wrong = follow_up.wrong_reply
    if bare_reply(text, asked) != wrong.reply:
        return None
    return Claim(
        quote=text.strip().rstrip(".!"),
        note=wrong.note,
        key_point=follow_up.key_point,
        challenge=wrong.challenge,
    )
