"""The director's decisions: what the interviewer does next."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from app.engine.state import InterviewState


class MoveKind(StrEnum):
    """Every move an interviewer can make."""

    open = "open"
    follow_up = "follow_up"
    probe = "probe"
    hint = "hint"
    no_more_hints = "no_more_hints"
    clarify = "clarify"
    encourage = "encourage"
    next_question = "next_question"
    wrap_up = "wrap_up"
    close = "close"


class Move(BaseModel):
    """One decision, with just what the voice needs to say it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: MoveKind
    topic_id: str
    target_id: str | None = None
    text: str | None = None
    hint_level: int | None = None
    reason: str | None = None
    minutes_left: int | None = None
    acknowledged: bool = False


class Decision(BaseModel):
    """A move and the state it leaves the interview in."""

    model_config = ConfigDict(frozen=True)

    move: Move
    state: InterviewState
