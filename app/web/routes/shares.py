"""Share links in the browser: create and revoke your own, and the read-only shared page."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.content.models import RoundType
from app.http.deps import RuntimeDep
from app.http.loop_present import run_public
from app.http.params import RowId
from app.http.present import scorecard_public
from app.http.share_present import share_public
from app.services import shares
from app.services.errors import Invalid, NotFound
from app.web.pages import page
from app.web.session import BrowserUser, CsrfForm

router = APIRouter(include_in_schema=False)


async def _shares_page(
    request: Request, runtime: RuntimeDep, user: BrowserUser, created: str | None = None
) -> Response:
    now = runtime.clock()
    links = [share_public(s, now) for s in await shares.list_owned(runtime=runtime, owner=user)]
    return page(request, "shares.html", user=user, links=links, created=created)


@router.get("/shares")
async def shares_page(request: Request, runtime: RuntimeDep, user: BrowserUser) -> Response:
    """My share links: what each shows, until when, how often it was viewed; revoke."""
    return await _shares_page(request, runtime, user)


@router.post("/shares")
async def create(
    request: Request,
    runtime: RuntimeDep,
    user: BrowserUser,
    _csrf: CsrfForm,
    kind: Annotated[str, Form()],
    target: Annotated[str, Form()],
    days: Annotated[int, Form()] = 7,
) -> Response:
    """Create a link and show its URL (this once)."""
    if kind not in ("scorecard", "packet"):
        raise Invalid("share a scorecard or a hiring packet")
    try:
        target_id = uuid.UUID(target)
    except ValueError:
        raise NotFound("nothing to share there") from None
    _, token = await shares.create(
        runtime=runtime,
        owner=user,
        kind="scorecard" if kind == "scorecard" else "packet",
        target=target_id,
        days=days,
    )
    url = str(request.url_for("shared_page", token=token))
    return await _shares_page(request, runtime, user, created=url)


@router.post("/shares/{link_id}/revoke")
async def revoke(
    link_id: RowId, runtime: RuntimeDep, user: BrowserUser, _csrf: CsrfForm
) -> Response:
    """Revoke a link."""
    await shares.revoke(runtime=runtime, owner=user, link_id=link_id)
    return RedirectResponse("/shares", status_code=303)


@router.get("/shared/{token}", name="shared_page")
async def shared_page(request: Request, token: str, runtime: RuntimeDep) -> Response:
    """A shared scorecard or hiring packet, read-only, for anyone holding the link."""
    try:
        shared = await shares.open_link(runtime=runtime, token=token)
    except shares.Gone as gone:
        return page(request, "shared_gone.html", user=None, message=gone.message, status=410)
    if isinstance(shared, shares.SharedScorecard):
        interview = shared.interview
        return page(
            request,
            "shared_scorecard.html",
            user=None,
            card=scorecard_public(runtime, interview, shared.card),
            spec=runtime.content.rounds[RoundType(interview.round)],
        )
    view = shared.view
    level_name = next((lv.name for lv in view.loop.levels if lv.id == view.run.level), "")
    return page(
        request,
        "packet.html",
        user=None,
        run=run_public(view),
        packet=shared.packet,
        level_name=level_name,
        shared=True,
    )
