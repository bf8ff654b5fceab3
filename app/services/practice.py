"""The practice plan: missed key points and weak criteria come back as short drills, scheduled
with spaced repetition (FSRS, the `fsrs` package), and the plan adapts to each drill's result."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import mean
from typing import TYPE_CHECKING, Any, cast

from fsrs import Card, Rating, Scheduler
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.content.loader import Content
from app.content.models import ChecklistSection, Question, RoundType
from app.engine.assessment import Status
from app.engine.assessor import assess
from app.engine.topics import bank_topic, custom_topic
from app.scoring.models import ScoreResult
from app.services.errors import Invalid, NotFound
from app.services.runtime import Runtime
from app.store.models import Interview, PracticeItem, PracticeReview, User

if TYPE_CHECKING:
    from fsrs.card import CardDict

# whole days: an interview's weak spots are not drilled minutes later, as flashcards would be
SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
# a missed point first comes back the next day
FIRST_DUE = timedelta(days=1)
WEAK_SCORE = 2
MAX_ANSWER_CHARS = 5_000
RATINGS: dict[Status, Rating] = {
    "covered": Rating.Good,
    "partial": Rating.Hard,
    "wrong": Rating.Again,
    "not_addressed": Rating.Again,
}


@dataclass(frozen=True)
class Drill:
    """What the candidate is asked for one practice item."""

    item: PracticeItem
    title: str
    context: str
    prompt: str


@dataclass(frozen=True)
class DrillResult:
    """How a drill went and when the item comes back."""

    item: PracticeItem
    status: Status
    rating: int
    next_due: datetime
    # shown after the drill: what a strong answer covers
    reveal: str


@dataclass(frozen=True)
class TopicMastery:
    """How well the items of one topic are held: FSRS recall probability now, 0 to 1."""

    topic: str
    items: int
    due: int
    mastery: float


def _card(item: PracticeItem) -> Card:
    return Card.from_dict(cast("CardDict", item.card))


def _new_card(due: datetime) -> dict[str, Any]:
    """A new card, stored. The item's row is its identity: fsrs's default card id is the clock
    in milliseconds, made unique by sleeping 1 ms per card, on the event loop."""
    return _stored(Card(card_id=0, due=due))


def _stored(card: Card) -> dict[str, Any]:
    return dict(card.to_dict())


def _section(content: Content, round_type: str, criterion: str) -> ChecklistSection | None:
    spec = content.rounds[RoundType(round_type)]
    return next((s for s in spec.checklist if s.criterion == criterion), None)


def _wanted(
    content: Content, interview: Interview, result: ScoreResult, due: datetime
) -> list[PracticeItem]:
    """The practice items a scorecard calls for (not yet stored), due at `due`."""
    items = []
    for missed in result.missed_points:
        question = content.questions.get(missed.question_id)
        if question is None:  # the candidate's own question has no key points to drill
            continue
        items.append(
            PracticeItem(
                owner_id=interview.owner_id,
                kind="key_point",
                round=question.round.value,
                question_id=question.id,
                ref_id=missed.key_point_id,
                topic=question.tags[0].replace("-", " "),
                text=missed.text,
                interview_id=interview.id,
                due=due,
                card=_new_card(due),
            )
        )
    spec = content.rounds[RoundType(interview.round)]
    for criterion in result.criteria:
        section = _section(content, interview.round, criterion.criterion_id)
        if criterion.score is None or criterion.score > WEAK_SCORE or section is None:
            continue
        items.append(
            PracticeItem(
                owner_id=interview.owner_id,
                kind="criterion",
                round=interview.round,
                ref_id=criterion.criterion_id,
                topic=f"{spec.title}: {criterion.name}",
                text=f"{criterion.name}: {section.name}",
                interview_id=interview.id,
                due=due,
                card=_new_card(due),
            )
        )
    return items


async def add_from_scorecard(
    *,
    session: AsyncSession,
    content: Content,
    interview: Interview,
    result: ScoreResult,
    now: datetime,
) -> None:
    """Schedule what a new scorecard missed, in the caller's transaction: new items are due a
    day later; an item missed again comes back no later than that."""
    due = now + FIRST_DUE
    wanted = _wanted(content, interview, result, due)
    if not wanted:
        return
    stored = (
        await session.exec(
            select(PracticeItem).where(
                PracticeItem.owner_id == interview.owner_id,
                col(PracticeItem.ref_id).in_([w.ref_id for w in wanted]),
            )
        )
    ).all()
    known = {(i.kind, i.question_id, i.ref_id): i for i in stored}
    for item in wanted:
        existing = known.get((item.kind, item.question_id, item.ref_id))
        if existing is None:
            session.add(item)
            known[(item.kind, item.question_id, item.ref_id)] = item
        elif existing.interview_id != interview.id:
            existing.lapses += 1
            existing.interview_id = interview.id
            if existing.due > due:
                existing.due = due
                existing.card = {**existing.card, "due": due.isoformat()}
            session.add(existing)


async def _owned(session: AsyncSession, owner: User, item_id: int) -> PracticeItem:
    item = (
        await session.exec(
            select(PracticeItem).where(
                PracticeItem.id == item_id, PracticeItem.owner_id == owner.id
            )
        )
    ).first()
    if item is None:
        raise NotFound("practice item not found")
    return item


async def items_of(*, runtime: Runtime, owner: User) -> list[PracticeItem]:
    """All the caller's practice items, soonest due first."""
    async with runtime.reading() as session:
        rows = await session.exec(
            select(PracticeItem)
            .where(PracticeItem.owner_id == owner.id)
            .order_by(col(PracticeItem.due), col(PracticeItem.id))
        )
        return list(rows.all())


