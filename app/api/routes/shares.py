"""Share links: create, list and revoke your own; open one without an account."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from app.api.deps import CurrentUser
from app.http.deps import RuntimeDep
from app.http.loop_present import packet_public
from app.http.params import RowId
from app.http.present import scorecard_public
from app.http.schemas import ErrorPublic
from app.http.share_present import share_public
from app.http.share_schemas import ScorecardShare, ShareCreate, SharedPublic, SharePublic
from app.services import shares

router = APIRouter(prefix="/api/v1", tags=["shares"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorPublic},
    409: {"model": ErrorPublic},
    410: {"model": ErrorPublic},
    422: {"model": ErrorPublic},
}


@router.post("/shares", status_code=201, response_model=SharePublic, responses=ERRORS)
async def create(
    body: ShareCreate, request: Request, runtime: RuntimeDep, user: CurrentUser
) -> SharePublic:
    """A read-only link for a mentor; its URL is in this reply only."""
    target = body.interview_id if isinstance(body, ScorecardShare) else body.run_id
    link, token = await shares.create(
        runtime=runtime, owner=user, kind=body.kind, target=target, days=body.expires_in_days
    )
    url = str(request.url_for("shared_page", token=token))
    return share_public(link, runtime.clock(), url)


@router.get("/shares", response_model=list[SharePublic])
async def list_shares(runtime: RuntimeDep, user: CurrentUser) -> list[SharePublic]:
    """Your links with their views, newest first."""
    now = runtime.clock()
    return [share_public(s, now) for s in await shares.list_owned(runtime=runtime, owner=user)]


@router.delete("/shares/{link_id}", status_code=204, responses=ERRORS)
async def revoke(link_id: RowId, runtime: RuntimeDep, user: CurrentUser) -> Response:
    """Revoke a link: it stops working at once."""
    await shares.revoke(runtime=runtime, owner=user, link_id=link_id)
    return Response(status_code=204)


@router.get("/shared/{token}", response_model=SharedPublic, responses=ERRORS)
async def open_shared(token: str, runtime: RuntimeDep) -> SharedPublic:
    """What a link shows, without an account (each read counts as a view)."""
    shared = await shares.open_link(runtime=runtime, token=token)
    if isinstance(shared, shares.SharedScorecard):
        return SharedPublic(
            kind="scorecard",
            round=shared.interview.round,
            scorecard=scorecard_public(runtime, shared.interview, shared.card),
        )
    return SharedPublic(kind="packet", packet=packet_public(shared.view, shared.packet))
