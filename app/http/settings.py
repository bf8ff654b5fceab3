"""An account's settings as HTTP."""

from __future__ import annotations

from app.http.settings_schemas import AccountSettingsPublic
from app.services import recordings, users
from app.services.runtime import Runtime
from app.store.models import User


async def settings_public(runtime: Runtime, user: User) -> AccountSettingsPublic:
    """The settings as stored now, with how many recordings are kept."""
    chosen = await users.settings_of(runtime=runtime, user=user)
    kept = await recordings.summary(runtime=runtime, owner=user)
    return AccountSettingsPublic(
        keep_recordings=chosen.keep_recordings,
        recordings_kept=kept.count,
        recording_bytes=kept.size,
    )
