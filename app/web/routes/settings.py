"""The account's settings page: keep my recordings (or not), delete them all."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.http.deps import RuntimeDep
from app.http.settings import settings_public
from app.services import recordings, users
from app.web.pages import page
from app.web.session import BrowserUser, CsrfForm

router = APIRouter(include_in_schema=False)


@router.get("/settings")
async def settings_page(
    request: Request,
    runtime: RuntimeDep,
    user: BrowserUser,
    saved: Annotated[bool, Query()] = False,
    deleted: Annotated[int | None, Query(ge=0)] = None,
) -> Response:
    """The settings, what they keep, and the ways to delete it."""
    chosen = await settings_public(runtime, user)
    return page(request, "settings.html", user=user, settings=chosen, saved=saved, deleted=deleted)


@router.post("/settings")
async def change(
    runtime: RuntimeDep,
    user: BrowserUser,
    _csrf: CsrfForm,
    keep_recordings: Annotated[str | None, Form()] = None,
) -> Response:
    """Save the settings (an unticked box is not sent: off)."""
    await users.change_settings(
        runtime=runtime, user=user, keep_recordings=keep_recordings is not None
    )
    return RedirectResponse("/settings?saved=true", status_code=303)


@router.post("/settings/recordings/delete")
async def delete_recordings(runtime: RuntimeDep, user: BrowserUser, _csrf: CsrfForm) -> Response:
    """Delete every kept recording, then say how many went."""
    count = await recordings.delete_all(runtime=runtime, owner=user)
    return RedirectResponse(f"/settings?deleted={count}", status_code=303)
