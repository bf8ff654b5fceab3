"""The assessment of a candidate's answer: one seam, two backends.

Offline it is the engine's deterministic reading. With an LLM configured it is one structured
call (sampling "assessment": temperature 0, a seed, bounded tokens), checked by
`engine.reading` (ids known, quotes verbatim); when that call fails or its reply is unusable,
the offline reading stands for the turn, which still succeeds.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from app.engine.assessment import Assessment
from app.engine.assessor import assess
from app.engine.director import Director
from app.engine.intent import Intent
from app.engine.reading import Reading, to_assessment
from app.engine.state import InterviewState
from app.llm.client import LLMError
from app.services.runtime import Runtime
from app.voice.scene import Utterance

log = logging.getLogger(__name__)
RECENT_LINES = 6  # the newest turns the assessor sees, for what "this" and "it" refer to
_TAG = re.compile(r"<\s*/?\s*candidate", re.IGNORECASE)


def earlier_on_question(state: InterviewState, history: Sequence[Utterance]) -> list[str]:
    """The candidate's earlier messages on the current question (history ends with this one)."""
    said = [u.content for u in history[:-1] if u.role == "candidate"]
    count = state.turns - state.current.started_turn if state.progress else 0
    return said[-count:] if count > 0 else []


async def assess_answer(
    *,
    runtime: Runtime,
    director: Director,
    state: InterviewState,
    text: str,
    history: Sequence[Utterance],
) -> Assessment:
    """What the answer covers, gets wrong and asks for: by the LLM when one is configured."""
    topic = director.topic_of(state)
    offline = assess(
        topic,
        director.spec,
        text,
        earlier=earlier_on_question(state, history),
        asked=state.current.asked if state.progress else None,
    )
    if runtime.llm is None or runtime.settings.assessor == "offline" or state.phase != "question":
        return offline
    if offline.primary is Intent.thinking:
        return offline  # thinking aloud ("hmm, give me a sec"): nothing said yet to read
    spec = director.spec
    prompts = runtime.content.prompts
    system = prompts.render_once("assessor/system.j2", (spec.id,), round=spec)
    user = prompts.render(
        "assessor/user.j2",
        topic=topic,
        sections=spec.checklist,
        recent=[
            Utterance(role=u.role, content=_TAG.sub("[candidate", u.content))
            for u in history[-RECENT_LINES - 1 : -1]
        ],
        message=_TAG.sub("[candidate", text),
    )
    messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
    try:
        reading, _ = await runtime.llm.structured(
            messages, Reading, purpose="assessment", model=runtime.settings.assess_model
        )
    except LLMError as error:
        log.warning("the LLM assessment failed (%s); the offline one stands for this turn", error)
        return offline
    return to_assessment(
        reading,
        message=text,
        key_points=tuple(p.id for p in topic.key_points),
        sections=tuple(s.id for s in spec.checklist),
        offline=offline,
    )
