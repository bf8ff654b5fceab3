"""The scorecard as advice: strengths with quotes, two or three things to practise (next level,
missed points, a drill, a question to try), missed points under their question beside its
outline; never a criterion both strong and to fix; the API keeps every field it had."""

from __future__ import annotations

import re

import httpx2
import pytest

from app.content.loader import Content
from app.content.models import RoundType
from app.engine.topics import bank_topic
from app.scoring.feedback import feedback
from app.scoring.models import CriterionResult, Evidence
from tests.helpers import PAGE, browser_sign_up, soup
from tests.helpers import send_in_browser as send
from tests.helpers import start_in_browser as start

API = "/api/v1"
QUESTION = "url-shortener"


def _grade(content: Content, scores: dict[str, int | None]):
    rubric = content.rubrics[RoundType.system_design]
    criteria = [
        CriterionResult(
            criterion_id=c.id,
            name=c.name,
            score=scores.get(c.id, 3),
            rationale="covered 1 of 2 key points",
            evidence=[Evidence(quote=f"what I said about {c.id}", message_seq=2)],
        )
        for c in rubric.criteria
    ]
    question = content.questions[QUESTION]
    topic = bank_topic(question, content.rounds[RoundType.system_design])
    missed = [
        {"question_id": QUESTION, "key_point_id": p.id, "text": p.text}
        for p in question.key_points
        if p.criterion in ("data_and_api", "requirements")
    ]
    return feedback(
        criteria=criteria,
        recommendation="no_hire",
        overall=2.3,
        rubric=rubric,
        topics=[topic],
        missed=missed,
        bank=content.questions_for(RoundType.system_design),
        outlines={QUESTION: question.model_answer},
    )


def test_the_weakest_criteria_are_to_practise_and_the_best_are_strengths(content: Content) -> None:
    advice = _grade(
        content,
        {"data_and_api": 1, "requirements": 2, "high_level_design": 4, "communication": None},
    )
    focus = [f.criterion_id for f in advice.practise]
    strengths = [s.criterion_id for s in advice.strengths]
    assert focus == ["data_and_api", "requirements"]  # weakest first
    assert strengths[0] == "high_level_design" and not set(focus) & set(strengths)
    assert "communication" not in focus + strengths
    api = advice.practise[0]
    rubric = {c.id: c for c in content.rubrics[RoundType.system_design].criteria}
    assert api.level == rubric["data_and_api"].levels[1]
    assert api.next_level == rubric["data_and_api"].levels[2]
    assert api.quote is not None and api.quote.text == "what I said about data_and_api"
    # the points missed on this criterion, the drill and a question to practise it on
    data_points = [
        p.text for p in content.questions[QUESTION].key_points if p.criterion == "data_and_api"
    ]
    assert api.missed == data_points[:2] and api.missed
    assert api.question is not None and api.question.id != QUESTION
    practised = content.questions[api.question.id]
    assert practised.round == RoundType.system_design
    assert any(p.criterion == "data_and_api" for p in practised.key_points)
    assert api.question.title in api.drill and "level 2 of API and data model" in api.drill
    # the headline names both lists, in plain words, and no score twice
    assert advice.headline.startswith("No hire (2.3 of 4).")
    assert "Practise next: API and data model and Requirements and estimates." in advice.headline
    assert "work on" not in advice.headline and "Communication" in advice.headline
    assert advice.not_assessed == ["Communication"]
    # missed points sit under their question, beside its model outline
    (group,) = advice.by_question
    assert group.title == content.questions[QUESTION].title
    assert group.outline == list(content.questions[QUESTION].model_answer)
    assert set(data_points) <= set(group.missed)


