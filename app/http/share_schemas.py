"""The JSON shapes of share links."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.http.loop_schemas import PacketPublic
from app.http.schemas import ScorecardPublic
from app.services.shares import MAX_DAYS


class ScorecardShare(BaseModel):
    """Share one scored interview's scorecard."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["scorecard"]
    interview_id: uuid.UUID
    expires_in_days: int = Field(default=7, ge=1, le=MAX_DAYS)


class PacketShare(BaseModel):
    """Share one complete run's hiring packet."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["packet"]
    run_id: uuid.UUID
    expires_in_days: int = Field(default=7, ge=1, le=MAX_DAYS)


ShareCreate = Annotated[ScorecardShare | PacketShare, Field(discriminator="kind")]


class SharePublic(BaseModel):
    """A share link (its URL only when just created: only a hash of its token is kept)."""

    id: int
    kind: Literal["scorecard", "packet"]
    interview_id: uuid.UUID | None
    run_id: uuid.UUID | None
    created_at: datetime
    expires_at: datetime
    revoked: bool
    active: bool
    views: int
    last_viewed_at: datetime | None
    url: str | None = None


class SharedPublic(BaseModel):
    """What a share link shows, to anyone holding it: one scorecard or one hiring packet."""

    kind: Literal["scorecard", "packet"]
    round: str | None = None
    scorecard: ScorecardPublic | None = None
    packet: PacketPublic | None = None
