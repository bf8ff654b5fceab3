"""Instructions aimed at the grader inside an answer are set aside, never obeyed or scored."""

from __future__ import annotations

import re

from app.engine.text import sentences

_INJECTION = re.compile(
    "|".join(
        [
            r"\bignore (all |any |the |your )*(previous |prior |above )*"
            r"(instructions?|rubric|rules|prompt|criteria)",
            r"\b(give|award|grade|score|rate|mark) (me|this|this answer|the candidate|it)\b.{0,40}"
            r"\b(full|max(imum)?|perfect|top|highest|4|10|100)\b",
            r"\b(full|maximum|perfect|top) (marks|score|points)\b",
            r"\b[0-9]+ ?/ ?[0-9]+ on (every|all|each)\b",
            r"\bstrong(ly)? hire\b",
            r"\b(system|developer) prompt\b",
            r"\byou are (now|no longer)\b",
            r"\b(reveal|print|show|repeat) (your|the) (instructions|prompt|key points|rubric)",
            r"\bdisregard\b.{0,40}\b(instructions?|rubric|rules)\b",
            r"</?(candidate|interviewer|system)\b",
        ]
    ),
    re.IGNORECASE,
)


def split_injections(text: str) -> tuple[str, list[str]]:
    """The text without instruction-like sentences, and the sentences removed."""
    kept: list[str] = []
    flagged: list[str] = []
    for sentence in sentences(text):
        (flagged if _INJECTION.search(sentence) else kept).append(sentence)
    return " ".join(kept), flagged