@pytest.mark.parametrize(
    ("score", "focus", "strengths"),
    [(4, 0, 3), (3, 2, 3), (2, 3, 0), (1, 3, 0)],
)
def test_every_level_gives_a_consistent_summary(
    content: Content, score: int, focus: int, strengths: int
) -> None:
    rubric = content.rubrics[RoundType.system_design]
    advice = _grade(content, {c.id: score for c in rubric.criteria})
    assert len(advice.practise) == focus and len(advice.strengths) == strengths
    names = {f.name for f in advice.practise}
    assert not names & {s.name for s in advice.strengths}
    if score == 3:  # the heaviest criteria are the ones to lift first
        heaviest = sorted(rubric.criteria, key=lambda c: -c.weight)[:2]
        assert {f.criterion_id for f in advice.practise} == {c.id for c in heaviest}
    if score == 4:
        assert "try a harder question" in advice.headline


async def test_the_api_adds_the_advice_and_keeps_every_field(
    client: httpx2.AsyncClient, auth: dict
) -> None:
    body = {"round": "system_design", "question_id": QUESTION}
    interview = (await client.post(f"{API}/interviews", json=body, headers=auth)).json()
    url = f"{API}/interviews/{interview['id']}"
    await client.post(f"{url}/messages", json={"content": "I'd use a database."}, headers=auth)
    card = (await client.post(f"{url}/finish", headers=auth)).json()["scorecard"]
    for field in ("overall", "recommendation", "summary", "criteria", "missed_points"):
        assert field in card
    advice = card["feedback"]
    assert set(advice) == {"headline", "strengths", "practise", "not_assessed", "by_question"}
    assert 2 <= len(advice["practise"]) <= 3
    assert advice["by_question"][0]["question_id"] == QUESTION
    markdown = await client.get(f"{url}/transcript", params={"format": "markdown"}, headers=auth)
    assert "### Practise next" in markdown.text and advice["headline"] in markdown.text


async def test_a_question_the_interview_never_reached_gets_no_advice(
    client: httpx2.AsyncClient, auth: dict
) -> None:
    body = {"round": "cs_fundamentals"}
    interview = (await client.post(f"{API}/interviews", json=body, headers=auth)).json()
    assert len(interview["questions"]) > 1
    first = interview["current_question_id"]
    url = f"{API}/interviews/{interview['id']}"
    await client.post(f"{url}/messages", json={"content": "I'd start from a list."}, headers=auth)
    card = (await client.post(f"{url}/finish", headers=auth)).json()["scorecard"]
    # not "you covered every key point" of a question never seen
    assert [g["question_id"] for g in card["feedback"]["by_question"]] == [first]
    assert [a["question_id"] for a in card["model_answers"]] == [first]


async def test_the_scorecard_page_reads_as_advice_and_starts_the_practice_question(
    client: httpx2.AsyncClient,
) -> None:
    token = await browser_sign_up(client, "advised")
    interview = await start(
        client, token, round="system_design", question_choice="bank", question_id=QUESTION
    )
    await send(client, token, interview, "We need short links. I'd store them in a database.")
    await client.post(f"/interviews/{interview}/finish", headers=PAGE, data={"csrf_token": token})
    page = soup(await client.get(f"/interviews/{interview}/scorecard", headers=PAGE))
    assert "work on:" not in page.select_one("#headline").get_text()
    focus = page.select(".practise .focus")
    assert 2 <= len(focus) <= 3
    for item in focus:
        assert item.select_one(".drill").get_text().startswith("Drill:")
    for criterion in page.select(".criterion"):
        assert criterion.select_one("details.how-scored summary").get_text() == (
            "How this was scored"
        )
    group = page.select_one(".by-question")
    headings = [h.get_text() for h in group.select("h3")]
    assert headings == ["Key points you missed", "Model answer outline"]
    # "Practise ..." starts an interview on that question
    form = focus[0].select_one("form.practise-form")
    fields = {i["name"]: i["value"] for i in form.select("input")}
    started = await client.post("/interviews", headers=PAGE, data=fields)
    assert started.status_code == 303
    new = started.headers["location"].rsplit("/", 1)[1]
    chat = soup(await client.get(f"/interviews/{new}", headers=PAGE))
    title = re.sub(r"^Practise “(.*)” \(\w+\)$", r"\1", form.select_one("button").get_text())
    assert title in chat.select_one(".transcript").get_text()
