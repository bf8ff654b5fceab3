"""Speaking feedback of voiced answers: through the API, on the scorecard and on Progress."""

from __future__ import annotations

import json

import httpx2
import pytest

from tests.conftest import sign_up
from tests.helpers import PAGE, browser_sign_up, send_in_browser, soup, start_in_browser

API = "/api/v1"
FILLED = "So, um, I led the migration, uh, and, like, we cut costs. " * 6  # 72 words


def speech_of(text: str, *, step: float, pause_at: int | None = None, pause: float = 0.0) -> dict:
    """A speech record with a word every `step` seconds and one silence before word pause_at."""
    words, clock = [], 0.5
    for index, word in enumerate(text.split()):
        if index == pause_at:
            clock += pause
        words.append({"word": word, "start": round(clock, 3), "end": round(clock + step * 0.8, 3)})
        clock += step
    return {"duration_seconds": round(clock + 0.5, 3), "words": words, "timing": "word"}


async def test_voiced_answers_get_pace_fillers_silences_and_notes(
    client: httpx2.AsyncClient,
) -> None:
    auth = await sign_up(client)
    started = await client.post(f"{API}/interviews", json={"round": "behavioral"}, headers=auth)
    interview = started.json()["id"]
    url = f"{API}/interviews/{interview}/messages"
    spoken = speech_of(FILLED, step=0.2, pause_at=20, pause=6.0)  # 210 a minute, a 6 s silence
    sent = await client.post(url, json={"content": FILLED, "speech": spoken}, headers=auth)
    assert sent.status_code == 201, sent.text
    typed = await client.post(url, json={"content": "And a typed answer."}, headers=auth)
    assert typed.status_code == 201
    markdown = await client.get(
        f"{API}/interviews/{interview}/transcript", params={"format": "markdown"}, headers=auth
    )
    assert "### 2. Candidate (spoken, 21 s)" in markdown.text
    assert "### 4. Candidate\n" in markdown.text
    feedback = (await client.get(f"{API}/interviews/{interview}/speaking", headers=auth)).json()
    assert feedback["summary"]["answers"] == 1
    (answer,) = feedback["answers"]
    assert answer["seq"] == 2 and answer["words"] == 72
    # So, um, uh, like per sentence
    assert answer["fillers"] == 24
    assert answer["filler_words"][:2] == ["so", "um"]
    assert answer["longest_pause_seconds"] == 6.0
    assert answer["words_per_minute"] > 185
    assert answer["length"] == "short"  # 21 s where a behavioral answer takes a minute or more
    kinds = [note.split(":")[0] for note in answer["notes"]]
    assert kinds == [
        "Fast",
        "Many fillers",
        "A 6-second silence. When you need time, say so",
        "Short",
    ]


async def test_an_interview_without_voice_has_no_speaking_feedback(
    client: httpx2.AsyncClient,
) -> None:
    auth = await sign_up(client)
    started = await client.post(f"{API}/interviews", json={"round": "coding"}, headers=auth)
    feedback = await client.get(f"{API}/interviews/{started.json()['id']}/speaking", headers=auth)
    assert feedback.status_code == 200
    assert feedback.json() == {"summary": None, "answers": []}
    intruder = await sign_up(client, "mallory")
    hidden = await client.get(f"{API}/interviews/{started.json()['id']}/speaking", headers=intruder)
    assert hidden.status_code == 404


async def test_the_scorecard_and_progress_show_how_you_spoke(client: httpx2.AsyncClient) -> None:
    csrf = await browser_sign_up(client)
    interview = await start_in_browser(client, csrf)
    steady = "I set a goal, I measured the baseline, and I cut the cost by a third. " * 12
    response = await client.post(
        f"/interviews/{interview}/turn",
        json={"content": steady, "speech": speech_of(steady, step=0.4)},
        headers={"X-CSRF-Token": csrf, "Accept": "text/event-stream"},
    )
    assert response.status_code == 200, response.text
    await send_in_browser(client, csrf, interview, "A typed answer about the result.")
    finished = await client.post(
        f"/interviews/{interview}/finish", data={"csrf_token": csrf}, headers=PAGE
    )
    assert finished.status_code == 303
    page = soup(await client.get(f"/interviews/{interview}/scorecard", headers=PAGE))
    section = page.find("section", class_="speaking")
    assert section is not None
    rows = section.find("tbody").find_all("tr")
    assert len(rows) == 1  # the typed answer is not measured
    cells = [td.get_text(" ", strip=True) for td in rows[0].find_all("td")]
    assert cells[0] == "message 2" and rows[0].find("a")["href"] == "#m-2"
    assert cells[2] == "150"  # a word every 0.4 s
    assert cells[3].startswith("0.0")
    assert cells[5] == "\u2013"  # a steady answer of the usual length: nothing to say
    progress = soup(await client.get("/progress", headers=PAGE))
    table = progress.find("section", class_="progress-speaking")
    assert table is not None
    cells = [td.get_text(strip=True) for td in table.find("tbody").find_all("td")]
    assert cells[1:5] == ["Behavioral (STAR)", "1", "150", "0.0"]
    (point,) = json.loads(progress.find("script", id="speaking-data").string)
    assert point["words_per_minute"] == pytest.approx(150, abs=0.5)
    assert point["fillers_per_minute"] == 0.0
