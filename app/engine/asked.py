"""What the candidate's questions are about: a stated assumption, the job, or nothing at all.

A clarifying question is answered from the question's stated assumptions; a question for the
interviewer about the work ("how does your team handle on-call?") is answered honestly; a
question that touches neither the problem nor the job ("did you watch the match?") is small
talk, and the interviewer brings the conversation back. Pure and lexical.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.engine.figures import given_figures
from app.engine.intent import Intent, only_asks, only_steers, sentence_intent
from app.engine.matching import find_phrase, phrase_tokens
from app.engine.text import Unit
from app.engine.topics import Topic

ASKING = frozenset({Intent.clarify, Intent.question})
# a question about how big the problem is
_SIZING = re.compile(
    r"\b(volume|traffic|load|scale|how (many|much|big|large)|qps|rps|throughput|size|sizing|"
    r"numbers?|rate)\b",
    re.IGNORECASE,
)
# what a candidate may fairly ask an interviewer about: the job, the people, the process
_ABOUT_THE_JOB = re.compile(
    r"\b(team|teams|company|role|position|job|work|working|day[- ]to[- ]day|typical day|"
    r"on[- ]?call|interview|interviews|interviewer|rounds?|onsites?|"
    r"hiring|process|next steps?|feedback|"
    r"manager|managers|culture|stack|product|products|engineers?|engineering|onboarding|"
    r"remote|office|salary|compensation|growth|career|projects?|challenges?|problems|"
    r"expect|expectations|level|practice|score|scorecard|how (did|am|was) i|i did)\b",
    re.IGNORECASE,
)


def asking_units(found: Iterable[Unit]) -> list[Unit]:
    """The units that ask: clarifying questions and questions for the interviewer, or every
    sentence of a message that only asks about the problem ("What fraction of mail is spam?")."""
    prose = [u for u in found if u.kind == "prose"]
    marked = [u for u in prose if sentence_intent(u.text) in ASKING]
    texts = [u.text for u in prose]
    if not marked and (only_asks(texts) or only_steers(texts)):
        return prose
    return marked


def assumptions_asked(topic: Topic, asking: Iterable[Unit]) -> tuple[int, ...]:
    """The question's stated assumptions that the message's questions mention."""
    asked = list(asking)
    found = []
    for index, assumption in enumerate(topic.assumptions):
        if any(_asks_about(u.tokens, about) for u in asked for about in assumption.about):
            found.append(index)
    sizing = [u for u in asked if _SIZING.search(u.text)]
    if not found and sizing:
        # "what request volume should I design for?": the assumption that gives the figures
        # of the thing asked about, whatever words its `about` uses
        words = {t for u in sizing for t in u.tokens}
        sized = [(i, given_figures([a.answer])) for i, a in enumerate(topic.assumptions)]
        sized = [(i, figures) for i, figures in sized if figures]
        found = [i for i, figures in sized if any(t in words for _, t, _ in figures)]
        if not found and len(sized) == 1:  # the one answer that gives sizes at all
            found = [sized[0][0]]
    return tuple(found)


# words that open a question: a phrase that starts with one asks it in that order
_QUESTION_WORDS = frozenset({"how", "what", "which", "when", "where", "who", "why"})


def _asks_about(said: list[str], about: str) -> bool:
    """True when the question's words name an assumption's subject. A subject that is itself a
    question ("how quickly") is asked in its order: "quick question: how many cards?" asks
    nothing about speed."""
    wanted = phrase_tokens(about)
    first = wanted[0] if wanted else ""
    if first not in _QUESTION_WORDS or len(wanted) == 1:
        return find_phrase(said, about) is not None
    # the question word goes before some of its subject's words ("which side ... in a row?"
    # may name the row first), not after all of them
    start = 0
    while (found := find_phrase(said[start:], about)) is not None:
        window = said[start + found.start : start + found.end]
        if first in window and set(window[window.index(first) + 1 :]) & set(wanted):
            return True
        start += found.start + 1
    return False


def small_talk(topic: Topic, asking: Iterable[Unit]) -> bool:
    """True when the questions for the interviewer touch neither the problem nor the job."""
    questions = [u for u in asking if sentence_intent(u.text) is Intent.question]
    return bool(questions) and not any(
        _ABOUT_THE_JOB.search(u.text) or set(u.tokens) & topic.vocabulary for u in questions
    )


def about_the_job(asking: Iterable[Unit]) -> bool:
    """True when a question for the interviewer is about the work, the team or the process."""
    return any(
        sentence_intent(u.text) is Intent.question and _ABOUT_THE_JOB.search(u.text)
        for u in asking
    )
