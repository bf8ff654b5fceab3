"""Helpers for driving interviews through the API in tests."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
from bs4 import BeautifulSoup
from fastapi.routing import APIRoute
from fpdf import FPDF

from app.config import Settings
from app.content.loader import Content
from app.content.models import Question
from tests.conftest import AppClient, make_settings
from tests.fake_llm import FakeLLM

API = "/api/v1"


def strong_answer(question: Question) -> str:
    """A structured answer stating every key point in the question's own evidence phrases."""
    # a story opens with what happened (the title said back would be the question read back,
    # which is never evidence); other rounds open by clarifying the goal
    opening = (
        "At my last job this happened to me, and I owned what we did about it."
        if question.round == "behavioral"
        # a title put as a question ("Is a 0.7-point gain real?") said back as the goal, not asked
        else f"First, let me clarify the goal: {question.title.lower().rstrip('?')}."
    )
    lines = [opening]
    for point in question.key_points:
        lines.append(
            f"Then, {point.text} In other words, {point.phrases[0]}, because it matters; "
            f"I measured it as a 30% improvement."
        )
    if question.expected_complexity:
        lines.append(f"The complexity is {question.expected_complexity}.")
    if question.round in ("coding", "ml_coding"):
        lines.append("def solve(items):\n    return sorted(items)")
        lines.append("Finally, I would test edge cases such as an empty input and duplicates.")
    return "\n".join(lines)


def weak_answer() -> str:
    """An on-topic-sounding answer that evidences nothing."""
    return "I think it depends on the situation and I would try something reasonable."


async def run_interview(
    api: httpx2.AsyncClient,
    auth: dict[str, str],
    content: Content,
    round_id: str,
    *,
    max_turns: int = 30,
    answer=strong_answer,
    extra: str = "",
    question_id: str | None = None,
) -> dict[str, Any]:
    """Start an interview and answer until the interviewer closes; return the interview."""
    body = {"round": round_id, "question_id": question_id}
    created = await api.post("/api/v1/interviews", json=body, headers=auth)
    assert created.status_code == 201, created.text
    interview = created.json()
    for _ in range(max_turns):
        if interview.get("phase") == "closed":
            break
        current = _current_question(api, interview, content)
        text = answer(current) + extra if current else "No questions from me, thank you."
        reply = await api.post(
            f"/api/v1/interviews/{interview['id']}/messages", json={"content": text}, headers=auth
        )
        assert reply.status_code == 201, reply.text
        interview = (await api.get(f"/api/v1/interviews/{interview['id']}", headers=auth)).json()
    assert interview["phase"] == "closed", interview["messages"][-3:]
    return interview


def _current_question(
    api: httpx2.AsyncClient, interview: dict[str, Any], content: Content
) -> Question | None:
    current = interview.get("current_question_id")
    return content.questions.get(current) if current else None


def parse_sse(body: str) -> list[tuple[str, Any]]:
    """The (event, data) pairs of an SSE body."""
    events = []
    for frame in body.strip().split("\n\n"):
        name, data = "message", ""
        for line in frame.splitlines():
            if line.startswith("event: "):
                name = line[len("event: ") :]
            elif line.startswith("data: "):
                data += line[len("data: ") :]
        events.append((name, json.loads(data) if data else None))
    return events


# --- the web app, as a browser uses it

PAGE = {"Accept": "text/html"}


def soup(response: httpx2.Response) -> BeautifulSoup:
    """The page, parsed."""
    return BeautifulSoup(response.text, "html.parser")


def csrf_of(response: httpx2.Response) -> str:
    """The CSRF token a page carries."""
    return soup(response).find("meta", attrs={"name": "csrf-token"})["content"]


