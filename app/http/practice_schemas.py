"""The JSON shapes of the practice plan."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.http.schemas import TEXT
from app.services.practice import MAX_ANSWER_CHARS

RATING_NAMES = {1: "again", 2: "hard", 3: "good", 4: "easy"}


class PracticeItemPublic(BaseModel):
    """A practice item, without what it asks for (the drill reveals that afterwards)."""

    id: int
    kind: Literal["key_point", "criterion"]
    round: str
    topic: str
    title: str
    due: datetime
    reviews: int
    lapses: int


class TopicMasteryPublic(BaseModel):
    """Mastery of one topic: the mean recall probability of its items now (0-1)."""

    topic: str
    items: int
    due: int
    mastery: float


class PracticePublic(BaseModel):
    """The practice plan: what is due today, everything scheduled, and mastery per topic."""

    due_today: list[PracticeItemPublic]
    due_count: int
    items: list[PracticeItemPublic]
    mastery: list[TopicMasteryPublic]


class DrillPublic(BaseModel):
    """One short drill: a question, or one key point to explain."""

    item: PracticeItemPublic
    context: str
    prompt: str


class DrillAnswer(BaseModel):
    """The answer to a drill."""

    model_config = ConfigDict(extra="forbid")

    answer: str = Field(max_length=MAX_ANSWER_CHARS, pattern=TEXT)


class DrillResultPublic(BaseModel):
    """How the drill went, what a strong answer covers, and when the item is due next."""

    status: Literal["covered", "partial", "wrong", "not_addressed"]
    rating: Literal["again", "hard", "good", "easy"]
    reveal: str
    next_due: datetime
    item: PracticeItemPublic
