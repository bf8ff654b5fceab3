"""Loops in the web app, parsed: choose a loop, take its rounds, read and export the packet."""

from __future__ import annotations

import io

import httpx2
from pypdf import PdfReader

from tests.helpers import PAGE, browser_sign_up, soup


async def _start_loop(client: httpx2.AsyncClient, token: str, loop_id: str, **form: str) -> str:
    response = await client.post(
        f"/loops/{loop_id}/runs", headers=PAGE, data={"csrf_token": token, **form}
    )
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[1]


async def _take_round(client: httpx2.AsyncClient, token: str, run_id: str, number: int) -> str:
    started = await client.post(
        f"/runs/{run_id}/rounds/{number}", headers=PAGE, data={"csrf_token": token}
    )
    assert started.status_code == 303, started.text
    interview_id = started.headers["location"].rsplit("/", 1)[1]
    finished = await client.post(
        f"/interviews/{interview_id}/finish", headers=PAGE, data={"csrf_token": token}
    )
    assert finished.status_code == 303
    return interview_id


async def test_a_loop_in_the_browser_from_choice_to_packet(client: httpx2.AsyncClient) -> None:
    token = await browser_sign_up(client)
    listing = soup(await client.get("/loops", headers=PAGE))
    assert listing.select_one("nav a[aria-current=page]").get_text() == "Loops"
    cards = listing.select("article.loop")
    assert len(cards) >= 6
    scientist = listing.select_one("#loop-applied-research-scientist")
    rounds = [li.get_text(" ", strip=True) for li in scientist.select(".loop-rounds li")]
    assert rounds[0].startswith("Programming") and rounds[-1].startswith("Research talk")
    levels = [o["value"] for o in scientist.select("select[name=level] option")]
    assert levels == ["junior", "mid-level", "senior", "staff"]

    run_id = await _start_loop(client, token, "software-engineer", level="senior")
    page = soup(await client.get(f"/runs/{run_id}", headers=PAGE))
    assert page.find("h1").get_text() == "Software Engineer loop"
    assert len(page.select(".run-round")) == 5
    assert not page.select_one("#open-packet")
    interview_ids = []
    for number in range(1, 6):
        interview_ids.append(await _take_round(client, token, run_id, number))
        card = soup(await client.get(f"/interviews/{interview_ids[-1]}/scorecard", headers=PAGE))
        banner = card.select_one("#run-banner")
        assert f"Round {number} of your Software Engineer loop" in " ".join(
            banner.get_text(" ").split()
        )
        assert banner.find("a")["href"] == f"/runs/{run_id}"
    assert "read the hiring packet" in " ".join(banner.get_text(" ").split())
    page = soup(await client.get(f"/runs/{run_id}", headers=PAGE))
    assert page.select_one("#open-packet")["href"] == f"/runs/{run_id}/packet"
    assert len(page.select(".run-round.status-scored")) == 5

    packet = soup(await client.get(f"/runs/{run_id}/packet", headers=PAGE))
    # rounds finished without an answer: nothing to hire on, and the packet says so
    assert packet.select_one("#decision").get_text(" ", strip=True).startswith("Strong no hire")
    signals = [s["id"] for s in packet.select("section.signal")]
    assert signals == [
        "signal-coding",
        "signal-design",
        "signal-fundamentals",
        "signal-collaboration",
        "signal-communication",
    ]
    assert len(packet.select("section.round-card")) == 5
    exports = {a.get_text(): a["href"] for a in packet.select(".actions a[download]")}
    assert exports["Export PDF"] == f"/runs/{run_id}/packet.pdf"
    pdf = await client.get(exports["Export PDF"], headers=PAGE)
    assert pdf.headers["content-type"] == "application/pdf"
    assert "Strong no hire" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    markdown = await client.get(exports["Export Markdown"], headers=PAGE)
    assert markdown.text.startswith("# Hiring packet: Software Engineer")
    assert (await client.get(f"/runs/{run_id}/packet.docx", headers=PAGE)).status_code == 404
    assert (await client.get(exports["Export JSON"], headers=PAGE)).json()["run_id"] == run_id

    listing = soup(await client.get("/loops", headers=PAGE))
    assert listing.select_one(".run-list a")["href"] == f"/runs/{run_id}"
    deleted = await client.post(f"/runs/{run_id}/delete", headers=PAGE, data={"csrf_token": token})
    assert deleted.status_code == 303
    assert (await client.get(f"/runs/{run_id}", headers=PAGE)).status_code == 404
    # the rounds stay in the history
    history = soup(await client.get("/history", headers=PAGE))
    assert len(history.select("table.history tbody tr")) == 5


