"""The design diagram: its Mermaid source is stored in the answer it was sent with, read by the
assessor, the interviewer's prompt (inside the candidate's delimiters) and the grader, shown in
exports, refused clearly when too big; and the renderer frame runs under its own sandboxed CSP
while pages keep theirs."""

from __future__ import annotations

import re

import httpx2
import pytest

from app.content.loader import Content
from app.services import diagrams
from app.web.security import CSP
from tests.conftest import app_client, sign_up
from tests.fake_llm import FakeLLM
from tests.helpers import PAGE, browser_sign_up, llm_settings, soup
from tests.helpers import start_in_browser as start

API = "/api/v1"
QUESTION = "url-shortener"
# names the data model's store only in the diagram's node labels
DIAGRAM = (
    "flowchart LR\n"
    "  client[Client] --> api[API service]\n"
    "  api --> db[(Cassandra key value store, partitioned by short key)]\n"
)
WORDS = "Here is my design so far."


def test_a_diagram_is_appended_in_a_fence_no_line_can_close() -> None:
    tricky = "flowchart LR\n  a[```] --> b\n"
    stored = diagrams.attach("My words.", tricky)
    assert stored.startswith("My words.\n\nDiagram (Mermaid):\n\n````mermaid\n")
    assert diagrams.diagram_of(stored) == tricky.rstrip("\n")
    alone = diagrams.attach("  ", DIAGRAM)
    assert alone.startswith("Diagram (Mermaid):") and diagrams.diagram_of(alone) == DIAGRAM.strip()
    assert diagrams.diagram_of("```mermaid\nflowchart LR\n```") is None  # not one attached


async def _design_interview(api: httpx2.AsyncClient, auth: dict) -> str:
    body = {"round": "system_design", "question_id": QUESTION}
    created = await api.post(f"{API}/interviews", json=body, headers=auth)
    assert created.status_code == 201, created.text
    return created.json()["id"]


async def _missed_after(api: httpx2.AsyncClient, auth: dict, body: dict) -> set[str]:
    interview = await _design_interview(api, auth)
    sent = await api.post(f"{API}/interviews/{interview}/messages", json=body, headers=auth)
    assert sent.status_code == 201, sent.text
    card = (await api.post(f"{API}/interviews/{interview}/finish", headers=auth)).json()
    return {m["key_point_id"] for m in card["scorecard"]["missed_points"]}


async def test_the_diagram_is_stored_with_its_answer_and_graded_with_it(
    client: httpx2.AsyncClient, auth: dict
) -> None:
    interview = await _design_interview(client, auth)
    sent = await client.post(
        f"{API}/interviews/{interview}/messages",
        json={"content": WORDS, "diagram": DIAGRAM},
        headers=auth,
    )
    assert sent.status_code == 201, sent.text
    candidate = sent.json()["candidate"]
    assert candidate["content"].startswith(WORDS) and "```mermaid\n" in candidate["content"]
    assert candidate["diagram"] == DIAGRAM.strip()
    again = (await client.get(f"{API}/interviews/{interview}", headers=auth)).json()
    assert again["messages"][1]["diagram"] == DIAGRAM.strip()
    assert again["messages"][0]["diagram"] is None  # the interviewer's opening
    markdown = await client.get(
        f"{API}/interviews/{interview}/transcript", params={"format": "markdown"}, headers=auth
    )
    assert f"```mermaid\n{DIAGRAM.strip()}\n```" in markdown.text

    # the offline grader reads the diagram as part of the answer: its node names the data model
    with_diagram = await _missed_after(client, auth, {"content": WORDS, "diagram": DIAGRAM})
    without = await _missed_after(client, auth, {"content": WORDS})
    assert "data-model" in without and "data-model" not in with_diagram


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"content": WORDS, "diagram": "x" * 10_001}, "at most 10000 characters"),
        ({"content": WORDS, "diagram": "flowchart LR\n a\x00 --> b"}, "pattern"),
        ({"content": " ", "diagram": DIAGRAM}, "pattern"),  # the API still wants words
    ],
)
async def test_the_api_refuses_a_bad_diagram_clearly(
    client: httpx2.AsyncClient, auth: dict, body: dict, reason: str
) -> None:
    interview = await _design_interview(client, auth)
    response = await client.post(f"{API}/interviews/{interview}/messages", json=body, headers=auth)
    assert response.status_code == 422
    assert reason in response.text


