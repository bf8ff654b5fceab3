"""Rendering pages: Jinja2 templates (autoescaped), safe Markdown, CSRF token on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.responses import Response

from app.content.loader import Content
from app.scoring.models import RECOMMENDATION_LABELS
from app.store.models import User
from app.web.markdown import render, render_message
from app.web.names import Names, local_time, status_label
from app.web.session import csrf_token, remember_csrf

TEMPLATES = Path(__file__).parent / "templates"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "not finished"
    minutes, rest = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    return f"{minutes // 60} h {minutes % 60} min"


def make_templates(content: Content) -> Jinja2Templates:
    """The template environment with the filters pages use."""
    templates = Jinja2Templates(directory=str(TEMPLATES))
    names = Names(content)
    templates.env.filters["markdown"] = lambda text: Markup(render(text))
    templates.env.filters["message_html"] = lambda message: Markup(
        render_message(message.content, role=message.role)
    )
    templates.env.filters["duration"] = _duration
    templates.env.filters["round_title"] = names.round_title
    templates.env.filters["question_titles"] = names.question_titles
    templates.env.filters["status_label"] = status_label
    templates.env.filters["local_time"] = local_time
    templates.env.globals["recommendation_labels"] = RECOMMENDATION_LABELS
    return templates


def page(
    request: Request, name: str, *, user: User | None, status: int = 200, **context: Any
) -> Response:
    """Render a page for this browser, issuing a CSRF token if it has none yet."""
    templates: Jinja2Templates = request.app.state.templates
    context.update(user=user, csrf=csrf_token(request))
    response = templates.TemplateResponse(request, name, context, status_code=status)
    remember_csrf(request, response)
    return response