async def test_a_packet_before_the_last_round_says_what_is_left(
    client: httpx2.AsyncClient,
) -> None:
    token = await browser_sign_up(client)
    run_id = await _start_loop(client, token, "ml-engineer-meta")
    await _take_round(client, token, run_id, 1)
    early = await client.get(f"/runs/{run_id}/packet", headers=PAGE)
    assert early.status_code == 409
    assert "ML system design" in soup(early).get_text(" ")
    bad = await client.post(
        "/loops/ml-engineer-meta/runs", headers=PAGE, data={"csrf_token": token, "level": "god"}
    )
    assert bad.status_code == 422
    forged = await client.post(
        "/loops/ml-engineer-meta/runs", headers=PAGE, data={"csrf_token": "forged"}
    )
    assert forged.status_code == 403


async def test_another_browser_user_sees_none_of_a_run(client: httpx2.AsyncClient) -> None:
    token = await browser_sign_up(client, "owner")
    run_id = await _start_loop(client, token, "software-engineer")
    interview_id = await _take_round(client, token, run_id, 1)
    client.cookies.clear()
    intruder = await browser_sign_up(client, "intruder")
    for path in (
        f"/runs/{run_id}",
        f"/runs/{run_id}/packet",
        f"/runs/{run_id}/packet.pdf",
        f"/interviews/{interview_id}/scorecard",
    ):
        response = await client.get(path, headers=PAGE)
        assert response.status_code == 404, path
    for path in (f"/runs/{run_id}/rounds/2", f"/runs/{run_id}/delete"):
        posted = await client.post(path, headers=PAGE, data={"csrf_token": intruder})
        assert posted.status_code == 404, path
    assert not soup(await client.get("/loops", headers=PAGE)).select(".run-list")


async def test_the_start_forms_take_a_job_and_a_cv_pdf(client: httpx2.AsyncClient) -> None:
    from tests.helpers import CV, FRAUD_JOB, pdf_of

    token = await browser_sign_up(client)
    home = soup(await client.get("/", headers=PAGE))
    form = home.select_one("#start-form")
    assert form["enctype"] == "multipart/form-data"
    assert form.select_one("textarea[name=job_description]")
    assert form.select_one("input[type=file][name=cv_file]")
    started = await client.post(
        "/interviews",
        headers=PAGE,
        data={"csrf_token": token, "round": "research", "job_description": FRAUD_JOB},
        files={"cv_file": ("cv.pdf", pdf_of(CV), "application/pdf")},
    )
    assert started.status_code == 303, started.text
    chat = soup(await client.get(started.headers["location"], headers=PAGE))
    assert "Tiny Transformer from scratch" in chat.select_one("#transcript").get_text(" ")

    run = await client.post(
        "/loops/ml-engineer/runs",
        headers=PAGE,
        data={"csrf_token": token, "cv": CV, "job_description": FRAUD_JOB},
        files={"cv_file": ("", b"", "application/octet-stream")},  # no file chosen
    )
    assert run.status_code == 303
    page = soup(await client.get(run.headers["location"], headers=PAGE))
    assert "tailored to your job description and CV" in page.select_one("#run-title + p").get_text()
    too_long = await client.post(
        "/loops/ml-engineer/runs", headers=PAGE, data={"csrf_token": token, "cv": "x" * 40_001}
    )
    assert too_long.status_code == 422
    not_pdf = await client.post(
        "/loops/ml-engineer/runs",
        headers=PAGE,
        data={"csrf_token": token},
        files={"cv_file": ("cv.pdf", b"not a pdf", "application/pdf")},
    )
    assert not_pdf.status_code == 422
    assert "not a PDF" in soup(not_pdf).get_text(" ")