async def test_the_chat_sends_a_diagram_alone_and_refuses_one_too_big(
    client: httpx2.AsyncClient,
) -> None:
    token = await browser_sign_up(client, "diagrammer")
    interview = await start(
        client, token, round="system_design", question_choice="bank", question_id=QUESTION
    )
    headers = {"X-CSRF-Token": token, "Accept": "text/event-stream"}
    page = soup(await client.get(f"/interviews/{interview}", headers=PAGE))
    assert page.find(id="pane-diagram") and page.find(id="include-diagram")
    assert page.find(id="tab-diagram")["aria-controls"] == "pane-diagram"

    too_big = await client.post(
        f"/interviews/{interview}/turn",
        json={"content": WORDS, "diagram": "x" * 10_001},
        headers=headers,
    )
    assert too_big.status_code == 422 and "the limit is 10000" in too_big.json()["detail"]
    alone = await client.post(
        f"/interviews/{interview}/turn", json={"content": "", "diagram": DIAGRAM}, headers=headers
    )
    assert alone.status_code == 200 and "event: done" in alone.text
    empty = await client.post(
        f"/interviews/{interview}/turn", json={"content": " ", "diagram": " "}, headers=headers
    )
    assert empty.status_code == 422

    # the transcript folds the source under the place the page draws it
    page = soup(await client.get(f"/interviews/{interview}", headers=PAGE))
    block = page.select_one("#m-2 figure.diagram-block")
    assert block is not None and block.select_one(".diagram-view") is not None
    assert block.select_one("summary").get_text() == "Diagram source, 3 lines"
    assert block.select_one("code.language-mermaid").get_text().startswith("flowchart LR")
    ml_design = await start(client, token, round="ml_system_design")
    assert soup(await client.get(f"/interviews/{ml_design}", headers=PAGE)).find(id="pane-diagram")
    coding = await start(client, token, round="coding")
    assert (
        soup(await client.get(f"/interviews/{coding}", headers=PAGE)).find(id="pane-diagram")
        is None
    )


async def test_the_interviewer_reads_the_diagram_inside_the_candidate_delimiters(
    database_url: str, fake_llm: FakeLLM
) -> None:
    async with app_client(llm_settings(database_url, fake_llm)) as api:
        auth = await sign_up(api)
        interview = await _design_interview(api, auth)
        sent = await api.post(
            f"{API}/interviews/{interview}/messages",
            json={"content": WORDS, "diagram": DIAGRAM},
            headers=auth,
        )
        assert sent.status_code == 201, sent.text
    voiced = [b for b in fake_llm.requests if b.get("stream")]
    said = [m["content"] for m in voiced[-1]["messages"] if m["role"] == "user"]
    found = re.search(r"<candidate>\n(.*?)\n</candidate>", said[-1], re.S)
    assert found is not None, said
    assert found.group(1) == diagrams.attach(WORDS, DIAGRAM)


async def test_the_renderer_frame_has_its_own_sandboxed_policy(
    client: httpx2.AsyncClient, content: Content
) -> None:
    frame = await client.get("/diagram-frame")
    policy = frame.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "sandbox allow-scripts" in policy and "frame-ancestors 'self'" in policy
    assert "default-src 'none'" in policy and "connect-src" not in policy
    assert frame.headers["x-frame-options"] == "SAMEORIGIN"
    scripts = soup(frame).find_all("script")
    assert [s["src"] for s in scripts] == [
        "/static/vendor/mermaid/mermaid.min.js",
        "/static/diagram/frame.js",
    ]
    assert all(s["nonce"] == nonce for s in scripts)
    # every other page keeps the strict policy: no inline styles, no framing
    await browser_sign_up(client, "framed")
    home = await client.get("/", headers=PAGE)
    assert home.headers["x-frame-options"] == "DENY"
    page_policy = home.headers["content-security-policy"]
    assert "unsafe-inline" not in page_policy and "frame-ancestors 'none'" in page_policy
    assert page_policy.split("'nonce-")[0] == CSP.split("'nonce-")[0]
