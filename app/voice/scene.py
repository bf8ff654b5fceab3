"""What a voice needs to say one move: the move, the question, the round and the transcript."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from app.content.models import ChecklistSection, RoundSpec, Rubric
from app.engine.director import Director
from app.engine.moves import Decision, Move
from app.engine.topics import Topic


@dataclass(frozen=True)
class Utterance:
    """One message of the transcript as a voice sees it."""

    role: Literal["interviewer", "candidate"]
    content: str


@dataclass(frozen=True)
class Scene:
    """Everything one interviewer message is rendered from."""

    move: Move
    spec: RoundSpec
    rubric: Rubric
    topic: Topic
    number: int
    total: int
    section: ChecklistSection | None
    role: str
    level: str
    turn: int
    history: Sequence[Utterance]

    @property
    def section_name(self) -> str:
        """The checklist section the move is about, or an empty string."""
        return self.section.name if self.section else ""


@dataclass(frozen=True)
class Token:
    """A piece of the reply as it streams."""

    text: str


@dataclass(frozen=True)
class Spoken:
    """The complete reply and, for LLM-voiced turns, what it cost."""

    text: str
    model: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    latency_ms: int | None = None


VoiceEvent = Token | Spoken


def scene_for(
    *,
    director: Director,
    rubric: Rubric,
    decision: Decision,
    history: Sequence[Utterance],
    role: str,
    level: str,
) -> Scene:
    """The scene for a director's decision: the question it concerns, its number, its section."""
    move = decision.move
    topic = next(t for t in director.topics if t.id == move.topic_id)
    section = next((s for s in director.spec.checklist if s.id == move.target_id), None)
    return Scene(
        move=move,
        spec=director.spec,
        rubric=rubric,
        topic=topic,
        number=director.topics.index(topic) + 1,
        total=len(director.topics),
        section=section,
        role=role,
        level=level,
        turn=decision.state.turns,
        history=history,
    )
