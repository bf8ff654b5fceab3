"""Instructions aimed at the grader inside an answer are set aside, never obeyed or scored."""

from __future__ import annotations

from app.engine.intent import instructs
from app.engine.text import sentences


def injections(text: str) -> list[str]:
    """The sentences of the text that try to instruct the interviewer or the grader."""
    return [sentence for sentence in sentences(text) if instructs(sentence)]
