"""Practice items, drills and mastery in their public shapes."""

from __future__ import annotations

from app.content.loader import Content
from app.http.practice_schemas import (
    RATING_NAMES,
    DrillPublic,
    DrillResultPublic,
    PracticeItemPublic,
    PracticePublic,
    TopicMasteryPublic,
)
from app.services import practice
from app.services.runtime import Runtime
from app.store.models import PracticeItem, User


def item_public(content: Content, item: PracticeItem) -> PracticeItemPublic:
    """An item with a title to recognise it by (its question, or its round and criterion)."""
    question = content.questions.get(item.question_id)
    return PracticeItemPublic(
        id=item.id or 0,
        kind=item.kind,
        round=item.round,
        topic=item.topic,
        title=question.title if question else item.topic,
        due=item.due,
        reviews=item.reviews,
        lapses=item.lapses,
    )


async def plan_public(runtime: Runtime, user: User) -> PracticePublic:
    """The caller's practice plan as of the runtime's clock."""
    items = await practice.items_of(runtime=runtime, owner=user)
    due, count = await practice.due_now(runtime=runtime, owner=user, limit=20)
    # an item whose question left the bank cannot be drilled: it is not shown
    known = [
        i for i in items if i.kind == "criterion" or i.question_id in runtime.content.questions
    ]
    ids = {i.id for i in known}
    return PracticePublic(
        due_today=[item_public(runtime.content, i) for i in due if i.id in ids],
        due_count=count,
        items=[item_public(runtime.content, i) for i in known],
        mastery=[TopicMasteryPublic(**vars(m)) for m in practice.mastery(known, runtime.clock())],
    )


def drill_public(runtime: Runtime, drill: practice.Drill) -> DrillPublic:
    """A drill as the candidate sees it before answering."""
    return DrillPublic(
        item=item_public(runtime.content, drill.item), context=drill.context, prompt=drill.prompt
    )


def result_public(runtime: Runtime, result: practice.DrillResult) -> DrillResultPublic:
    """A drill's result."""
    return DrillResultPublic(
        status=result.status,
        rating=RATING_NAMES[result.rating],
        reveal=result.reveal,
        next_due=result.next_due,
        item=item_public(runtime.content, result.item),
    )
