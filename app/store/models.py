"""The database tables."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, LargeBinary, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from app.store.types import JSONColumn, StatusColumn, UTCDateTime, utcnow


def _created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class User(SQLModel, table=True):
    """A candidate with an account."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    username: str = Field(max_length=64, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    created_at: datetime = _created()
    # "Keep my recordings": a spoken answer's recording is stored with its message (off by
    # default; nothing is recorded to the server otherwise)
    keep_recordings: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class InterviewStatus(StrEnum):
    """Where an interview is in its life: answered in, closed and being scored, or scored."""

    active = "active"
    finished = "finished"
    scored = "scored"


class Interview(SQLModel, table=True):
    """One mock interview: its round, questions, director state and status."""

    __table_args__ = (Index("ix_interview_owner_created", "owner_id", "created_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="user.id", ondelete="CASCADE")
    round: str = Field(max_length=32)
    status: InterviewStatus = Field(
        default=InterviewStatus.active, sa_type=StatusColumn(InterviewStatus)
    )
    question_ids: list[str] = Field(default_factory=list, sa_type=JSONColumn)
    custom_question: str | None = Field(default=None, sa_type=Text)
    role: str = Field(max_length=100)
    level: str = Field(max_length=50)
    duration_minutes: int
    state: dict[str, Any] = Field(default_factory=dict, sa_type=JSONColumn)
    awaiting_reply: bool = False
    created_at: datetime = _created()
    updated_at: datetime = _created()
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # what a job description and CV changed: {skills, projects, asked_about: {question: project}}
    tailoring: dict[str, Any] | None = Field(default=None, sa_type=JSONColumn)


class Message(SQLModel, table=True):
    """One message of a transcript; `seq` orders it within its interview."""

    __table_args__ = (
        UniqueConstraint("interview_id", "seq", name="uq_message_interview_seq"),
        UniqueConstraint("interview_id", "idempotency_key", name="uq_message_idempotency"),
    )

    id: int | None = Field(default=None, primary_key=True)
    interview_id: uuid.UUID = Field(foreign_key="interview.id", ondelete="CASCADE")
    seq: int
    role: str = Field(max_length=16)
    content: str = Field(sa_type=Text)
    created_at: datetime = _created()
    model: str | None = Field(default=None, max_length=200)
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    latency_ms: int | None = None
    # the client's Idempotency-Key of the request that stored this candidate message
    idempotency_key: str | None = Field(default=None, max_length=200)
    # "text", or "code" for a submission whose test results the interviewer reacts to
    kind: str = Field(default="text", max_length=16)
    # an interviewer message: the director's move it voices ({kind, target_id, reason});
    # None for the opening
    move: dict[str, Any] | None = Field(default=None, sa_type=JSONColumn)
    # a candidate message: what the assessor read in it (see app/engine), for the scorer
    assessment: dict[str, Any] | None = Field(default=None, sa_type=JSONColumn)
    # a spoken candidate message: its duration and the words as heard, timed (app/speech)
    speech: dict[str, Any] | None = Field(default=None, sa_type=JSONColumn)


class MessageRecording(SQLModel, table=True):
    """A spoken answer's recording, kept because its owner opted in ("Keep my recordings").
    An answer spoken in several takes has one part per take, in order; deleting the message
    (its interview, the account) deletes them."""

    __table_args__ = (UniqueConstraint("message_id", "part", name="uq_messagerecording_part"),)

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="message.id", ondelete="CASCADE")
    part: int
    # what the bytes are (sniffed from them, not taken from the client): audio/webm, audio/ogg…
    media_type: str = Field(max_length=32)
    size: int
    duration_seconds: float | None = None
    data: bytes = Field(sa_type=LargeBinary)
    created_at: datetime = _created()


class CodeRun(SQLModel, table=True):
    """Code run against a question's tests: a Run (visible tests) or a Submit (all tests)."""

    __table_args__ = (Index("ix_coderun_interview_created", "interview_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    interview_id: uuid.UUID = Field(foreign_key="interview.id", ondelete="CASCADE")
    # the candidate message of a submission; None for a Run
    message_id: int | None = Field(
        default=None, foreign_key="message.id", ondelete="CASCADE", unique=True
    )
    question_id: str = Field(max_length=80)
    kind: str = Field(max_length=16)
    code: str = Field(sa_type=Text)
    # "pending" until the sandbox reports, then the run's status
    status: str = Field(default="pending", max_length=32)
    passed: int = 0
    total: int = 0
    hidden_passed: int = 0
    hidden_total: int = 0
    report: dict[str, Any] = Field(default_factory=dict, sa_type=JSONColumn)
    created_at: datetime = _created()


class Scorecard(SQLModel, table=True):
    """The grade of one interview against its round's rubric."""

    id: int | None = Field(default=None, primary_key=True)
    interview_id: uuid.UUID = Field(foreign_key="interview.id", ondelete="CASCADE", unique=True)
    rubric_id: str = Field(max_length=64)
    rubric_version: int
    overall: float
    recommendation: str = Field(max_length=32)
    summary: str = Field(sa_type=Text)
    missed_points: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONColumn)
    hints_used: int = 0
    dropped_quotes: int = 0
    grader: str = Field(max_length=200)
    created_at: datetime = _created()


class CriterionScore(SQLModel, table=True):
    """One criterion's score on a scorecard, with rationale and verbatim evidence."""

    id: int | None = Field(default=None, primary_key=True)
    scorecard_id: int = Field(foreign_key="scorecard.id", ondelete="CASCADE", index=True)
    position: int
    criterion_id: str = Field(max_length=64)
    name: str = Field(max_length=200)
    # NULL: the interview never reached this criterion ("not assessed")
    score: int | None = None
    max_score: int
    rationale: str = Field(sa_type=Text)
    evidence: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONColumn)


class RevokedToken(SQLModel, table=True):
    """A bearer token or browser session signed out before it expired."""

    jti: str = Field(primary_key=True, max_length=64)
    expires_at: datetime = Field(sa_type=UTCDateTime)


class RateCounter(SQLModel, table=True):
    """Requests counted in a fixed window, for limits shared by every server process."""

    key: str = Field(primary_key=True, max_length=200)
    window_start: datetime = Field(sa_type=UTCDateTime)
    count: int = 0


class LoopRun(SQLModel, table=True):
    """One attempt at an onsite loop (loops/*.yaml) for a target level: its rounds are ordinary
    interviews, linked by LoopRunRound as they are started."""

    __table_args__ = (Index("ix_looprun_owner_created", "owner_id", "created_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="user.id", ondelete="CASCADE")
    loop_id: str = Field(max_length=80)
    level: str = Field(max_length=50)
    # pasted by the candidate to tailor the rounds; data, never instructions
    job_description: str | None = Field(default=None, sa_type=Text)
    cv: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = _created()


class LoopRunRound(SQLModel, table=True):
    """A started round of a loop run: which interview it is. Deleting the interview deletes
    the link, so the round can be taken again."""

    __table_args__ = (UniqueConstraint("run_id", "position", name="uq_looprunround_position"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: uuid.UUID = Field(foreign_key="looprun.id", ondelete="CASCADE")
    position: int
    interview_id: uuid.UUID = Field(foreign_key="interview.id", ondelete="CASCADE", unique=True)


class PracticeItem(SQLModel, table=True):
    """Something to practise again, scheduled with spaced repetition (FSRS): a key point an
    interview missed, or a criterion it scored low on."""

    __table_args__ = (
        UniqueConstraint("owner_id", "kind", "question_id", "ref_id", name="uq_practiceitem_ref"),
        Index("ix_practiceitem_owner_due", "owner_id", "due"),
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="user.id", ondelete="CASCADE")
    # "key_point" (question_id + its key point id) or "criterion" (round + criterion id)
    kind: str = Field(max_length=16)
    round: str = Field(max_length=32)
    # the question of a key point; "" for a criterion (so the unique constraint holds)
    question_id: str = Field(default="", max_length=80)
    ref_id: str = Field(max_length=80)
    topic: str = Field(max_length=120)
    text: str = Field(sa_type=Text)
    # the interview it came from last
    interview_id: uuid.UUID | None = Field(
        default=None, foreign_key="interview.id", ondelete="SET NULL"
    )
    # the scheduler's card (fsrs.Card.to_dict()) and its due time, denormalised to query
    card: dict[str, Any] = Field(default_factory=dict, sa_type=JSONColumn)
    due: datetime = Field(sa_type=UTCDateTime)
    reviews: int = 0
    lapses: int = 0
    created_at: datetime = _created()


class PracticeReview(SQLModel, table=True):
    """One drill of a practice item: the answer, how it went, and when the item is due next."""

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="practiceitem.id", ondelete="CASCADE", index=True)
    answer: str = Field(sa_type=Text)
    status: str = Field(max_length=16)
    rating: int
    next_due: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = _created()


class ShareLink(SQLModel, table=True):
    """A read-only link to one scorecard or hiring packet, for a mentor: only its token's hash
    is kept; it expires, can be revoked, and counts its views."""

    id: int | None = Field(default=None, primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    # "scorecard" (interview_id) or "packet" (run_id)
    kind: str = Field(max_length=16)
    interview_id: uuid.UUID | None = Field(
        default=None, foreign_key="interview.id", ondelete="CASCADE"
    )
    run_id: uuid.UUID | None = Field(default=None, foreign_key="looprun.id", ondelete="CASCADE")
    created_at: datetime = _created()
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    views: int = 0
    last_viewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
