"""Interviews: start, converse (JSON or SSE), retry, finish, score, export, delete."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Response

from app.api.deps import CurrentUser
from app.content.models import RoundType
from app.http import sse
from app.http.deps import RuntimeDep
from app.http.present import export_response, interview_public, message_public, scorecard_public
from app.http.schemas import (
    ErrorPublic,
    InterviewCreate,
    InterviewPage,
    InterviewPublic,
    InterviewSummary,
    MessageCreate,
    MessagePublic,
    ReplyPublic,
    ScorecardPublic,
    TurnPublic,
)
from app.services import interviews, replies, scoring, turns
from app.services.interviews import state_of
from app.services.runtime import Runtime
from app.services.turns import PendingTurn, ReplyStored
from app.store.models import InterviewStatus

router = APIRouter(prefix="/api/v1/interviews", tags=["interviews"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorPublic},
    409: {"model": ErrorPublic},
    422: {"model": ErrorPublic},
    502: {"model": ErrorPublic},
    503: {"model": ErrorPublic},
}
STREAM_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/event-stream": {}},
        "description": "with Accept: text/event-stream, SSE events: candidate, token…, "
        "done (or error)",
    }
}


@router.post("", status_code=201, response_model=InterviewPublic, responses=ERRORS)
async def start(body: InterviewCreate, runtime: RuntimeDep, user: CurrentUser) -> InterviewPublic:
    """Start an interview; the reply holds the interviewer's opening message."""
    request = interviews.NewInterview(**body.model_dump())
    interview, opening = await interviews.create(runtime=runtime, owner=user, request=request)
    return interview_public(runtime, interview, [opening])


@router.get("", response_model=InterviewPage)
async def list_interviews(
    runtime: RuntimeDep,
    user: CurrentUser,
    round: RoundType | None = None,
    status: InterviewStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> InterviewPage:
    """The caller's interviews, newest first."""
    rows, total = await interviews.list_owned(
        runtime=runtime, owner=user, round_type=round, status=status, limit=limit, offset=offset
    )
    items = [
        InterviewSummary(
            id=i.id,
            round=RoundType(i.round),
            status=i.status,
            created_at=i.created_at,
            finished_at=i.finished_at,
            overall=card.overall if card else None,
            recommendation=card.recommendation if card else None,
        )
        for i, card in rows
    ]
    return InterviewPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{interview_id}", response_model=InterviewPublic, responses=ERRORS)
async def read(interview_id: uuid.UUID, runtime: RuntimeDep, user: CurrentUser) -> InterviewPublic:
    """One interview with its transcript, and its scorecard once scored."""
    interview, messages, card = await scoring.read_complete(
        runtime=runtime, owner=user, interview_id=interview_id
    )
    return interview_public(runtime, interview, messages, card)


@router.post(
    "/{interview_id}/messages",
    status_code=201,
    response_model=TurnPublic,
    responses={**ERRORS, **STREAM_DOC},
)
async def post_message(
    interview_id: uuid.UUID,
    body: MessageCreate,
    runtime: RuntimeDep,
    user: CurrentUser,
    accept: Annotated[str | None, Header()] = None,
    idempotency_key: Annotated[
        str | None,
        Header(max_length=200, description="repeat a request safely: the first result returns"),
    ] = None,
) -> TurnPublic | Response:
    """Answer the interviewer; the reply streams as SSE when asked for text/event-stream."""
    pending = await turns.accept_answer(
        runtime=runtime,
        owner=user,
        interview_id=interview_id,
        text=body.content,
        idempotency_key=idempotency_key,
        diagram=body.diagram,
        speech=body.speech,
    )
    if sse.wants_stream(accept):
        return _stream(runtime, pending, include_candidate=True)
    stored = await replies.complete_reply(runtime=runtime, pending=pending)
    return TurnPublic(
        candidate=message_public(pending.candidate, stored.interview),
        interviewer=message_public(stored.message, stored.interview),
        phase=_phase(stored),
        status=stored.interview.status,
    )


@router.post(
    "/{interview_id}/retry", response_model=ReplyPublic, responses={**ERRORS, **STREAM_DOC}
)
async def retry(
    interview_id: uuid.UUID,
    runtime: RuntimeDep,
    user: CurrentUser,
    accept: Annotated[str | None, Header()] = None,
) -> ReplyPublic | Response:
    """Regenerate the interviewer's missing reply to the last stored answer."""
    pending = await turns.pending_turn(runtime=runtime, owner=user, interview_id=interview_id)
    if sse.wants_stream(accept):
        return _stream(runtime, pending, include_candidate=False)
    stored = await replies.complete_reply(runtime=runtime, pending=pending)
    return ReplyPublic(
        interviewer=message_public(stored.message, stored.interview),
        phase=_phase(stored),
        status=stored.interview.status,
    )


def _phase(stored: ReplyStored) -> str:
    return state_of(stored.interview).phase


def _stream(runtime: Runtime, pending: PendingTurn, *, include_candidate: bool) -> Response:
    def done(stored: ReplyStored) -> dict:
        return {
            "interviewer": message_public(stored.message, stored.interview).model_dump(mode="json"),
            "phase": _phase(stored),
            "status": stored.interview.status,
        }

    candidate = MessagePublic.model_validate(pending.candidate).model_dump(mode="json")
    return sse.turn_stream(
        runtime,
        pending,
        candidate=candidate if include_candidate else None,
        done=done,
        status_code=201 if include_candidate else 200,
    )


@router.post("/{interview_id}/finish", response_model=InterviewPublic, responses=ERRORS)
async def finish(
    interview_id: uuid.UUID, runtime: RuntimeDep, user: CurrentUser
) -> InterviewPublic:
    """End the interview and score it (call again to retry a failed scoring)."""
    await scoring.finish(runtime=runtime, owner=user, interview_id=interview_id)
    return await read(interview_id, runtime, user)


@router.get("/{interview_id}/scorecard", response_model=ScorecardPublic, responses=ERRORS)
async def scorecard(
    interview_id: uuid.UUID, runtime: RuntimeDep, user: CurrentUser
) -> ScorecardPublic:
    """The scorecard: per-criterion scores, evidence, missed points, recommendation."""
    interview, card = await scoring.read_scorecard(
        runtime=runtime, owner=user, interview_id=interview_id
    )
    return scorecard_public(runtime, interview, card)


@router.get(
    "/{interview_id}/transcript",
    responses={**ERRORS, 200: {"content": {"application/json": {}, "text/markdown": {}}}},
)
async def transcript(
    interview_id: uuid.UUID,
    runtime: RuntimeDep,
    user: CurrentUser,
    format: Literal["json", "markdown"] = "json",
) -> Response:
    """The transcript (with the scorecard once scored) as JSON or Markdown."""
    interview, messages, card = await scoring.read_complete(
        runtime=runtime, owner=user, interview_id=interview_id
    )
    return export_response(runtime, interview, messages, card, format)


@router.delete("/{interview_id}", status_code=204, responses=ERRORS)
async def delete(interview_id: uuid.UUID, runtime: RuntimeDep, user: CurrentUser) -> Response:
    """Delete the interview with its transcript and scorecard."""
    await interviews.delete(runtime=runtime, owner=user, interview_id=interview_id)
    return Response(status_code=204)
