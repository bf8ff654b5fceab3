"""A figure that is the scene, not the result: "the dashboard showed signups up 40%", "an A/B at
10%", "an alert at 80%", "we padded estimates by 20% on the next project".

A phrase that is only a unit ("percent") credits an outcome by the figure it is in; an
experienced interviewer hears what the figure measures first. A figure a report or dashboard
showed is the reason to look (unless it is read after the work: "after the fix the dashboard
showed ..."), a figure of a threshold, rollout, budget or margin is a plan, and one said in a
lesson is reflection. "Dropped 30%" or "went from 5 percent to 0.3 percent" stay results. Pure
and lexical.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.engine.matching import phrase_tokens

# the units a figure phrase is made of: a phrase of these alone is a figure, whatever it measures
_UNITS = frozenset({"percent"})

# a figure something showed: "the dashboard showed", "the weekly report said", "according to
# the chart"
_REPORTED = re.compile(
    r"\b(?:dashboards?|reports?|charts?|graphs?|slides?|deck|headline|kpis?|status page|"
    r"metrics? page|analytics|numbers|spreadsheet)\b(?:\s+[\w'-]+){0,2}?\s+"
    r"(?:showed|shows|was showing|were showing|said|says|claimed|claims|reported|reports|"
    r"suggested|had)\b"
    r"|\baccording to (?:the|our|their|my) \w+",
    re.IGNORECASE,
)
# ... read after the work, it is the outcome: "after the fix the dashboard showed errors down 90%"
_AFTER = re.compile(
    r"\b(?:after|afterwards|once|since|following|by the end|within|a (?:week|month) later)\b",
    re.IGNORECASE,
)
# a figure set, planned or allowed for, a few words before it: "an A/B at 10%", "an alert at
# 80%", "padded estimates by like 20%", "a 5% rollout", "the target was 15%"
_PLANNED = re.compile(
    r"\b(?:alert|alerts|alarm|alarms|threshold|thresholds|limit|cap|capped|quota|budget|"
    r"sla|slo|a/b|a b test|ab test|canary|rollout|rolled it out to|roll it out to|ramp|ramped|"
    r"pilot|trial|behind a flag|feature flag|"
    r"padded|pad|padding|buffer|margin|contingency|estimates?|target|targets|goal|aim|aimed|"
    r"planned|plan was|expected|supposed|promised|forecast|projected|hoping for|hoped for)\b"
    r"(?:\W+\w+){0,5}?\W*$",
    re.IGNORECASE,
)
# ... unless the figure is what the work reached against it: "we beat the target by 20%"
_REACHED = re.compile(
    r"\b(?:beat|exceeded|hit|met|reached|surpassed|missed|overshot|came in)\b", re.IGNORECASE
)
# a lesson: what they would do or did on later work, not how this one ended
_LESSON = re.compile(
    r"\b(?:next time|in hindsight|looking back|if i (?:did|had to do) it again|"
    r"(?:on|for|in) (?:the|every|each|our) next (?:project|release|launch|one|quarter|sprint|"
    r"roadmap|plan)|lessons?|learned|learnt|taught me|takeaway)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1024)
def figure_phrase(phrase: str) -> bool:
    """True for a phrase made only of a figure's unit ("percent")."""
    words = set(phrase_tokens(phrase))
    return bool(words) and words <= _UNITS


def in_context(sentence: str, start: int) -> bool:
    """True when the figure whose unit starts at `start` is the scene, a plan or a lesson rather
    than an outcome of the work."""
    lead = sentence[:start]
    opened = max(lead.rfind(mark) for mark in ",;:") + 1
    closed = min((i for m in ",;:" if (i := sentence.find(m, start)) >= 0), default=len(sentence))
    if _LESSON.search(sentence, opened, closed):
        return True
    reported = _REPORTED.search(lead)
    if reported and not _AFTER.search(lead, 0, reported.start()):
        return True
    clause = lead[opened:]
    return _PLANNED.search(clause) is not None and not _REACHED.search(clause)
