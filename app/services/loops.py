"""Loop runs: start a whole onsite loop, take its rounds as interviews, read its hiring packet."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete as sql_delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.content.loops import Loop
from app.content.models import RoundType
from app.scoring.committee import CriterionGrade, HiringPacket, RoundResult, hiring_packet
from app.services import interviews
from app.services.errors import Conflict, Invalid, NotFound
from app.services.runtime import Runtime
from app.store.models import (
    CriterionScore,
    Interview,
    LoopRun,
    LoopRunRound,
    Scorecard,
    User,
)


@dataclass(frozen=True)
class RunRound:
    """One round of a run: its place in the loop and, once started, its interview."""

    position: int
    interview: Interview | None
    scorecard: Scorecard | None


@dataclass(frozen=True)
class RunView:
    """A run with its loop and the state of every round."""

    run: LoopRun
    loop: Loop
    rounds: list[RunRound]

    @property
    def complete(self) -> bool:
        """Every round is scored: the hiring packet can be assembled."""
        return all(r.scorecard is not None for r in self.rounds)

    @property
    def next_position(self) -> int | None:
        """The first round not yet scored, if any."""
        return next((r.position for r in self.rounds if r.scorecard is None), None)


def loop_of(*, runtime: Runtime, loop_id: str) -> Loop:
    """A loop by id; 404 for an unknown one."""
    loop = runtime.content.loops.get(loop_id)
    if loop is None:
        known = ", ".join(sorted(runtime.content.loops))
        raise NotFound(f"unknown loop {loop_id!r}; the loops are: {known}")
    return loop


async def start_run(
    *,
    runtime: Runtime,
    owner: User,
    loop_id: str,
    level: str,
    job_description: str | None = None,
    cv: str | None = None,
) -> LoopRun:
    """Start a run of a loop for a target level; no round starts until asked."""
    loop = loop_of(runtime=runtime, loop_id=loop_id)
    levels = [lv.id for lv in loop.levels]
    if level not in levels:
        raise Invalid(f"level {level!r} is not one of this loop's levels: {', '.join(levels)}")
    run = LoopRun(
        owner_id=owner.id, loop_id=loop.id, level=level, job_description=job_description, cv=cv
    )
    async with runtime.writing() as session:
        session.add(run)
        await session.commit()
    return run


async def _owned_run(
    session: AsyncSession, owner: User, run_id: uuid.UUID, *, for_update: bool = False
) -> LoopRun:
    query = select(LoopRun).where(LoopRun.id == run_id, LoopRun.owner_id == owner.id)
    if for_update:
        query = query.with_for_update()
    run = (await session.exec(query)).first()
    if run is None:
        raise NotFound("loop run not found")
    return run


async def _view(session: AsyncSession, runtime: Runtime, run: LoopRun) -> RunView:
    loop = loop_of(runtime=runtime, loop_id=run.loop_id)
    rows = await session.exec(
        select(LoopRunRound, Interview, Scorecard)
        .where(LoopRunRound.run_id == run.id)
        .join(Interview, col(Interview.id) == LoopRunRound.interview_id)
        .join(Scorecard, col(Scorecard.interview_id) == Interview.id, isouter=True)
    )
    started = {link.position: (interview, card) for link, interview, card in rows.all()}
    rounds = [
        RunRound(
            position=position,
            interview=started.get(position, (None, None))[0],
            scorecard=started.get(position, (None, None))[1],
        )
        for position in range(len(loop.rounds))
    ]
    return RunView(run=run, loop=loop, rounds=rounds)


async def read_run(*, runtime: Runtime, owner: User, run_id: uuid.UUID) -> RunView:
    """One of the caller's runs with the state of each round."""
    async with runtime.reading() as session:
        run = await _owned_run(session, owner, run_id)
        return await _view(session, runtime, run)


async def list_runs(*, runtime: Runtime, owner: User) -> list[RunView]:
    """The caller's runs, newest first (runs of a loop no longer in the content are left out)."""
    async with runtime.reading() as session:
        runs = (
            await session.exec(
                select(LoopRun)
                .where(LoopRun.owner_id == owner.id)
                .order_by(col(LoopRun.created_at).desc())
                .limit(100)
            )
        ).all()
        return [
            await _view(session, runtime, run)
            for run in runs
            if run.loop_id in runtime.content.loops
        ]


