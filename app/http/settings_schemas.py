"""The JSON shapes of an account's settings."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class AccountSettingsPublic(BaseModel):
    """The caller's settings, and what they keep."""

    keep_recordings: bool = Field(
        description="Keep my recordings: a spoken answer's recording is stored with its "
        "message, for you alone to play back (off by default: audio is then never stored)"
    )
    recordings_kept: int = Field(description="recordings stored now (read-only)")
    recording_bytes: int = Field(description="their total size in bytes (read-only)")


class AccountSettingsUpdate(BaseModel):
    """Settings to change; those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    keep_recordings: bool | None = Field(
        default=None,
        description="true: keep the recordings of answers spoken from now on; false: keep no "
        "new ones (those kept stay until deleted: DELETE /api/v1/users/me/recordings)",
    )