async def due_now(
    *, runtime: Runtime, owner: User, limit: int = 5
) -> tuple[list[PracticeItem], int]:
    """The items due by the end of today (the clock's day, UTC): the first few and how many."""
    now = runtime.clock()
    end_of_day = now.replace(hour=23, minute=59, second=59, microsecond=999_999)
    condition = (PracticeItem.owner_id == owner.id, col(PracticeItem.due) <= end_of_day)
    async with runtime.reading() as session:
        total = (
            await session.exec(select(func.count()).select_from(PracticeItem).where(*condition))
        ).one()
        rows = await session.exec(
            select(PracticeItem).where(*condition).order_by(col(PracticeItem.due)).limit(limit)
        )
        return list(rows.all()), total


@dataclass(frozen=True)
class Scheduled:
    """What of one interview is in the practice plan: how many items, and the first due."""

    count: int
    first_due: datetime | None


async def scheduled_from(*, runtime: Runtime, owner: User, interview_id: uuid.UUID) -> Scheduled:
    """How many of the caller's practice items came from this interview, and the first due."""
    async with runtime.reading() as session:
        count, first = (
            await session.exec(
                select(func.count(), func.min(PracticeItem.due)).where(
                    PracticeItem.owner_id == owner.id, PracticeItem.interview_id == interview_id
                )
            )
        ).one()
    return Scheduled(count=count, first_due=first)


def _follow_up(question: Question, key_point: str) -> str:
    asked = next((f.prompt for f in question.follow_ups if f.key_point == key_point), None)
    return asked or f"Back to “{question.title}”: what would a complete answer add?"


def drill_of(content: Content, item: PracticeItem) -> Drill:
    """The drill for an item: the follow-up that asks for a missed key point, or the probe of
    the checklist part a weak criterion lacks."""
    if item.kind == "key_point":
        question = content.questions[item.question_id]
        return Drill(
            item=item,
            title=question.title,
            context=question.prompt,
            prompt=_follow_up(question, item.ref_id),
        )
    spec = content.rounds[RoundType(item.round)]
    section = _section(content, item.round, item.ref_id)
    probe = section.probes[0] if section else "Answer as you would in the round."
    return Drill(
        item=item,
        title=item.topic,
        context=f"In a {spec.title} round, practise the part your answers lacked: "
        f"{section.name if section else item.text}.",
        prompt=probe,
    )


async def drill(*, runtime: Runtime, owner: User, item_id: int) -> Drill:
    """One of the caller's items as a drill."""
    async with runtime.reading() as session:
        item = await _owned(session, owner, item_id)
    if item.kind == "key_point" and item.question_id not in runtime.content.questions:
        raise NotFound("this practice item's question is no longer in the bank")
    return drill_of(runtime.content, item)


def _grade(content: Content, item: PracticeItem, answer: str) -> tuple[Status, str]:
    """How the answer treats what the item is about, and what a strong answer covers."""
    spec = content.rounds[RoundType(item.round)]
    if item.kind == "key_point":
        question = content.questions[item.question_id]
        point = next(p for p in question.key_points if p.id == item.ref_id)
        reading = assess(bank_topic(question, spec), spec, answer)
        found = next(k for k in reading.key_points if k.id == item.ref_id)
        return found.status, point.text
    ids = {s.id for s in spec.checklist if s.criterion == item.ref_id}
    reading = assess(custom_topic(answer, spec), spec, answer)
    statuses = [s.status for s in reading.sections if s.id in ids] or ["not_addressed"]
    order: list[Status] = ["covered", "partial", "wrong", "not_addressed"]
    best = min(statuses, key=order.index)
    return best, item.text


async def answer_drill(*, runtime: Runtime, owner: User, item_id: int, answer: str) -> DrillResult:
    """Grade a drill answer, reschedule the item by it (FSRS) and keep the review."""
    text = answer.strip()
    if not text or "\x00" in text:
        raise Invalid("write an answer (not blank, no NUL character)")
    if len(text) > MAX_ANSWER_CHARS:
        raise Invalid(f"the answer has {len(text)} characters; the limit is {MAX_ANSWER_CHARS}")
    await drill(runtime=runtime, owner=owner, item_id=item_id)  # 404 unless it is drillable
    now = runtime.clock()
    async with runtime.writing() as session:
        item = await _owned(session, owner, item_id)
        status, reveal = _grade(runtime.content, item, text)
        rating = RATINGS[status]
        card, _ = SCHEDULER.review_card(_card(item), rating, review_datetime=now)
        item.card = _stored(card)
        item.due = card.due
        item.reviews += 1
        item.lapses += rating == Rating.Again
        session.add(item)
        session.add(
            PracticeReview(
                item_id=item_id, answer=text, status=status, rating=int(rating), next_due=card.due
            )
        )
        await session.commit()
    return DrillResult(
        item=item, status=status, rating=int(rating), next_due=card.due, reveal=reveal
    )


def mastery(items: Sequence[PracticeItem], now: datetime) -> list[TopicMastery]:
    """Mastery per topic: the mean FSRS recall probability of its items now (0 before a drill)."""
    topics: dict[str, list[PracticeItem]] = {}
    for item in items:
        topics.setdefault(item.topic, []).append(item)
    found = []
    for topic, mine in sorted(topics.items()):
        recall = [
            SCHEDULER.get_card_retrievability(_card(i), current_datetime=now) if i.reviews else 0.0
            for i in mine
        ]
        found.append(
            TopicMastery(
                topic=topic,
                items=len(mine),
                due=sum(i.due <= now for i in mine),
                mastery=round(mean(recall), 2),
            )
        )
    return found
