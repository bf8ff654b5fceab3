"""The LLM interviewer must not reveal what is hidden: key points, model answers, its prompt.

A reply that repeats a run of words from any of them is caught while it streams; the turn is
then voiced by the offline interviewer instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.voice.scene import Scene

RUN = 6  # this many consecutive words from a hidden text make a leak
_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _runs(text: str) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


class LeakGuard:
    """Knows the hidden texts of one turn and spots them in a reply."""

    def __init__(self, hidden: Iterable[str], public: Iterable[str]):
        allowed = set().union(*(_runs(text) for text in public))
        self._secret = set().union(*(_runs(text) for text in hidden)) - allowed

    @classmethod
    def for_scene(cls, scene: Scene, system_prompt: str) -> LeakGuard:
        """Hidden: the question's key points, the model answer, the system prompt, the rubric."""
        topic = scene.topic
        hidden = [p.text for p in topic.key_points] + [system_prompt]
        hidden += [d for c in scene.rubric.criteria for d in c.levels.values()]
        public = [
            topic.prompt,
            topic.title,
            *(f.prompt for f in topic.follow_ups),
            *topic.hints,
            *(u.content for u in scene.history),
        ]
        if scene.move.text:
            public.append(scene.move.text)
        return cls(hidden, public)

    def leaks(self, reply: str) -> bool:
        """True when the reply repeats a run of words from a hidden text."""
        return bool(_runs(reply) & self._secret)
