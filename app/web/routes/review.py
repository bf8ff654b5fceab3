"""Reviewing past interviews: scorecard, history, progress, export, delete."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import PlainTextResponse, RedirectResponse
from starlette.responses import Response

from app.content.models import RoundType
from app.http.deps import RuntimeDep
from app.http.practice_present import plan_public
from app.http.present import export_response, scorecard_public
from app.services import interviews, practice, progress, recordings, scoring, speaking
from app.web.loop_banner import loop_banner
from app.web.pages import page
from app.web.session import BrowserUser, CsrfForm

router = APIRouter(include_in_schema=False)


@router.get("/interviews/{interview_id}/scorecard")
async def scorecard(
    request: Request, interview_id: uuid.UUID, runtime: RuntimeDep, user: BrowserUser
) -> Response:
    """The scorecard beside the transcript its evidence links to."""
    interview, messages, card = await scoring.read_complete(
        runtime=runtime, owner=user, interview_id=interview_id
    )
    if card is None:
        return RedirectResponse(f"/interviews/{interview.id}", status_code=303)
    public = scorecard_public(runtime, interview, card)
    taken = (
        (interview.finished_at - interview.created_at).total_seconds()
        if interview.finished_at
        else None
    )
    return page(
        request,
        "scorecard.html",
        user=user,
        interview=interview,
        card=public,
        messages=messages,
        spec=runtime.content.rounds[RoundType(interview.round)],
        seconds_taken=taken,
        loop_run=await loop_banner(runtime=runtime, owner=user, interview_id=interview.id),
        speaking=speaking.of_messages(messages, round_type=RoundType(interview.round)),
        recordings=await recordings.by_message(
            runtime=runtime, owner=user, interview_id=interview.id
        ),
        scheduled=await practice.scheduled_from(
            runtime=runtime, owner=user, interview_id=interview.id
        ),
    )


@router.get("/history")
async def history(
    request: Request, runtime: RuntimeDep, user: BrowserUser, round: str = ""
) -> Response:
    """My interviews, newest first, filterable by round."""
    round_type = RoundType(round) if round in RoundType.__members__ else None
    rows, total = await interviews.list_owned(
        runtime=runtime, owner=user, round_type=round_type, status=None, limit=50, offset=0
    )
    return page(
        request,
        "history.html",
        user=user,
        rows=rows,
        total=total,
        rounds=list(runtime.content.rounds.values()),
        selected=round_type.value if round_type else "",
    )


@router.get("/progress")
async def progress_page(request: Request, runtime: RuntimeDep, user: BrowserUser) -> Response:
    """Per-round and per-criterion scores in the order the interviews were taken, as charts."""
    points = await progress.score_history(runtime=runtime, owner=user)
    series = {}
    taken = {}  # when each was taken, per round, for the table
    for round_type, spec in runtime.content.rounds.items():
        mine = [p for p in points if p.round == round_type.value]
        if not mine:
            continue
        rubric = runtime.content.rubrics[round_type]
        taken[round_type.value] = [p.created_at for p in mine]
        series[round_type.value] = {
            "title": spec.title,
            # plotted in the order taken (#1, #2, ...); the time labels each one
            "times": [int(p.created_at.timestamp()) for p in mine],
            "overall": [p.overall for p in mine],
            "criteria": [
                {"name": c.name, "scores": [p.criteria.get(c.id) for p in mine]}
                for c in rubric.criteria
            ],
        }
    spoken = await speaking.history(runtime=runtime, owner=user)
    return page(
        request,
        "progress.html",
        user=user,
        series=series,
        taken=taken,
        count=len(points),
        plan=await plan_public(runtime, user),
        speaking=[
            {
                "round": runtime.content.rounds[RoundType(p.round)].title,
                "at": p.created_at,
                "chart": {
                    "time": int(p.created_at.timestamp()),
                    "words_per_minute": p.speaking.words_per_minute,
                    "fillers_per_minute": p.speaking.fillers_per_minute,
                },
            }
            | p.speaking.model_dump()
            for p in spoken
        ],
    )


@router.get("/interviews/{interview_id}/export.{fmt}")
async def export(
    interview_id: uuid.UUID, fmt: str, runtime: RuntimeDep, user: BrowserUser
) -> Response:
    """Download the transcript with its scorecard as Markdown or JSON."""
    interview, messages, card = await scoring.read_complete(
        runtime=runtime, owner=user, interview_id=interview_id
    )
    formats: dict[str, Literal["markdown", "json"]] = {"md": "markdown", "json": "json"}
    if fmt not in formats:
        return PlainTextResponse("Unknown export format: use .md or .json", status_code=404)
    return export_response(runtime, interview, messages, card, formats[fmt])


@router.post("/interviews/{interview_id}/delete")
async def delete(
    interview_id: uuid.UUID,
    runtime: RuntimeDep,
    user: BrowserUser,
    _csrf: CsrfForm,
    back: Annotated[str, Form()] = "",
) -> Response:
    """Delete one interview and go back to the history (or home, where unfinished ones are
    discarded)."""
    await interviews.delete(runtime=runtime, owner=user, interview_id=interview_id)
    return RedirectResponse("/" if back == "/" else "/history", status_code=303)
