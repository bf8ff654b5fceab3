"""The line on a round's pages that says which loop run it belongs to."""

from __future__ import annotations

import uuid
from typing import Any

from app.services import loops
from app.services.runtime import Runtime
from app.store.models import User


async def loop_banner(
    *, runtime: Runtime, owner: User, interview_id: uuid.UUID
) -> dict[str, Any] | None:
    """The run an interview is a round of (for `_run_banner.html`), or None."""
    found = await loops.run_of_interview(runtime=runtime, owner=owner, interview_id=interview_id)
    if found is None or found[0].loop_id not in runtime.content.loops:
        return None
    run, position = found
    view = await loops.read_run(runtime=runtime, owner=owner, run_id=run.id)
    following = view.next_position
    return {
        "id": run.id,
        "title": view.loop.title,
        "number": position + 1,
        "complete": view.complete,
        "next_round": following + 1 if following is not None else None,
    }
