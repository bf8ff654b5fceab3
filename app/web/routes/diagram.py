"""The design diagram's renderer: a page our chat frames (sandboxed) to draw Mermaid diagrams."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.web.security import DIAGRAM_FRAME

router = APIRouter(include_in_schema=False)


@router.get(DIAGRAM_FRAME)
async def diagram_frame(request: Request) -> Response:
    """Mermaid and its driver, under the frame's own policy (see app/web/security.py)."""
    templates = request.app.state.templates
    return templates.TemplateResponse(request, "diagram_frame.html", {})
