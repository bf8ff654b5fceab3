"""Server-sent events framing for streamed turns."""

from __future__ import annotations

import json
from typing import Any


def event(name: str, data: Any) -> str:
    """One SSE frame: an event name and a JSON payload."""
    return f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'), default=str)}\n\n"


def wants_stream(accept: str | None) -> bool:
    """True when the client asked for text/event-stream."""
    return bool(accept) and "text/event-stream" in accept.lower()  # type: ignore[union-attr]
