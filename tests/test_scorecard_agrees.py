"""The scorecard agrees with the interview about what was said: the offline scorer grades from
the assessment the director decided from (stored with each message), and assesses the text with
the same offline assessor only when a message has none.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlmodel import col, select, update

from app.content.loader import Content
from app.engine.assessment import Assessment, ItemStatus
from app.engine.intent import Intent
from app.engine.state import InterviewState
from app.engine.topics import bank_topic
from app.evaluation.simulate import interview, score
from app.scoring.answers import group_answers
from app.scoring.evidence import CandidateMessage
from app.store.models import Message
from tests.conftest import AppClient

API = "/api/v1"
QUESTION = "container-with-most-water"
WRONG = (
    "Two pointers at the ends. I'd always move the pointer at the taller line inward, "
    "because the taller line is the bottleneck for the area."
)
PARAPHRASE = (
    "Start with a pointer at each end of the array and step the one at the shorter line "
    "inward. The shorter line can never be part of a better answer."
)

# (question, what the candidate says, key point, whether it earns credit)
SAID = {
    "negated": (
        "top-k-frequent",
        "I'm not using a heap here, I don't know about log k; I count, then sort by count.",
        "size-k-heap",
        False,
    ),
    "keyword list": (
        "cross-entropy-justification",
        "- cross-entropy\n- maximum likelihood\n- KL divergence\n- p minus y\n- convexity",
        "maximum-likelihood",
        False,
    ),
    "wrong, in the point's own words": (QUESTION, WRONG, "two-pointer-ends", False),
    "paraphrase": (QUESTION, PARAPHRASE, "why-shorter-moves", True),
    "plain statement": (
        "top-k-frequent",
        "I keep a min-heap capped at k entries while I scan the counts.",
        "size-k-heap",
        True,
    ),
}


@pytest.mark.parametrize("case", list(SAID))
def test_the_interviewer_and_the_scorecard_credit_the_same_answers(
    content: Content, case: str
) -> None:
    question, said, point, earns = SAID[case]
    transcript = interview(content, question, [said])
    card = score(content, transcript)
    credited = point not in {m.key_point_id for m in card.missed_points}
    assert credited is earns, card.missed_points
    assert (point in transcript.state.progress[0].covered) is earns
    if earns:  # and the scorecard quotes what earned it
        assert any(e.quote in said for c in card.criteria for e in c.evidence)


def test_a_model_reading_a_keyword_list_leaves_no_evidence(content: Content) -> None:
    # terms run together in a sentence the lexical rules take for prose; the LLM assessor flagged
    # a list of terms where an explanation should be, so none of it is quoted or read as answer
    question = content.questions[QUESTION]
    spec = content.rounds[question.round]
    topic = bank_topic(question, spec)
    said = "Two pointers greedy shorter line moves inward linear time constant space overall."
    unread = tuple(ItemStatus(id=p.id, status="not_addressed") for p in topic.key_points)
    flagged = Assessment(
        intents=(Intent.answer,), key_points=unread, keyword_list=True, backend="llm"
    )
    state = InterviewState(
        round=question.round, plan=[topic.id], budget_seconds=60, progress=[{"topic_id": topic.id}]
    )
    for assessment, evidence in ((flagged, False), (None, True)):
        message = CandidateMessage(seq=2, content=said, assessment=assessment)
        (group,) = group_answers([message], state, [topic], spec)
        assert bool(group.sentences) is evidence and bool(group.answer_texts) is evidence


async def _answered(api: AppClient, auth: dict[str, str], said: list[str]) -> tuple[str, list]:
    created = await api.post(
        f"{API}/interviews", json={"round": "coding", "question_id": QUESTION}, headers=auth
    )
    interview_id = created.json()["id"]
    moves = []
    for text in said:
        turn = await api.post(
            f"{API}/interviews/{interview_id}/messages", json={"content": text}, headers=auth
        )
        assert turn.status_code == 201, turn.text
        moves.append(turn.json()["interviewer"]["move"]["kind"])
    return interview_id, moves


async def _scorecard(api: AppClient, auth: dict[str, str], interview_id: str) -> dict[str, Any]:
    finished = await api.post(f"{API}/interviews/{interview_id}/finish", headers=auth)
    assert finished.status_code == 200, finished.text
    card: dict[str, Any] = finished.json()["scorecard"]
    return card


def _missed(card: dict[str, Any]) -> set[str]:
    return {m["key_point_id"] for m in card["missed_points"]}


def _quotes(card: dict[str, Any]) -> list[str]:
    return [e["quote"] for c in card["criteria"] for e in c["evidence"]]


def _message(interview_id: str, seq: int) -> Any:
    return (col(Message.interview_id) == uuid.UUID(interview_id)) & (col(Message.seq) == seq)


async def _set_assessment(
    api: AppClient, interview_id: str, seq: int, assessment: dict | None
) -> None:
    async with api.runtime.writing() as session:
        await session.exec(
            update(Message).where(_message(interview_id, seq)).values(assessment=assessment)
        )
        await session.commit()


async def _stored(api: AppClient, interview_id: str, seq: int) -> dict[str, Any]:
    async with api.runtime.reading() as session:
        message = (await session.exec(select(Message).where(_message(interview_id, seq)))).one()
    assert message.assessment is not None
    return message.assessment


async def test_a_wrong_claim_challenged_in_the_interview_earns_nothing_on_the_scorecard(
    client: AppClient, auth: dict[str, str]
) -> None:
    interview_id, moves = await _answered(client, auth, [WRONG])
    assert moves == ["challenge"]
    card = await _scorecard(client, auth, interview_id)
    assert "two-pointer-ends" in _missed(card)
    assert not any("taller" in q for q in _quotes(card)), _quotes(card)


async def test_the_scorecard_grades_from_the_stored_assessment(
    client: AppClient, auth: dict[str, str]
) -> None:
    # as stored: the paraphrase the assessor credited is credited and quoted
    first, _ = await _answered(client, auth, [PARAPHRASE])
    stored = await _stored(client, first, 2)
    assert {p["id"]: p["status"] for p in stored["key_points"]}["why-shorter-moves"] == "covered"
    card = await _scorecard(client, auth, first)
    assert "why-shorter-moves" not in _missed(card)
    assert any("shorter line" in q for q in _quotes(card))
    # the same words, but the interview read them as wrong: the scorecard follows the interview
    second, _ = await _answered(client, auth, [PARAPHRASE])
    wrong = {
        **stored,
        "key_points": [
            {**p, "status": "wrong"} if p["id"] == "why-shorter-moves" else p
            for p in stored["key_points"]
        ],
    }
    await _set_assessment(client, second, 2, wrong)
    card = await _scorecard(client, auth, second)
    assert "why-shorter-moves" in _missed(card)


async def test_an_answer_stored_without_an_assessment_is_assessed_by_the_offline_assessor(
    client: AppClient, auth: dict[str, str]
) -> None:
    later = "At each step I'd move the taller one inward."  # wrong on the first point only
    interview_id, _ = await _answered(client, auth, [PARAPHRASE, later])
    await _set_assessment(client, interview_id, 2, None)  # an older transcript: none stored
    unreadable = {"intents": ["answer"], "backend": "an older version"}
    await _set_assessment(client, interview_id, 4, unreadable)
    card = await _scorecard(client, auth, interview_id)
    assert "why-shorter-moves" not in _missed(card)  # the paraphrase, assessed again
    assert "two-pointer-ends" in _missed(card)  # taken back by the wrong claim, assessed again
    assert any("shorter line" in q for q in _quotes(card))
