"""Tailoring helpers: read a CV sent as a PDF."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, File
from pydantic import BaseModel

from app.api.deps import CurrentUser
from app.http.loop_schemas import MAX_CV_CHARS
from app.http.schemas import ErrorPublic
from app.services import tailoring

router = APIRouter(prefix="/api/v1", tags=["tailoring"])
ERRORS: dict[int | str, dict[str, Any]] = {413: {"model": ErrorPublic}, 422: {"model": ErrorPublic}}


class CvPublic(BaseModel):
    """A CV's text (to send as `cv` when starting an interview or a loop) and its projects."""

    text: str
    projects: list[str]


@router.post("/cv", response_model=CvPublic, responses=ERRORS)
async def read_cv(
    file: Annotated[bytes, File(description="the CV as a PDF")], user: CurrentUser
) -> CvPublic:
    """The text of a CV PDF and the projects found in it; nothing is stored."""
    # parsing a PDF is CPU work: off the event loop
    text = await asyncio.to_thread(tailoring.cv_text_from_pdf, file, limit=MAX_CV_CHARS)
    return CvPublic(text=text, projects=tailoring.cv_projects(text))