async def run_of_interview(
    *, runtime: Runtime, owner: User, interview_id: uuid.UUID
) -> tuple[LoopRun, int] | None:
    """The run (and round position) an interview of the caller belongs to, if any."""
    async with runtime.reading() as session:
        row = (
            await session.exec(
                select(LoopRun, LoopRunRound.position)
                .join(LoopRunRound, col(LoopRunRound.run_id) == LoopRun.id)
                .where(LoopRunRound.interview_id == interview_id, LoopRun.owner_id == owner.id)
            )
        ).first()
    return (row[0], row[1]) if row else None


async def start_round(
    *, runtime: Runtime, owner: User, run_id: uuid.UUID, position: int
) -> tuple[Interview, bool]:
    """Start a round's interview (or return the one already started); True when new."""
    view = await read_run(runtime=runtime, owner=owner, run_id=run_id)
    if not 0 <= position < len(view.loop.rounds):
        raise NotFound(f"the loop has rounds 0-{len(view.loop.rounds) - 1}; no round {position}")
    existing = view.rounds[position].interview
    if existing is not None:
        return existing, False
    spec = view.loop.rounds[position]
    request = interviews.NewInterview(
        round=spec.round,
        role=view.loop.role,
        level=view.run.level,
        duration_minutes=spec.duration_minutes,
        job_description=view.run.job_description,
        cv=view.run.cv,
    )
    interview, _ = await interviews.create(runtime=runtime, owner=owner, request=request)
    async with runtime.writing() as session:
        run = await _owned_run(session, owner, run_id, for_update=True)
        taken = (
            await session.exec(
                select(LoopRunRound).where(
                    LoopRunRound.run_id == run.id, LoopRunRound.position == position
                )
            )
        ).first()
        if taken is None:
            session.add(LoopRunRound(run_id=run.id, position=position, interview_id=interview.id))
            await session.commit()
            return interview, True
        # a concurrent start linked its interview first: keep that one, drop ours
        await session.exec(sql_delete(Interview).where(col(Interview.id) == interview.id))
        await session.commit()
    return await _interview(runtime, owner, taken.interview_id), False


async def _interview(runtime: Runtime, owner: User, interview_id: uuid.UUID) -> Interview:
    async with runtime.reading() as session:
        return await interviews.get_owned(session=session, owner=owner, interview_id=interview_id)


async def delete_run(*, runtime: Runtime, owner: User, run_id: uuid.UUID) -> None:
    """Delete a run; its rounds' interviews stay in the history."""
    async with runtime.writing() as session:
        run = await _owned_run(session, owner, run_id)
        await session.exec(sql_delete(LoopRun).where(col(LoopRun.id) == run.id))
        await session.commit()


async def packet(
    *, runtime: Runtime, owner: User, run_id: uuid.UUID
) -> tuple[RunView, HiringPacket]:
    """The hiring packet of a run whose rounds are all scored; 409 before that."""
    async with runtime.reading() as session:
        run = await _owned_run(session, owner, run_id)
        view = await _view(session, runtime, run)
        if not view.complete:
            left = [view.loop.rounds[r.position].title for r in view.rounds if r.scorecard is None]
            raise Conflict(
                f"the hiring packet is assembled once every round is scored; still to do: "
                f"{', '.join(left)}"
            )
        ids = [r.scorecard.id for r in view.rounds if r.scorecard is not None]
        grades = (
            await session.exec(
                select(CriterionScore)
                .where(col(CriterionScore.scorecard_id).in_(ids))
                .order_by(col(CriterionScore.position))
            )
        ).all()
    return view, hiring_packet(
        loop=view.loop, results=_results(view, grades), target_level=run.level
    )


def _results(view: RunView, grades: Sequence[CriterionScore]) -> list[RoundResult]:
    by_card: dict[int, list[CriterionGrade]] = {}
    for grade in grades:
        by_card.setdefault(grade.scorecard_id, []).append(
            CriterionGrade(
                criterion_id=grade.criterion_id,
                name=grade.name,
                score=grade.score,
                rationale=grade.rationale,
                quotes=[str(e.get("quote", "")) for e in grade.evidence if e.get("quote")],
            )
        )
    results = []
    for item in view.rounds:
        assert item.interview is not None and item.scorecard is not None  # the run is complete
        card = item.scorecard
        assert card.id is not None
        results.append(
            RoundResult(
                position=item.position,
                title=view.loop.rounds[item.position].title,
                round=RoundType(item.interview.round),
                interview_id=item.interview.id,
                overall=card.overall,
                recommendation=card.recommendation,
                summary=card.summary,
                criteria=by_card.get(card.id, []),
            )
        )
    return results
