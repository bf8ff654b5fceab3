"""The HTML pages, parsed (no substring checks on markup): sessions, CSRF, escaping, ownership."""

from __future__ import annotations

import json
import re

import httpx2
import pytest
from bs4 import BeautifulSoup

from app.content.loader import Content
from app.content.models import RoundType
from tests.helpers import PAGE, browser_sign_up, soup
from tests.helpers import send_in_browser as send
from tests.helpers import start_in_browser as start

XSS = '<script>alert("x")</script><img src=x onerror="alert(1)"> **bold** [a](javascript:alert(1))'


async def test_pages_need_a_session(client: httpx2.AsyncClient) -> None:
    for path in ("/history", "/progress", "/interviews/00000000-0000-0000-0000-000000000000"):
        response = await client.get(path, headers=PAGE)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
    home = await client.get("/", headers=PAGE)
    assert home.headers["location"] == "/login"


async def test_an_expired_session_says_so(client: httpx2.AsyncClient) -> None:
    client.cookies.set("onsite_session", "expired-or-forged")
    response = await client.get("/history", headers=PAGE)
    assert "expired=1" in response.headers["location"]
    page = await client.get(response.headers["location"], headers=PAGE)
    notice = soup(page).find(attrs={"role": "status"})
    assert "session expired" in notice.get_text()


async def test_forms_refuse_a_missing_or_wrong_csrf_token(client: httpx2.AsyncClient) -> None:
    await client.get("/signup", headers=PAGE)
    response = await client.post(
        "/signup",
        headers=PAGE,
        data={
            "username": "x" * 5,
            "password": "long enough to pass",
            "confirm": "long enough to pass",
            "csrf_token": "forged",
        },
    )
    assert response.status_code == 403
    assert soup(response).find("h1").get_text() == "That form has expired"
    token = await browser_sign_up(client)
    interview_id = await start(client, token)
    chat = await client.post(
        f"/interviews/{interview_id}/turn",
        json={"content": "hi"},
        headers={"Accept": "text/event-stream"},
    )
    assert chat.status_code == 403
    assert chat.json()["code"] == "csrf"


async def test_sign_in_and_out(client: httpx2.AsyncClient) -> None:
    token = await browser_sign_up(client, "roundtrip")
    out = await client.post("/logout", data={"csrf_token": token}, headers=PAGE)
    assert out.status_code == 303
    assert (await client.get("/history", headers=PAGE)).status_code == 303
    wrong = await client.post(
        "/login",
        headers=PAGE,
        data={"username": "roundtrip", "password": "nope", "csrf_token": token},
    )
    assert wrong.status_code == 401
    assert soup(wrong).find(attrs={"role": "alert"}).get_text() == "Wrong username or password."
    back = await client.post(
        "/login",
        headers=PAGE,
        data={
            "username": "roundtrip",
            "password": "long enough to pass",
            "csrf_token": token,
            "next": "//evil.example/",
        },
    )
    assert back.headers["location"] == "/"


async def test_home_offers_every_round_and_labels_every_field(
    client: httpx2.AsyncClient, content: Content
) -> None:
    await browser_sign_up(client)
    page = soup(await client.get("/", headers=PAGE))
    rounds = {i["value"] for i in page.select("input[name=round]")}
    assert rounds == {r.value for r in RoundType}
    options = {o["value"] for o in page.select("#question_id option") if o["value"]}
    assert options == set(content.questions)
    for field in page.select("input:not([type=hidden]), select, textarea"):
        labelled = field.find_parent("label") or page.find("label", attrs={"for": field.get("id")})
        assert labelled or field.get("aria-label"), field


async def test_a_chat_turn_and_the_chat_page(client: httpx2.AsyncClient) -> None:
    token = await browser_sign_up(client)
    interview_id = await start(client, token)
    body = await send(client, token, interview_id, "At my last job I led a migration.")
    assert "event: done" in body
    page = soup(await client.get(f"/interviews/{interview_id}", headers=PAGE))
    items = page.select("#transcript > li")
    assert [li["id"] for li in items] == ["m-1", "m-2", "m-3"]
    assert "migration" in items[1].get_text()
    assert page.find("label", attrs={"for": "answer"})
    assert page.find("dialog", id="finish-dialog")
    assert page.select_one("#chat")["data-duration"] == "40"


