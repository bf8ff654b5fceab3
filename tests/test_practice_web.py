"""The practice plan in the web app: due today on Home, one click to a drill, its result, the
plan and mastery on Progress."""

from __future__ import annotations

import httpx2

from app.content.loader import Content
from tests.helpers import PAGE, browser_sign_up, controlled_clock, soup, weak_interview


async def _bearer(client: httpx2.AsyncClient, username: str) -> dict[str, str]:
    token = await client.post(
        "/api/v1/auth/token", data={"username": username, "password": "long enough to pass"}
    )
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


async def test_a_due_drill_from_home_to_its_result(
    client: httpx2.AsyncClient, content: Content
) -> None:
    clock = controlled_clock(client)
    csrf = await browser_sign_up(client, "driller")
    auth = await _bearer(client, "driller")
    question = content.questions_for("ml_theory")[0]
    scored = await weak_interview(client, auth, content, question.id)
    card = soup(await client.get(f"/interviews/{scored['id']}/scorecard", headers=PAGE))
    in_plan = card.select_one("#in-plan")  # the scorecard says where its misses went
    assert in_plan is not None and in_plan.select_one("a[href='/practice']")
    assert in_plan.select_one("time[datetime]")
    home = soup(await client.get("/", headers=PAGE))
    assert not home.select_one("#start-drill"), "nothing is due the day it was missed"

    clock.advance(days=1)
    home = soup(await client.get("/", headers=PAGE))
    link = home.select_one("#start-drill")
    assert link.get_text().endswith(question.title)
    drill = soup(await client.get(link["href"], headers=PAGE))
    prompt = drill.select_one("#drill-prompt").get_text()
    assert any(f.prompt == prompt for f in question.follow_ups)
    assert drill.select_one("textarea[name=answer]")
    answered = await client.post(
        link["href"], headers=PAGE, data={"csrf_token": csrf, "answer": "No idea, sorry."}
    )
    assert answered.status_code == 200
    result = soup(answered).select_one("#drill-result")
    assert "Not yet" in result.get_text()
    assert "What a strong answer covers" in result.get_text()
    assert soup(answered).select_one("#next-drill")  # more are due today

    plan = soup(await client.get("/practice", headers=PAGE))
    assert plan.select("#due-today li")
    assert plan.select("#mastery li")
    progress = soup(await client.get("/progress", headers=PAGE))
    assert progress.select_one("#mastery")
    blank = await client.post(link["href"], headers=PAGE, data={"csrf_token": csrf, "answer": ""})
    assert blank.status_code == 422
    forged = await client.post(link["href"], headers=PAGE, data={"answer": "hello"})
    assert forged.status_code == 403

    client.cookies.clear()
    intruder = await browser_sign_up(client, "intruder")
    assert (await client.get(link["href"], headers=PAGE)).status_code == 404
    stolen = await client.post(
        link["href"], headers=PAGE, data={"csrf_token": intruder, "answer": "mine"}
    )
    assert stolen.status_code == 404
    assert not soup(await client.get("/practice", headers=PAGE)).select("#due-today li")
