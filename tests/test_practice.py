"""The practice plan on a controlled clock: a missed point returns as a due drill on a later day,
the drill's result reschedules it, mastery per topic follows."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import httpx2

from app.content.loader import Content
from tests.conftest import sign_up
from tests.helpers import controlled_clock, weak_interview

API = "/api/v1"


async def test_a_missed_point_returns_as_a_due_drill_on_a_later_day(
    client: httpx2.AsyncClient, auth: dict[str, str], content: Content, monkeypatch
) -> None:
    def no_sleep(seconds: float) -> None:  # fsrs's default card id sleeps 1 ms per card
        raise AssertionError("a new practice card slept on the event loop")

    monkeypatch.setattr("fsrs.card.time", SimpleNamespace(sleep=no_sleep))
    clock = controlled_clock(client)
    question = content.questions_for("ml_theory")[0]
    scored = await weak_interview(client, auth, content, question.id)
    missed = {m["key_point_id"] for m in scored["scorecard"]["missed_points"]}
    assert missed
    plan = (await client.get(f"{API}/practice", headers=auth)).json()
    key_points = [i for i in plan["items"] if i["kind"] == "key_point"]
    assert len(key_points) == len(missed)
    assert plan["due_count"] == 0, "nothing is drilled the day it was missed"

    clock.advance(days=1)
    plan = (await client.get(f"{API}/practice", headers=auth)).json()
    assert plan["due_count"] == len(plan["items"])
    due = [i for i in plan["due_today"] if i["kind"] == "key_point"]
    assert {i["title"] for i in due} == {question.title}

    # the drill asks the follow-up for the point, and reveals the point only afterwards
    good_item, bad_item = due[0], due[1]
    drill = (await client.get(f"{API}/practice/items/{good_item['id']}", headers=auth)).json()
    point_id = next(
        p.id
        for p in question.key_points
        if any(f.prompt == drill["prompt"] for f in question.follow_ups if f.key_point == p.id)
    )
    point = next(p for p in question.key_points if p.id == point_id)
    assert point.text not in str(drill)
    good = await client.post(
        f"{API}/practice/items/{good_item['id']}/drill",
        json={"answer": f"{point.text} In short, {point.phrases[0]}."},
        headers=auth,
    )
    assert good.status_code == 200, good.text
    good = good.json()
    assert good["status"] == "covered" and good["rating"] == "good"
    assert good["reveal"] == point.text
    bad = (
        await client.post(
            f"{API}/practice/items/{bad_item['id']}/drill",
            json={"answer": "I am not sure, something about computers."},
            headers=auth,
        )
    ).json()
    assert bad["rating"] == "again"
    # the plan adapts: a point explained well comes back later than one missed again
    good_due = datetime.fromisoformat(good["next_due"])
    bad_due = datetime.fromisoformat(bad["next_due"])
    assert clock.now < bad_due < good_due
    plan = (await client.get(f"{API}/practice", headers=auth)).json()
    assert good_item["id"] not in {i["id"] for i in plan["due_today"]}
    topic = next(m for m in plan["mastery"] if m["topic"] == good_item["topic"])
    assert 0 < topic["mastery"] < 1

    # the missed-again point is due once more on a later day
    clock.advance(days=(bad_due - clock.now).days + 1)
    plan = (await client.get(f"{API}/practice", headers=auth)).json()
    assert bad_item["id"] in {i["id"] for i in plan["due_today"]}


async def test_missing_a_point_again_brings_it_forward_without_a_duplicate(
    client: httpx2.AsyncClient, auth: dict[str, str], content: Content
) -> None:
    clock = controlled_clock(client)
    question = content.questions_for("ml_theory")[1]
    await weak_interview(client, auth, content, question.id)
    first = (await client.get(f"{API}/practice", headers=auth)).json()["items"]
    clock.advance(days=3)
    await weak_interview(client, auth, content, question.id)
    again = (await client.get(f"{API}/practice", headers=auth)).json()["items"]
    assert len(again) == len(first)
    assert all(i["lapses"] == 1 for i in again if i["kind"] == "key_point")


async def test_drills_are_private_and_answers_are_checked(
    client: httpx2.AsyncClient, auth: dict[str, str], content: Content
) -> None:
    controlled_clock(client)
    await weak_interview(client, auth, content, content.questions_for("ml_theory")[2].id)
    item = (await client.get(f"{API}/practice", headers=auth)).json()["items"][0]
    for body in ({"answer": ""}, {"answer": "x" * 5_001}, {"answer": "a\x00b"}, {}):
        response = await client.post(
            f"{API}/practice/items/{item['id']}/drill", json=body, headers=auth
        )
        assert response.status_code == 422, body
    mallory = await sign_up(client, "mallory")
    assert (
        await client.get(f"{API}/practice/items/{item['id']}", headers=mallory)
    ).status_code == 404
    posted = await client.post(
        f"{API}/practice/items/{item['id']}/drill", json={"answer": "mine now"}, headers=mallory
    )
    assert posted.status_code == 404
    assert (await client.get(f"{API}/practice", headers=mallory)).json()["items"] == []
    assert (await client.get(f"{API}/practice")).status_code == 401
