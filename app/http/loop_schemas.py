"""The JSON shapes of loops, loop runs and hiring packets."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.content.models import RoundType
from app.http.schemas import TEXT, Level
from app.scoring.committee import HiringPacket
from app.scoring.models import Recommendation

# what a pasted job description or CV may hold: a long CV is ~15,000 characters
MAX_JOB_DESCRIPTION_CHARS = 20_000
MAX_CV_CHARS = 40_000  # the same limits as InterviewCreate's


class LoopSignalPublic(BaseModel):
    """A signal the hiring committee weighs."""

    id: str
    name: str
    description: str
    weight: float


class LoopRoundPublic(BaseModel):
    """One round of a loop."""

    number: int = Field(description="1 for the first round")
    title: str
    round: RoundType
    duration_minutes: int
    signals: list[str] = Field(description="ids of the signals this round informs")


class LoopLevelPublic(BaseModel):
    """A level the committee can hire at."""

    id: str
    name: str
    min_overall: float


class LoopPublic(BaseModel):
    """An onsite loop for a target role."""

    id: str
    title: str
    role: str
    description: str
    source: str
    duration_minutes: int
    rounds: list[LoopRoundPublic]
    signals: list[LoopSignalPublic]
    levels: list[LoopLevelPublic]


class RunCreate(BaseModel):
    """Start a loop run: the target level and, to tailor the rounds, a job description and CV."""

    model_config = ConfigDict(extra="forbid")

    level: Level = "mid-level"
    job_description: str | None = Field(
        default=None, max_length=MAX_JOB_DESCRIPTION_CHARS, pattern=TEXT
    )
    cv: str | None = Field(default=None, max_length=MAX_CV_CHARS, pattern=TEXT)


RoundStatus = Literal["not_started", "active", "finished", "scored"]


class RunRoundPublic(BaseModel):
    """One round of a run: not started, or its interview and, once scored, the result."""

    number: int
    title: str
    round: RoundType
    duration_minutes: int
    status: RoundStatus
    interview_id: uuid.UUID | None = None
    overall: float | None = None
    recommendation: Recommendation | None = None


class RunPublic(BaseModel):
    """A loop run and where each round stands."""

    id: uuid.UUID
    loop_id: str
    loop_title: str
    level: str
    created_at: datetime
    tailored: bool = Field(description="a job description or CV was given")
    rounds: list[RunRoundPublic]
    complete: bool = Field(description="every round is scored: the hiring packet is ready")
    next_round: int | None = Field(description="the number of the first round not yet scored")


class PacketPublic(HiringPacket):
    """The hiring packet of a complete run."""

    run_id: uuid.UUID
    level: str
