"""The interface every voice implements."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from app.voice.scene import Scene, VoiceEvent


class Voice(Protocol):
    """Renders a director's move as the interviewer's words."""

    def speak(self, scene: Scene) -> AsyncIterator[VoiceEvent]:
        """Stream the reply: Token events, then exactly one Spoken event."""
        ...
