"""Each interviewer message says which move it voices, in the API and in the JSON transcript."""

from __future__ import annotations

import httpx2

from tests.helpers import PAGE, browser_sign_up, soup
from tests.helpers import send_in_browser as send
from tests.helpers import start_in_browser as start

API = "/api/v1"


async def test_interviewer_messages_carry_their_move(
    client: httpx2.AsyncClient, auth: dict
) -> None:
    created = await client.post(
        f"{API}/interviews",
        json={"round": "ml_theory", "question_id": "categorical-encodings"},
        headers=auth,
    )
    assert created.status_code == 201, created.text
    interview_id = created.json()["id"]
    for text in ("Can I get a hint?", "One-hot encoding gives each country its own binary column."):
        answer = await client.post(
            f"{API}/interviews/{interview_id}/messages", json={"content": text}, headers=auth
        )
        assert answer.status_code == 201, answer.text
        assert answer.json()["interviewer"]["move"]["kind"]
    detail = (await client.get(f"{API}/interviews/{interview_id}", headers=auth)).json()
    opening, _, hint, _, reply = detail["messages"]
    assert opening["move"] is None  # the opening is no decision about an answer
    assert hint["move"]["kind"] == "hint"
    assert reply["move"]["kind"] != "hint" and set(reply["move"]) == {"kind", "target_id", "reason"}
    assert all(m["move"] is None for m in detail["messages"] if m["role"] == "candidate")
    exported = await client.get(
        f"{API}/interviews/{interview_id}/transcript", params={"format": "json"}, headers=auth
    )
    assert [m["move"] for m in exported.json()["messages"]] == [
        m["move"] for m in detail["messages"]
    ]


async def test_the_review_page_says_why_each_question_was_asked(
    client: httpx2.AsyncClient,
) -> None:
    token = await browser_sign_up(client)
    question = {"question_choice": "bank", "question_id": "categorical-encodings"}
    interview_id = await start(client, token, round="ml_theory", **question)
    await send(client, token, interview_id, "Could I get a hint, please?")
    during = soup(await client.get(f"/interviews/{interview_id}", headers=PAGE))
    assert during.select(".msg.interviewer") and not during.select(".why")  # not mid-interview
    finish = await client.post(
        f"/interviews/{interview_id}/finish", headers=PAGE, data={"csrf_token": token}
    )
    page = soup(await client.get(finish.headers["location"], headers=PAGE))
    notes = [" ".join(n.get_text().split()) for n in page.select(".msg.interviewer .why")]
    assert notes and notes[0].startswith("Why this: hint")


async def test_linear_time_claimed_for_the_code_sent_earlier_is_challenged(
    client: httpx2.AsyncClient, auth: dict
) -> None:
    created = await client.post(
        f"{API}/interviews", json={"round": "coding", "question_id": "three-sum"}, headers=auth
    )
    interview_id = created.json()["id"]
    code = (
        "I'll sort, then for each i look at the later numbers.\n\n```python\n"
        "def three_sum(nums):\n    nums.sort()\n    found = set()\n"
        "    for i in range(len(nums)):\n        seen = set()\n"
        "        for j in range(i + 1, len(nums)):\n            need = -nums[i] - nums[j]\n"
        "            if need in seen:\n                found.add((nums[i], need, nums[j]))\n"
        "            seen.add(nums[j])\n    return [list(t) for t in found]\n```"
    )
    claim = "This is O(n) overall because we just go through the array once."
    moves = []
    for text in (code, claim):
        answer = await client.post(
            f"{API}/interviews/{interview_id}/messages", json={"content": text}, headers=auth
        )
        assert answer.status_code == 201, answer.text
        moves.append(answer.json()["interviewer"]["move"]["kind"])
    assert moves[0] != "challenge" and moves[1] == "challenge"