async def test_the_chat_asks_what_was_stored_after_a_broken_stream(
    client: httpx2.AsyncClient,
) -> None:
    token = await browser_sign_up(client)
    interview_id = await start(client, token)
    key = {"X-CSRF-Token": token, "Accept": "text/event-stream", "Idempotency-Key": "answer-1"}
    for _ in range(2):  # the same answer sent again after a dropped connection is stored once
        turn = await client.post(
            f"/interviews/{interview_id}/turn", json={"content": "I led it."}, headers=key
        )
        assert turn.status_code == 200 and "event: done" in turn.text
    since = (await client.get(f"/interviews/{interview_id}/messages?after=1")).json()
    assert [(m["seq"], m["role"]) for m in since["messages"]] == [
        (2, "candidate"),
        (3, "interviewer"),
    ]
    assert since["awaiting_reply"] is False and since["status"] == "active"
    assert since["phase"] == "question" and since["question_number"] == 1
    html = BeautifulSoup(since["messages"][0]["html"], "html.parser")
    assert html.get_text().strip() == "I led it."
    later = (await client.get(f"/interviews/{interview_id}/messages?after=3")).json()
    assert later["messages"] == []
    refused = await client.get(f"/interviews/{interview_id}/messages?after=-1")
    assert refused.status_code == 422


async def test_a_candidates_code_is_folded_and_the_problem_shown_beside_the_chat(
    client: httpx2.AsyncClient, content: Content
) -> None:
    token = await browser_sign_up(client)
    question = content.questions["clone-graph"]
    interview_id = await start(
        client, token, round="coding", question_choice="bank", question_id=question.id
    )
    program = "def solve(nums):\n    return sorted(nums)"
    await send(client, token, interview_id, f"My approach:\n\n```python\n{program}\n```")
    page = soup(await client.get(f"/interviews/{interview_id}", headers=PAGE))
    mine = page.select_one("#transcript > li.candidate")
    folded = mine.select_one("details.code-block")
    assert folded.find("summary").get_text() == "Code, 2 lines"
    assert folded.select_one("pre code").get_text().strip() == program
    assert "My approach:" in mine.select_one(".body > p").get_text()
    opening = page.select_one("#transcript > li.interviewer")
    assert opening.find("details") is None, "the interviewer's text is never folded"
    problem = page.select_one("#pane-problem")
    assert problem.find("h2").get_text() == question.title
    assert "deep copy of the whole graph" in problem.select_one("#problem-body").get_text()


async def test_xss_in_answers_and_custom_questions_is_inert(client: httpx2.AsyncClient) -> None:
    token = await browser_sign_up(client)
    interview_id = await start(client, token, question_choice="custom", custom_question=XSS)
    await send(client, token, interview_id, XSS)
    chat = await client.get(f"/interviews/{interview_id}", headers=PAGE)
    await client.post(
        f"/interviews/{interview_id}/finish", headers=PAGE, data={"csrf_token": token}
    )
    card = await client.get(f"/interviews/{interview_id}/scorecard", headers=PAGE)
    for response in (chat, card):
        page = soup(response)
        transcript = page.select_one(".transcript")
        assert transcript.find("script") is None
        assert transcript.find("img") is None
        assert all(
            not a["href"].startswith("javascript:") for a in transcript.find_all("a", href=True)
        )
        assert all(
            not attr.startswith("on") for tag in transcript.find_all(True) for attr in tag.attrs
        )
        assert '<script>alert("x")</script>' in transcript.get_text()
        assert "bold" in [s.get_text() for s in transcript.find_all("strong")]
        for script in page.find_all("script"):
            assert script.get("src", "").startswith("/static/") or script.get("type") == (
                "application/json"
            ), script
        assert "script-src 'self'" in response.headers["content-security-policy"]


