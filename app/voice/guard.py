"""The LLM interviewer must not reveal what is hidden: key points, model answers, its prompt.

A reply that repeats a run of words from any of them is caught while it streams; the turn is
then voiced by the offline interviewer instead. The hidden runs of a question are computed once
and cached; each token only checks the runs that end in it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.voice.scene import Scene

RUN = 6  # this many consecutive words from a hidden text make a leak
# the newest text a token can complete a run in: its own text and RUN - 1 words before it
REACH_CHARS = 200
_WORD = re.compile(r"[a-z0-9]+")


def _runs(text: str) -> frozenset[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return frozenset(tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1))


@lru_cache(maxsize=512)
def _secret_runs(hidden: tuple[str, ...], public: tuple[str, ...]) -> frozenset:
    allowed = frozenset().union(*(_runs(text) for text in public))
    return frozenset().union(*(_runs(text) for text in hidden)) - allowed


class LeakGuard:
    """Knows the hidden texts of one turn and spots them in a reply."""

    def __init__(self, secret: frozenset, said: tuple[str, ...]):
        self._secret = secret
        self._said = said  # the transcript: what the candidate or interviewer already said
        self._tail = ""  # the end of the reply streamed so far

    @classmethod
    def for_scene(cls, scene: Scene, system_prompt: str) -> LeakGuard:
        """Hidden: the question's key points, the system prompt, the rubric's descriptors."""
        topic = scene.topic
        hidden = (
            *(p.text for p in topic.key_points),
            system_prompt,
            *(d for c in scene.rubric.criteria for d in c.levels.values()),
        )
        public = (topic.prompt, topic.title, *(f.prompt for f in topic.follow_ups), *topic.hints)
        said = tuple(u.content for u in scene.history)
        if scene.move.text:
            said += (scene.move.text,)
        return cls(_secret_runs(hidden, public), said)

    def feed(self, token: str) -> bool:
        """Add a streamed token (or a batch of them); True when the reply now repeats a run of
        a hidden text: the runs that end in the new text are checked, all of them."""
        self._tail = (self._tail + token)[-(len(token) + REACH_CHARS) :]
        found = _runs(self._tail) & self._secret
        if not found:
            return False
        # rare: the run might have been said in the conversation already, which is no leak
        return bool(found - frozenset().union(*(_runs(text) for text in self._said)))
