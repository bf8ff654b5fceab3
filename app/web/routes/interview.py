"""Home and the interview chat: start, converse (streamed), hints, finish."""

from __future__ import annotations

import contextlib
import functools
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Header, Query, Request, UploadFile
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ValidationError
from starlette.responses import Response

from app.content.models import RoundType
from app.http import sse
from app.http.deps import RuntimeDep
from app.http.practice_present import item_public
from app.http.present import workspace_public
from app.http.schemas import CodeCreate, InterviewCreate
from app.services import code, interviews, practice, recordings, scoring, turns, users
from app.services.errors import Conflict, Invalid
from app.services.interviews import state_of
from app.services.runtime import Runtime
from app.services.turns import PendingTurn, ReplyStored
from app.speech.models import SpeechRecord
from app.store.models import Interview, InterviewStatus, Message
from app.web.errors import form_problems
from app.web.markdown import render, render_message
from app.web.pages import page
from app.web.session import BrowserUser, CsrfForm, CsrfHeader, MaybeUser
from app.web.tailor_form import cv_of

router = APIRouter(include_in_schema=False)
CODE_ROUNDS = {RoundType.coding, RoundType.ml_coding}
# rounds with a design diagram pane (Mermaid) beside the chat
DIAGRAM_ROUNDS = {RoundType.system_design, RoundType.ml_system_design}


class TurnForm(BaseModel):
    """The chat's JSON body for one answer (a spoken one keeps how it was spoken)."""

    content: str
    diagram: str | None = None
    speech: SpeechRecord | None = None


@router.get("/")
async def home(request: Request, runtime: RuntimeDep, user: MaybeUser) -> Response:
    """Start an interview, or resume an active one."""
    if user is None:
        return RedirectResponse("/login", status_code=303)
    active, _ = await interviews.list_owned(
        runtime=runtime,
        owner=user,
        round_type=None,
        status=InterviewStatus.active,
        limit=10,
        offset=0,
    )
    content = runtime.content
    rounds = [
        {"spec": spec, "questions": content.questions_for(spec.id)}
        for spec in content.rounds.values()
    ]
    due, due_count = await practice.due_now(runtime=runtime, owner=user, limit=1)
    return page(
        request,
        "home.html",
        user=user,
        rounds=rounds,
        active=[i for i, _ in active],
        error=None,
        practice_due=[item_public(content, i) for i in due],
        practice_due_count=due_count,
    )