async def browser_sign_up(client: httpx2.AsyncClient, username: str = "webuser") -> str:
    """Sign up through the pages; the session's CSRF token."""
    form = await client.get("/signup", headers=PAGE)
    token = csrf_of(form)
    response = await client.post(
        "/signup",
        headers=PAGE,
        data={
            "username": username,
            "password": "long enough to pass",
            "confirm": "long enough to pass",
            "csrf_token": token,
        },
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/"
    return token


async def start_in_browser(client: httpx2.AsyncClient, token: str, **form: str) -> str:
    """Start an interview from the home page's form; its id."""
    data = {"csrf_token": token, "round": "behavioral", "question_choice": "random", **form}
    response = await client.post("/interviews", headers=PAGE, data=data)
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[1]


async def send_in_browser(
    client: httpx2.AsyncClient, token: str, interview_id: str, text: str
) -> str:
    """Answer in the web chat (streamed); the SSE body."""
    response = await client.post(
        f"/interviews/{interview_id}/turn",
        json={"content": text},
        headers={"X-CSRF-Token": token, "Accept": "text/event-stream"},
    )
    assert response.status_code == 200
    return response.text


# --- the app's routes and an LLM on loopback

def every_route(routes) -> list[APIRoute]:
    """The app's routes, including those of included routers (FastAPI keeps them nested)."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found += every_route(route.original_router.routes)
    return found


def llm_settings(database_url: str, fake: FakeLLM, **overrides: Any) -> Settings:
    """Settings for an app whose LLM is the fake server."""
    values = dict(
        llm="openai",
        openai_api_key="test-key",
        openai_base_url=fake.base_url,
        model="fake-model",
        llm_max_retries=1,
        llm_timeout_seconds=5,
        # these tests count the voice's and the grader's calls; the LLM assessor's own call
        # per turn has its tests in test_llm_assessor.py
        assessor="offline",
    )
    values.update(overrides)
    return make_settings(database_url, **values)


# --- a question an LLM writes about a project of the candidate's CV

# a behavioral question about the CV's "Tiny Transformer from scratch" (tests/test_tailoring.py)
CV_QUESTION: dict[str, Any] = {
    "project": "Tiny Transformer from scratch",
    "title": "Your tiny transformer",
    "prompt": (
        "Tell me about the time you built Tiny Transformer from scratch: what were you trying "
        "to learn, and what did you do yourself?"
    ),
    "key_points": [
        {
            "id": "Masking Bug",  # the model's id, made a slug
            "text": "Explains how they tracked down the bug in the causal attention mask.",
            "phrases": ["causal mask", "attention mask"],
            "weight": 2,
            "criterion": "action_ownership",
        },
        {
            "id": "numpy-only",
            "text": "Says why they wrote it in plain NumPy and what that cost in speed.",
            "phrases": ["plain numpy", "without autograd"],
            "weight": 1,
            "criterion": "context",
        },
        {
            "id": "perplexity",
            "text": "Gives the validation perplexity it reached against a bigram baseline.",
            "phrases": ["perplexity", "bigram baseline"],
            "weight": 2,
            "criterion": "result_impact",
        },
        {
            "id": "in-hindsight",
            "text": "Says what they would change about the tokenizer if they built it again.",
            "phrases": ["byte pair encoding", "the tokenizer again"],
            "weight": 1,
            "criterion": "reflection",
        },
    ],
    "follow_ups": [
        {"key_point": "masking-bug", "prompt": "What was the hardest bug, and how was it found?"},
        {"key_point": "perplexity", "prompt": "How did you know the model was any good?"},
    ],
    "hints": [
        "Start with why you wanted to build it.",
        "Walk me through one problem you solved yourself.",
        "Say how you measured that it worked.",
    ],
}


def is_cv_question_call(body: dict[str, Any]) -> bool:
    """Whether a chat completion asks for a question about the candidate's CV."""
    return "about a project the candidate names in their CV" in body["messages"][0]["content"]


def writing_cv_question(reply: Any, otherwise: Any = None):
    """A json responder answering the CV question's call with `reply` (a reply, or a responder)
    and the other calls with `otherwise` (a responder); the CV question's requests are recorded
    in `.asked`."""

    def respond(body: dict[str, Any]) -> Any:
        if is_cv_question_call(body):
            respond.asked.append(body)  # type: ignore[attr-defined]
            return reply(body) if callable(reply) else reply
        if otherwise is None:
            raise AssertionError("only the CV question is asked for in JSON here")
        return otherwise(body)

    respond.asked = []  # type: ignore[attr-defined]
    return respond


async def answer_until_closed(
    api: httpx2.AsyncClient,
    auth: dict[str, str],
    content: Content,
    interview: dict[str, Any],
    *,
    answer=strong_answer,
) -> dict[str, Any]:
    """Answer an already started interview until the interviewer closes, then score it."""
    for _ in range(30):
        if interview["phase"] == "closed":
            break
        current = content.questions.get(interview.get("current_question_id") or "")
        text = answer(current) if current else "No questions from me, thank you."
        reply = await api.post(
            f"{API}/interviews/{interview['id']}/messages", json={"content": text}, headers=auth
        )
        assert reply.status_code == 201, reply.text
        interview = (await api.get(f"{API}/interviews/{interview['id']}", headers=auth)).json()
    finished = await api.post(f"{API}/interviews/{interview['id']}/finish", headers=auth)
    assert finished.status_code == 200, finished.text
    return finished.json()


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def controlled_clock(client: AppClient) -> Clock:
    """Put the app on a clock the test moves by hand, from 2026-12-07 10:00 UTC."""
    clock = Clock(datetime(2026, 12, 7, 10, 0, tzinfo=UTC))
    client.app.state.runtime = dataclasses.replace(client.runtime, clock=clock)
    return clock


async def weak_interview(
    client: httpx2.AsyncClient, auth: dict[str, str], content: Content, question: str
) -> dict:
    """An ML theory interview on the question, answered weakly to the end, then scored."""
    started = await client.post(
        f"{API}/interviews", json={"round": "ml_theory", "question_id": question}, headers=auth
    )
    assert started.status_code == 201
    return await answer_until_closed(
        client, auth, content, started.json(), answer=lambda q: weak_answer()
    )


FRAUD_JOB = """Machine Learning Engineer, Risk
Fraud detection on streaming payments: a real-time feature store (Redis, Cassandra), graph
features and anomaly detection on imbalanced data."""
CV = """Ada Lovelace
EXPERIENCE
Senior ML Engineer, Acme Corp (2021-2024)
- Built a real-time fraud detection pipeline with Kafka and Redis, cutting losses by 30%
- Led the migration of batch scoring to streaming
PROJECTS
- Tiny Transformer from scratch: a GPT in 60 lines of NumPy
- Sparse Mixture of Experts routing (NeurIPS workshop 2023)
EDUCATION
MSc Computer Science
"""


def pdf_of(text: str) -> bytes:
    """A one-page PDF of the text, line by line."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in text.splitlines():
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
