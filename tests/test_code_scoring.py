"""The scorecard's correctness criterion rests on the hidden tests, quoting the submitted code."""

from __future__ import annotations

import httpx2
import pytest

from app.content.loader import Content
from app.content.models import RoundType
from app.engine.state import InterviewState
from app.engine.topics import bank_topic
from app.scoring.answers import Submission, group_answers
from app.scoring.evidence import CandidateMessage
from app.scoring.llm_grader import TranscriptLine, grader_messages

EXPLANATION = (
    "I would use a hash map from value to index, one pass, checking target minus the value "
    "before inserting, so the time complexity is O(n) and the space is O(n)."
)
WRONG = "def two_sum(nums, target):\n    return (0, 1)\n"


async def _scored(api: httpx2.AsyncClient, auth: dict[str, str], code: str) -> dict:
    created = await api.post(
        "/api/v1/interviews", json={"round": "coding", "question_id": "two-sum"}, headers=auth
    )
    interview = created.json()["id"]
    said = await api.post(
        f"/api/v1/interviews/{interview}/messages", json={"content": EXPLANATION}, headers=auth
    )
    assert said.status_code == 201, said.text
    submitted = await api.post(
        f"/api/v1/interviews/{interview}/code/submit", json={"code": code}, headers=auth
    )
    assert submitted.status_code == 201, submitted.text
    finished = await api.post(f"/api/v1/interviews/{interview}/finish", headers=auth)
    assert finished.status_code == 200, finished.text
    return finished.json()["scorecard"]


def _criterion(card: dict, criterion_id: str) -> dict:
    return next(c for c in card["criteria"] if c["id"] == criterion_id)


@pytest.mark.usefixtures("sandbox")
async def test_correctness_follows_the_hidden_tests_and_quotes_the_code(
    client: httpx2.AsyncClient, auth: dict[str, str], content: Content
) -> None:
    solution = content.questions["two-sum"].code.solution
    passing = _criterion(await _scored(client, auth, solution), "correctness")
    failing = _criterion(await _scored(client, auth, WRONG), "correctness")
    assert passing["score"] > failing["score"]
    hidden = len(content.questions["two-sum"].code.tests) - 2
    assert f"passed {hidden}/{hidden} hidden tests" in passing["rationale"]
    assert f"/{hidden} hidden tests" in failing["rationale"]
    assert f"passed {hidden}/{hidden}" not in failing["rationale"]
    assert any("def two_sum(nums, target):" in e["quote"] for e in passing["evidence"])
    assert any("return (0, 1)" in e["quote"] for e in failing["evidence"])


def test_the_last_submission_of_a_question_is_the_one_graded(content: Content) -> None:
    question = content.questions["two-sum"]
    spec = content.rounds[RoundType.coding]
    topic = bank_topic(question, spec)
    state = InterviewState(
        round=RoundType.coding,
        plan=[topic.id],
        budget_seconds=60,
        progress=[{"topic_id": "two-sum"}],
    )
    first = Submission("two-sum", 2, "def two_sum(a, b):\n    return 1", "failed", 0, 5)
    last = Submission("two-sum", 4, "def two_sum(a, b):\n    return 2", "passed", 5, 5)
    messages = [CandidateMessage(seq=2, content="x"), CandidateMessage(seq=4, content="y")]
    (group,) = group_answers(messages, state, [topic], spec, [first, last])
    assert group.submission == last
    prompt = grader_messages(
        prompts=content.prompts,
        rubric=content.rubrics[RoundType.coding],
        spec=spec,
        groups=[group],
        transcript=[TranscriptLine(seq=4, role="candidate", content=last.code)],
    )[1]["content"]
    assert "passed 5 of 5 hidden tests" in prompt
