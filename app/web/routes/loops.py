"""Loops in the browser: choose one, take its rounds, read the hiring packet."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import PlainTextResponse, RedirectResponse
from pydantic import ValidationError
from starlette.responses import Response

from app.http.deps import RuntimeDep
from app.http.loop_present import loop_public, packet_response, run_public
from app.http.loop_schemas import RunCreate
from app.http.params import RoundNumber
from app.services import loops
from app.services.errors import Invalid
from app.web.errors import form_problems
from app.web.pages import page
from app.web.session import BrowserUser, CsrfForm
from app.web.tailor_form import cv_of

router = APIRouter(include_in_schema=False)
EXPORTS: dict[str, Literal["json", "markdown", "pdf"]] = {
    "md": "markdown",
    "json": "json",
    "pdf": "pdf",
}


@router.get("/loops")
async def loops_page(request: Request, runtime: RuntimeDep, user: BrowserUser) -> Response:
    """Every loop to choose from, and the candidate's runs."""
    runs = await loops.list_runs(runtime=runtime, owner=user)
    return page(
        request,
        "loops.html",
        user=user,
        loops=[loop_public(loop) for loop in runtime.content.loops.values()],
        runs=[run_public(view) for view in runs],
    )


@router.post("/loops/{loop_id}/runs")
async def start_run(
    loop_id: str,
    runtime: RuntimeDep,
    user: BrowserUser,
    _csrf: CsrfForm,
    level: Annotated[str, Form()] = "mid-level",
    job_description: Annotated[str, Form()] = "",
    cv: Annotated[str, Form()] = "",
    cv_file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Start a run of a loop and show its rounds."""
    cv_text = await cv_of(cv, cv_file)
    try:
        body = RunCreate(level=level, job_description=job_description or None, cv=cv_text)
    except ValidationError as error:
        raise Invalid(form_problems(error)) from error
    run = await loops.start_run(
        runtime=runtime,
        owner=user,
        loop_id=loop_id,
        level=body.level,
        job_description=body.job_description,
        cv=body.cv,
    )
    return RedirectResponse(f"/runs/{run.id}", status_code=303)


@router.get("/runs/{run_id}")
async def run_page(
    request: Request, run_id: uuid.UUID, runtime: RuntimeDep, user: BrowserUser
) -> Response:
    """A run's rounds: start, resume or review each; the packet once all are scored."""
    view = await loops.read_run(runtime=runtime, owner=user, run_id=run_id)
    return page(
        request,
        "run.html",
        user=user,
        run=run_public(view),
        level_name=_level_name(view),
    )


@router.post("/runs/{run_id}/rounds/{number}")
async def start_round(
    run_id: uuid.UUID, number: RoundNumber, runtime: RuntimeDep, user: BrowserUser, _csrf: CsrfForm
) -> Response:
    """Start (or resume) a round: its interview's chat."""
    interview, _ = await loops.start_round(
        runtime=runtime, owner=user, run_id=run_id, position=number - 1
    )
    return RedirectResponse(f"/interviews/{interview.id}", status_code=303)


@router.get("/runs/{run_id}/packet")
async def packet_page(
    request: Request, run_id: uuid.UUID, runtime: RuntimeDep, user: BrowserUser
) -> Response:
    """The hiring packet: decision, signals with their evidence, disagreements, scorecards."""
    view, built = await loops.packet(runtime=runtime, owner=user, run_id=run_id)
    return page(
        request,
        "packet.html",
        user=user,
        run=run_public(view),
        packet=built,
        level_name=_level_name(view),
        shared=False,
    )


@router.get("/runs/{run_id}/packet.{fmt}")
async def packet_export(
    run_id: uuid.UUID, fmt: str, runtime: RuntimeDep, user: BrowserUser
) -> Response:
    """Download the hiring packet as Markdown, JSON or PDF."""
    if fmt not in EXPORTS:
        return PlainTextResponse("Unknown export format: use .md, .json or .pdf", status_code=404)
    view, built = await loops.packet(runtime=runtime, owner=user, run_id=run_id)
    return packet_response(view, built, EXPORTS[fmt])


@router.post("/runs/{run_id}/delete")
async def delete_run(
    run_id: uuid.UUID, runtime: RuntimeDep, user: BrowserUser, _csrf: CsrfForm
) -> Response:
    """Delete a run (its interviews stay in the history)."""
    await loops.delete_run(runtime=runtime, owner=user, run_id=run_id)
    return RedirectResponse("/loops", status_code=303)


def _level_name(view: loops.RunView) -> str:
    return next((lv.name for lv in view.loop.levels if lv.id == view.run.level), view.run.level)