async def test_scorecard_links_evidence_to_messages(
    client: httpx2.AsyncClient, content: Content
) -> None:
    token = await browser_sign_up(client)
    question = content.questions_for(RoundType.behavioral)[0]
    interview_id = await start(client, token, question_choice="bank", question_id=question.id)
    await send(
        client,
        token,
        interview_id,
        # an answer to the question asked (a vague goal), or the scorecard rightly takes
        # nothing from it as another question's story
        "At my previous job I was handed a vague goal, improve reliability, with no clear plan. "
        "I reproduced the worst outage, found the root cause and as a result cut errors by 90%. "
        "I learned a lot.",
    )
    finish = await client.post(
        f"/interviews/{interview_id}/finish", headers=PAGE, data={"csrf_token": token}
    )
    assert finish.headers["location"] == f"/interviews/{interview_id}/scorecard"
    page = soup(await client.get(finish.headers["location"], headers=PAGE))
    assert page.select_one(".verdict").get_text().strip()
    criteria = page.select(".criterion")
    assert len(criteria) == len(content.rubrics[RoundType.behavioral].criteria)
    links = page.select(".evidence a")
    assert links
    for link in links:
        target = page.find(id=link["href"].lstrip("#"))
        assert target is not None and "candidate" in target["class"]
        quote = link.get_text().strip("“”")
        assert quote in " ".join(target.get_text().split())
    outlines = [h for h in page.select(".by-question h3") if h.get_text() == "Model answer outline"]
    assert outlines, "the model outline sits beside the missed points of its question"


async def test_history_filter_export_and_delete(client: httpx2.AsyncClient) -> None:
    token = await browser_sign_up(client)
    first = await start(client, token, round="coding")
    await start(client, token, round="behavioral")
    page = soup(await client.get("/history", headers=PAGE))
    assert len(page.select("tbody tr")) == 2
    filtered = soup(await client.get("/history?round=coding", headers=PAGE))
    assert len(filtered.select("tbody tr")) == 1
    markdown = await client.get(f"/interviews/{first}/export.md", headers=PAGE)
    assert markdown.headers["content-disposition"].endswith('.md"')
    as_json = await client.get(f"/interviews/{first}/export.json", headers=PAGE)
    assert as_json.json()["id"] == first
    deleted = await client.post(
        f"/interviews/{first}/delete", headers=PAGE, data={"csrf_token": token}
    )
    assert deleted.headers["location"] == "/history"
    assert len(soup(await client.get("/history", headers=PAGE)).select("tbody tr")) == 1


async def test_progress_page_carries_chart_data(client: httpx2.AsyncClient) -> None:
    token = await browser_sign_up(client)
    for _ in range(2):
        interview_id = await start(client, token, round="cs_fundamentals")
        await client.post(
            f"/interviews/{interview_id}/finish", headers=PAGE, data={"csrf_token": token}
        )
    page = soup(await client.get("/progress", headers=PAGE))
    data = json.loads(page.find("script", id="progress-data").get_text())
    assert list(data) == ["cs_fundamentals"]
    assert len(data["cs_fundamentals"]["overall"]) == 2
    assert page.select_one("[data-chart=cs_fundamentals]")


async def test_other_users_pages_are_not_found(client: httpx2.AsyncClient) -> None:
    token = await browser_sign_up(client, "owner")
    interview_id = await start(client, token)
    client.cookies.clear()
    intruder = await browser_sign_up(client, "intruder")
    for path in (
        f"/interviews/{interview_id}",
        f"/interviews/{interview_id}/scorecard",
        f"/interviews/{interview_id}/export.md",
    ):
        response = await client.get(path, headers=PAGE)
        assert response.status_code == 404, path
        assert soup(response).find("h1").get_text() == "Not found"
    posted = await client.post(
        f"/interviews/{interview_id}/delete", headers=PAGE, data={"csrf_token": intruder}
    )
    assert posted.status_code == 404


@pytest.mark.parametrize("path", ["/login", "/signup"])
async def test_pages_have_one_main_and_a_title(client: httpx2.AsyncClient, path: str) -> None:
    page = soup(await client.get(path, headers=PAGE))
    assert len(page.find_all("main")) == 1
    assert page.find("h1")
    assert page.find("html")["lang"] == "en"


async def test_the_editor_says_why_code_cannot_run_when_the_sandbox_is_off(
    database_url: str,
) -> None:
    from tests.conftest import app_client, make_settings

    async with app_client(make_settings(database_url, code_runner="off")) as api:
        token = await browser_sign_up(api)
        interview = await start(
            api, token, round="coding", question_choice="bank", question_id="two-sum"
        )
        page = soup(await api.get(f"/interviews/{interview}", headers=PAGE))
        notice = page.find(id="runner-off")
        assert notice is not None and not notice.has_attr("hidden")
        assert "unavailable on this server" in notice.text and "switched off" in notice.text
        assert page.find(id="run-code").has_attr("disabled")
        assert page.find(id="submit-code").has_attr("disabled")
        # the editor still starts from the question's signature
        assert "def two_sum(" in page.find(id="workspace-data").text


