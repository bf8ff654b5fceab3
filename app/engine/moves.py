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
    answer_question = "answer_question"
    challenge = "challenge"
    deepen = "deepen"
    redirect = "redirect"
    encourage = "encourage"
    next_question = "next_question"
    code_result = "code_result"
    wrap_up = "wrap_up"
    close = "close"


class CodeOutcome(BaseModel):
    """What a submission's tests showed, as much as the interviewer may say about it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: str
    passed: int
    total: int
    hidden_passed: int
    hidden_total: int
    # the first failing visible test (hidden tests are never described)
    failing_input: str | None = None
    expected: str | None = None
    actual: str | None = None
    # the last line of the first error (exception, time or memory limit)
    error: str | None = None


class Move(BaseModel):
    """One decision, with just what the voice needs to say it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: MoveKind
    topic_id: str
    target_id: str | None = None
    text: str | None = None
    hint_level: int | None = None
    # why the interviewer does this, for people ("evaluation not yet discussed")
    reason: str = ""
    # the same as a code the voices branch on ("skipped", "time", "off_topic", ...)
    cause: str | None = None
    minutes_left: int | None = None
    acknowledged: bool = False
    # what the acknowledgement refers to: the candidate's words for a key point, or the name
    # of the checklist section just covered (ack_section)
    ack: str | None = None
    ack_section: bool = False
    # a list acknowledged by its ends: ack is its first item, ack_last its last, ack_between
    # says there were items between them
    ack_last: str | None = None
    ack_between: bool = False
    # the candidate's words a challenge is about
    said: str | None = None
    # set when the move answers a code submission
    code: CodeOutcome | None = None


class Decision(BaseModel):
    """A move and the state it leaves the interview in."""

    model_config = ConfigDict(frozen=True)

    move: Move
    state: InterviewState