@router.post("/interviews")
async def start(
    request: Request,
    runtime: RuntimeDep,
    user: BrowserUser,
    _csrf: CsrfForm,
    round: Annotated[str, Form()],
    question_choice: Annotated[str, Form()] = "random",
    question_id: Annotated[str, Form()] = "",
    custom_question: Annotated[str, Form()] = "",
    difficulty: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "Engineer",
    level: Annotated[str, Form()] = "mid-level",
    duration_minutes: Annotated[str, Form()] = "",
    job_description: Annotated[str, Form()] = "",
    cv: Annotated[str, Form()] = "",
    cv_file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Start an interview from the home page form."""
    cv_text = await cv_of(cv, cv_file)
    try:
        body = InterviewCreate.model_validate(
            {
                "round": round,
                "question_id": question_id or None if question_choice == "bank" else None,
                "question": custom_question or None if question_choice == "custom" else None,
                "difficulty": difficulty or None,
                "role": role or "Engineer",
                "level": level or "mid-level",
                "duration_minutes": duration_minutes or None,
                "job_description": job_description or None,
                "cv": cv_text,
            }
        )
    except ValidationError as error:
        raise Invalid(form_problems(error)) from error
    if question_choice == "custom" and body.question is None:
        raise Invalid("Write your question, or choose a question from the bank.")
    if question_choice == "bank" and body.question_id is None:
        raise Invalid("Choose a question from the list, or pick a random one.")
    request_ = interviews.NewInterview(**body.model_dump())
    interview, _ = await interviews.create(runtime=runtime, owner=user, request=request_)
    return RedirectResponse(f"/interviews/{interview.id}", status_code=303)


def chat_context(runtime: Runtime, interview: Interview, messages: list[Message]) -> dict:
    """What the chat page shows: round, timer, phase, question number, problem, transcript."""
    state = state_of(interview)
    round_type = RoundType(interview.round)
    return {
        "interview": interview,
        "spec": runtime.content.rounds[round_type],
        "state": state,
        "messages": messages,
        "question_number": state.index + 1,
        "question_total": len(state.plan),
        "code_round": round_type in CODE_ROUNDS,
        "diagram_round": (
            round_type in DIAGRAM_ROUNDS and interview.status is InterviewStatus.active
        ),
        "problem": _problem(runtime, interview),
        "started_at": interview.created_at.isoformat(),
    }


def _problem(runtime: Runtime, interview: Interview) -> dict[str, str] | None:
    """The question being asked (the last one once the questions are over), for the pad."""
    topics = runtime.directors.topics(interview)
    if not topics:
        return None
    topic = topics[min(state_of(interview).index, len(topics) - 1)]
    return {"id": topic.id, "title": topic.title, "prompt": topic.prompt}


def _bubble(message: Message) -> dict[str, Any]:
    return {
        "seq": message.seq,
        "role": message.role,
        "html": render_message(message.content, role=message.role),
    }


def _header(runtime: Runtime, interview: Interview) -> dict[str, Any]:
    """What the chat's header and problem pane show after a turn."""
    state = state_of(interview)
    problem = _problem(runtime, interview)
    return {
        "phase": state.phase,
        "question_number": state.index + 1,
        "hints_used": state.hints_used,
        "awaiting_reply": interview.awaiting_reply,
        "problem": problem and {**problem, "html": render(problem["prompt"])},
    }


@router.get("/interviews/{interview_id}")
async def chat(
    request: Request, interview_id: uuid.UUID, runtime: RuntimeDep, user: BrowserUser
) -> Response:
    """The interview chat with its whole transcript."""
    interview, messages, _ = await scoring.read_complete(
        runtime=runtime, owner=user, interview_id=interview_id
    )
    if interview.status is InterviewStatus.scored:
        return RedirectResponse(f"/interviews/{interview.id}/scorecard", status_code=303)
    workspace = None
    if RoundType(interview.round) in CODE_ROUNDS and interview.status is InterviewStatus.active:
        with contextlib.suppress(Conflict):  # no runnable question now (own question, wrap-up)
            space = await code.workspace(runtime=runtime, owner=user, interview_id=interview_id)
            workspace = workspace_public(space).model_dump(mode="json")
    chosen = await users.settings_of(runtime=runtime, user=user)
    return page(
        request,
        "interview.html",
        user=user,
        workspace=workspace,
        keep_recordings=chosen.keep_recordings,
        recordings=await recordings.by_message(
            runtime=runtime, owner=user, interview_id=interview.id
        ),
        **chat_context(runtime, interview, list(messages)),
    )


def _done(runtime: Runtime, stored: ReplyStored) -> dict[str, Any]:
    return {**_bubble(stored.message), **_header(runtime, stored.interview)}


def _stream(runtime: Runtime, pending: PendingTurn, *, with_candidate: bool) -> Response:
    candidate = _bubble(pending.candidate) if with_candidate else None
    done = functools.partial(_done, runtime)
    return sse.turn_stream(runtime, pending, candidate=candidate, done=done, status_code=200)


@router.get("/interviews/{interview_id}/messages")
async def messages_since(
    interview_id: uuid.UUID,
    runtime: RuntimeDep,
    user: BrowserUser,
    after: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """The messages after `after` and the header's state: what the chat checks after a
    stopped or broken stream, to say truthfully whether the answer and its reply are stored."""
    interview, messages, _ = await scoring.read_complete(
        runtime=runtime, owner=user, interview_id=interview_id
    )
    return {
        "messages": [_bubble(m) for m in messages if m.seq > after],
        "status": interview.status,
        **_header(runtime, interview),
    }


@router.post("/interviews/{interview_id}/turn")
async def turn(
    interview_id: uuid.UUID,
    body: TurnForm,
    runtime: RuntimeDep,
    user: BrowserUser,
    _csrf: CsrfHeader,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:
    """Send an answer from the chat; the reply streams back as SSE. The chat sends a key per
    answer, so sending it again after a dropped connection never stores it twice."""
    pending = await turns.accept_answer(
        runtime=runtime,
        owner=user,
        interview_id=interview_id,
        text=body.content,
        idempotency_key=idempotency_key,
        diagram=body.diagram,
        speech=body.speech,
    )
    return _stream(runtime, pending, with_candidate=True)


@router.post("/interviews/{interview_id}/code/submit")
async def submit(
    interview_id: uuid.UUID,
    body: CodeCreate,
    runtime: RuntimeDep,
    user: BrowserUser,
    _csrf: CsrfHeader,
) -> Response:
    """Submit the editor's code: a turn whose tests run before the interviewer replies."""
    pending = await turns.accept_submission(
        runtime=runtime, owner=user, interview_id=interview_id, code_text=body.code
    )
    return _stream(runtime, pending, with_candidate=True)


@router.post("/interviews/{interview_id}/retry")
async def retry(
    interview_id: uuid.UUID,
    runtime: RuntimeDep,
    user: BrowserUser,
    _csrf: CsrfHeader,
) -> Response:
    """Regenerate the interviewer's missing reply."""
    pending = await turns.pending_turn(runtime=runtime, owner=user, interview_id=interview_id)
    return _stream(runtime, pending, with_candidate=False)


@router.post("/interviews/{interview_id}/finish")
async def finish(
    interview_id: uuid.UUID,
    runtime: RuntimeDep,
    user: BrowserUser,
    _csrf: CsrfForm,
) -> Response:
    """Finish and score, then show the scorecard."""
    await scoring.finish(runtime=runtime, owner=user, interview_id=interview_id)
    return RedirectResponse(f"/interviews/{interview_id}/scorecard", status_code=303)
