"""The LLM assessor: one structured call a turn, its reading checked, the offline one on failure.

Through the real openai client against the fake OpenAI-compatible server on loopback."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from app.store.models import Message
from tests.conftest import AppClient, app_client, sign_up
from tests.fake_llm import FakeLLM
from tests.helpers import llm_settings

API = "/api/v1"
QUESTION = "container-with-most-water"
ANSWER = (
    "I'd put one pointer at each end of the array and always step inward from the shorter "
    "wall, since the shorter wall caps every container that keeps it. That's one pass."
)


def _assessing(reply: dict[str, Any] | str):
    """A json responder that answers the assessor's call with `reply` (and records it)."""
    asked: list[dict[str, Any]] = []

    def respond(body: dict[str, Any]) -> dict[str, Any] | str:
        if "You assess one message" in body["messages"][0]["content"]:
            asked.append(body)
            return reply
        raise AssertionError("only the assessor answers in JSON in these tests")

    return respond, asked


async def _started(api: AppClient) -> tuple[dict[str, str], str]:
    """A signed-in user's headers, and the messages URL of their new interview on QUESTION."""
    auth = await sign_up(api)
    started = await api.post(
        f"{API}/interviews", json={"round": "coding", "question_id": QUESTION}, headers=auth
    )
    return auth, f"{API}/interviews/{started.json()['id']}/messages"


async def _one_turn(database_url: str, fake: FakeLLM) -> tuple[dict, Message, Message]:
    async with app_client(llm_settings(database_url, fake, assessor="llm")) as api:
        auth, url = await _started(api)
        turn = await api.post(url, json={"content": ANSWER}, headers=auth)
        assert turn.status_code == 201, turn.text
        async with api.runtime.reading() as session:
            rows = (await session.exec(select(Message).order_by(Message.seq))).all()
    _, candidate, reply = rows
    return turn.json(), candidate, reply


async def test_the_llm_reading_decides_the_move_and_is_stored(
    database_url: str, fake_llm: FakeLLM
) -> None:
    # the candidate explains the two-pointer idea in words the bank's phrases do not use; the
    # model's reading credits it, so the interviewer does not ask about it again
    reply = {
        "intents": ["answer"],
        "key_points": [
            {"id": "two-pointer-ends", "status": "covered", "quote": "one pointer at each end"},
            {"id": "why-shorter-moves", "status": "covered",
             "quote": "the shorter wall caps every container that keeps it"},
            {"id": "ties", "status": "covered", "quote": "words the candidate never said"},
            {"id": "made-up-point", "status": "covered", "quote": "one pass"},
        ],
        "claims": [{"quote": "That's one pass.", "note": "fine"}],
        "keyword_list": False,
    }
    fake_llm.json_responder, asked = _assessing(reply)
    turn, stored, reply_row = await _one_turn(database_url, fake_llm)
    (request,) = asked
    assert request["temperature"] == 0 and "seed" in request  # repeatable
    assert "<candidate>" in request["messages"][1]["content"]
    assessment = stored.assessment
    assert assessment is not None and assessment["backend"] == "llm"
    status = {p["id"]: p["status"] for p in assessment["key_points"]}
    assert status["two-pointer-ends"] == status["why-shorter-moves"] == "covered"
    assert status["ties"] == "not_addressed"  # its quote was never said: no credit
    assert "made-up-point" not in status
    assert turn["interviewer"]["move"]["kind"] != "hint"
    assert reply_row.move is not None  # the whole move, as stored
    assert reply_row.move["target_id"] not in ("two-pointer-ends", "why-shorter-moves")


@pytest.mark.parametrize("broken", ["{not json", {"intents": []}])
async def test_an_unusable_llm_reading_leaves_the_offline_one_and_the_turn_succeeds(
    database_url: str, fake_llm: FakeLLM, broken: Any
) -> None:
    fake_llm.json_responder, asked = _assessing(broken)
    turn, stored, _ = await _one_turn(database_url, fake_llm)
    assert len(asked) == 2  # asked once more, then the offline reading stands
    assert turn["interviewer"]["content"]
    assert stored.assessment is not None and stored.assessment["backend"] == "offline"


async def test_a_hint_the_model_missed_is_still_a_hint(
    database_url: str, fake_llm: FakeLLM
) -> None:
    fake_llm.json_responder, _ = _assessing({"intents": ["answer"], "key_points": []})
    async with app_client(llm_settings(database_url, fake_llm, assessor="llm")) as api:
        auth, url = await _started(api)
        text = "Maybe two loops over every pair? I'm not sure that's fast enough. Can I get a hint?"
        turn = await api.post(url, json={"content": text}, headers=auth)
    assert turn.json()["interviewer"]["move"]["kind"] == "hint"


async def test_thinking_aloud_is_given_time_without_asking_the_model(
    database_url: str, fake_llm: FakeLLM
) -> None:
    # a model reads "hmm, give me a sec" as a too-short answer or a "don't know"; there is
    # nothing said yet to read, and the interviewer waits
    fake_llm.json_responder, asked = _assessing({"intents": ["dont_know"], "key_points": []})
    async with app_client(llm_settings(database_url, fake_llm, assessor="llm")) as api:
        auth, url = await _started(api)
        turn = await api.post(url, json={"content": "hmm, give me a sec"}, headers=auth)
        async with api.runtime.reading() as session:
            stored = (await session.exec(select(Message).order_by(Message.seq))).all()[1]
    assert turn.json()["interviewer"]["move"]["kind"] == "encourage"
    assert asked == []
    assert stored.assessment is not None and "thinking" in stored.assessment["intents"]