async def test_the_editor_of_a_pytorch_question_says_so_and_starts_from_torch(
    database_url: str,
) -> None:
    from tests.conftest import app_client, make_settings

    async with app_client(make_settings(database_url, code_runner="off")) as api:
        token = await browser_sign_up(api)
        interview = await start(
            api, token, round="ml_coding", question_choice="bank",
            question_id="pytorch-training-loop",
        )  # fmt: skip
        page = soup(await api.get(f"/interviews/{interview}", headers=PAGE))
        assert " ".join(page.find(id="runner-info").text.split()).startswith(
            "Write train with PyTorch."
        )
        workspace = json.loads(page.find(id="workspace-data").text)
        assert workspace["framework"] == "pytorch"
        assert workspace["code"].startswith("import torch\n")
        # a NumPy question's editor names no framework
        interview = await start(
            api, token, round="ml_coding", question_choice="bank",
            question_id="kmeans-from-scratch",
        )  # fmt: skip
        page = soup(await api.get(f"/interviews/{interview}", headers=PAGE))
        assert "PyTorch" not in page.find(id="runner-info").text


async def test_each_page_has_its_own_style_nonce(client: httpx2.AsyncClient) -> None:
    nonces = []
    for _ in range(2):
        page = await client.get("/login", headers=PAGE)
        nonce = soup(page).find("meta", attrs={"name": "csp-nonce"})["content"]
        assert f"style-src 'self' 'nonce-{nonce}'" in page.headers["content-security-policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1] and len(nonces[0]) >= 16


async def test_history_rows_say_what_each_interview_was_in_words(
    client: httpx2.AsyncClient, content: Content
) -> None:
    token = await browser_sign_up(client)
    design = content.questions_for(RoundType.ml_system_design)[0]
    scored = await start(
        client, token, round="ml_system_design", question_choice="bank", question_id=design.id
    )
    await client.post(f"/interviews/{scored}/finish", headers=PAGE, data={"csrf_token": token})
    await start(client, token, round="cs_fundamentals")
    await start(
        client, token, round="coding", question_choice="custom", custom_question="Reverse " * 20
    )
    rows = soup(await client.get("/history", headers=PAGE)).select("tbody tr")
    cells = [[td.get_text(" ", strip=True) for td in row.find_all("td")] for row in rows]
    custom, fundamentals, design_row = cells
    assert design_row[1] == f"ML system design {design.title}"
    assert design_row[3] == "Scored" and "/ 4" in design_row[4]
    assert re.fullmatch(r"\d+ min \d\d s", design_row[2])
    assert fundamentals[1].startswith("CS fundamentals ")
    assert fundamentals[3] == "In progress" and fundamentals[2] == "\N{EN DASH}"
    assert fundamentals[5].split() == ["Resume", "Discard"]
    assert custom[1].startswith("Coding (algorithms and data structures) Your question: Reverse")
    assert custom[1].endswith("…")
    when = rows[0].find("time")
    assert when["datetime"].endswith("+00:00") and when.get_text().endswith(" UTC")
    home = soup(await client.get("/", headers=PAGE))
    resume = [li.get_text(" ", strip=True) for li in home.select("#resume-title + ul li")]
    assert any(item.startswith("Resume CS fundamentals ") for item in resume), resume


async def test_home_form_sets_the_duration_and_discards_back_home(
    client: httpx2.AsyncClient,
) -> None:
    token = await browser_sign_up(client)
    interview_id = await start(client, token, duration_minutes="20")
    page = soup(await client.get(f"/interviews/{interview_id}", headers=PAGE))
    assert page.select_one("#chat")["data-duration"] == "20"
    too_short = await client.post(
        "/interviews",
        headers=PAGE,
        data={"csrf_token": token, "round": "behavioral", "duration_minutes": "3"},
    )
    assert too_short.status_code == 422 and "duration_minutes" in too_short.text
    discarded = await client.post(
        f"/interviews/{interview_id}/delete", headers=PAGE, data={"csrf_token": token, "back": "/"}
    )
    assert discarded.headers["location"] == "/"
    elsewhere = await start(client, token)
    away = await client.post(
        f"/interviews/{elsewhere}/delete",
        headers=PAGE,
        data={"csrf_token": token, "back": "https://evil.example"},
    )
    assert away.headers["location"] == "/history"
