"""Helpers for driving interviews through the API in tests."""

from __future__ import annotations

import json
from typing import Any

import httpx2

from app.content.loader import Content
from app.content.models import Question


def strong_answer(question: Question) -> str:
    """A structured answer stating every key point in the question's own evidence phrases."""
    lines = [f"First, I would clarify the goal: {question.title.lower()}."]
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
