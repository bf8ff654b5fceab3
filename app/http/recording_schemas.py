"""The JSON shape of a kept recording (see app/services/recordings.py)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class RecordingPublic(BaseModel):
    """A kept take of a spoken answer (only when its owner opted in to keeping recordings)."""

    seq: int = Field(description="the message it was the answer of")
    part: int = Field(description="the take, from 1, for an answer spoken in several takes")
    media_type: str = Field(description="what the bytes are, read from them: audio/webm…")
    size: int = Field(description="bytes")
    duration_seconds: float | None = Field(description="as the client measured it (WAV: read)")
    created_at: datetime
    url: str = Field(description="GET it to play it back (the owner only)")
